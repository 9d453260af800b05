#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

ln__write_t *ln__write_new(const char *data, size_t len, void *token,
                           int pinned) {
  ln__write_t *w;
  if (!pinned && len > SIZE_MAX - sizeof(*w))
    return NULL;
  if ((w = malloc(sizeof(*w) + (pinned ? 0 : len))) == NULL)
    return NULL;
  w->next = NULL;
  w->token = token;
  w->len = len;
  w->status = 0;
  w->base = pinned ? (char *)data : w->data;
  if (!pinned && len > 0)
    memcpy(w->data, data, len);
  return w;
}

void ln__wlist_push(ln_wlist_t *list, ln__write_t *w) {
  w->next = NULL;
  if (list->head == NULL)
    list->head = w;
  else
    list->tail->next = w;
  list->tail = w;
}

ln__write_t *ln__wlist_take(ln_wlist_t *list) {
  ln__write_t *head = list->head;
  list->head = list->tail = NULL;
  return head;
}
