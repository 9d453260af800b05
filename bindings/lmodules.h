/* The Lua sources of lua/, embedded by cmake/embed.cmake. */
#ifndef LNB_LMODULES_H
#define LNB_LMODULES_H

#include <stddef.h>

typedef struct {
  const char *name; /* module name: the file name without ".lua" */
  const char *source;
  size_t len;
} lnb_lua_module_t;

extern const lnb_lua_module_t lnb_lua_modules[]; /* ends with a NULL name */

#endif
