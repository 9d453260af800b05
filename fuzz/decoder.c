/* Fuzz target: core/decoder.c's streaming decoders (socket.setEncoding),
 * every encoding, fed bytes from the network.
 *
 * Input: byte 0 picks the encoding, byte 1 seeds where the bytes are split,
 * the rest are the bytes. Checked:
 *  - no write produces more than ln_decoder_max said (the buffers are
 *    exactly that size, so AddressSanitizer sees one byte over), nor a
 *    write and its end() together more than ln_decoder_max(fresh, len);
 *  - the text is valid UTF-8 (no surrogate, no overlong form);
 *  - the bytes cut anywhere, in any number of writes, give the same text
 *    as one write, as a Node program that joins its 'data' strings sees;
 *  - what each encoding promises: 'utf8' passes valid UTF-8 through
 *    unchanged, 'latin1', 'hex' and 'ascii' write every byte, 'base64'
 *    and 'base64url' their exact lengths;
 *  - ln_encoding_parse of the same bytes is an encoding whose name parses
 *    back to it, or -1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decoder.h"

#define CHECK(cond, what)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "decoder: check failed: %s\n  %s, enc %d, %zu bytes\n",  \
              what, #cond, enc, len);                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* Whether s (n bytes) is valid UTF-8: RFC 3629, no surrogates. */
static int valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char b = s[i];
    size_t need;
    uint32_t c, min;
    if (b < 0x80) {
      i++;
      continue;
    }
    if ((b & 0xE0) == 0xC0)
      need = 1, c = b & 0x1F, min = 0x80;
    else if ((b & 0xF0) == 0xE0)
      need = 2, c = b & 0x0F, min = 0x800;
    else if ((b & 0xF8) == 0xF0)
      need = 3, c = b & 0x07, min = 0x10000;
    else
      return 0;
    if (i + need >= n)
      return 0;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return 0;
      c = c << 6 | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
      return 0;
    i += need + 1;
  }
  return 1;
}

/* A small generator, so that one byte of input picks every split. */
static uint32_t next_random(uint32_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

/* Decodes in (len bytes) in writes of the sizes the generator seeded with
 * seed gives (one write when seed is 0), then end(). Returns the text,
 * malloc'd, its length in *out_len. */
static char *decode(int enc, const unsigned char *in, size_t len,
                    uint32_t seed, size_t *out_len) {
  ln_decoder_t d;
  size_t cap, total = 0, pos = 0;
  char *text;
  uint32_t x = seed * 2654435761u + 1;

  ln_decoder_init(&d, enc);
  cap = ln_decoder_max(&d, len);
  text = malloc(cap + 1);
  while (pos < len || (pos == 0 && len == 0)) {
    size_t piece = seed == 0 ? len : next_random(&x) % (len - pos + 1);
    size_t max = ln_decoder_max(&d, piece), n;
    /* Exactly max bytes of room: one byte more is an ASan report. */
    char *out = malloc(max);
    n = ln_decoder_write(&d, (const char *)in + pos, piece, out);
    CHECK(n <= max, "a write wrote past ln_decoder_max");
    CHECK(total + n <= cap, "the writes wrote past ln_decoder_max(len)");
    memcpy(text + total, out, n);
    total += n;
    free(out);
    pos += piece;
    if (len == 0)
      break;
  }
  {
    size_t max = ln_decoder_max(&d, 0), n;
    char *out = malloc(max);
    int held = ln_decoder_holds(&d);
    n = ln_decoder_end(&d, out);
    CHECK(n <= max, "end() wrote past ln_decoder_max(0)");
    CHECK(held || n == 0, "end() wrote what holds() denied");
    CHECK(total + n <= cap, "writes and end() wrote past ln_decoder_max");
    CHECK(!ln_decoder_holds(&d), "end() left bytes held");
    memcpy(text + total, out, n);
    total += n;
    free(out);
  }
  *out_len = total;
  return text;
}

static void check_parse(const uint8_t *data, size_t size) {
  static const char *const all[] = {
      "utf8",    "utf-8", "hex",     "base64",   "base64url", "latin1",
      "binary",  "ascii", "ucs2",    "ucs-2",    "utf16le",   "utf-16le"};
  int enc = ln_encoding_parse((const char *)data, size), expect = -1;
  size_t len = size;
  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    if (strlen(all[i]) == size && memchr(data, 0, size) == NULL &&
        strncasecmp(all[i], (const char *)data, size) == 0)
      expect = ln_encoding_parse(all[i], strlen(all[i]));
  if (size == 0)
    expect = LN_ENC_UTF8;
  CHECK(enc == expect, "ln_encoding_parse differs from a case-blind match");
  if (enc >= 0) {
    const char *name = ln_encoding_name(enc);
    CHECK(name != NULL && ln_encoding_parse(name, strlen(name)) == enc,
          "the canonical name does not parse back");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const unsigned char *in;
  int enc;
  size_t len, whole_len, split_len;
  char *whole, *split;

  check_parse(data, size < 16 ? size : 16);
  if (size < 2)
    return 0;
  enc = data[0] % 7;
  in = data + 2;
  len = size - 2;

  whole = decode(enc, in, len, 0, &whole_len);
  CHECK(valid_utf8((unsigned char *)whole, whole_len), "text is not UTF-8");
  split = decode(enc, in, len, data[1] + 1u, &split_len);
  CHECK(split_len == whole_len && memcmp(whole, split, whole_len) == 0,
        "split writes give other text than one write");
  /* Byte by byte, the hardest split. */
  free(split);
  {
    ln_decoder_t d;
    char out[16];
    ln_decoder_init(&d, enc);
    split = malloc(ln_decoder_max(&d, len) + 16);
    split_len = 0;
    for (size_t i = 0; i < len; i++) {
      size_t max = ln_decoder_max(&d, 1);
      size_t n = ln_decoder_write(&d, (const char *)in + i, 1, out);
      CHECK(n <= max && max <= sizeof(out), "one byte wrote too much");
      memcpy(split + split_len, out, n);
      split_len += n;
    }
    split_len += ln_decoder_end(&d, split + split_len);
    CHECK(split_len == whole_len && memcmp(whole, split, whole_len) == 0,
          "byte-by-byte writes give other text than one write");
  }

  switch (enc) {
  case LN_ENC_UTF8:
    if (valid_utf8(in, len))
      CHECK(whole_len == len && memcmp(whole, in, len) == 0,
            "valid UTF-8 changed");
    break;
  case LN_ENC_HEX:
    CHECK(whole_len == 2 * len, "hex is not two digits a byte");
    break;
  case LN_ENC_ASCII:
    CHECK(whole_len == len, "ascii is not one character a byte");
    break;
  case LN_ENC_LATIN1: {
    size_t high = 0;
    for (size_t i = 0; i < len; i++)
      high += in[i] >= 0x80;
    CHECK(whole_len == len + high, "latin1 is not one character a byte");
    break;
  }
  case LN_ENC_BASE64:
    CHECK(whole_len == (len + 2) / 3 * 4, "base64 has the wrong length");
    break;
  case LN_ENC_BASE64URL:
    CHECK(whole_len == (len * 4 + 2) / 3, "base64url has the wrong length");
    break;
  default:
    break;
  }
  free(whole);
  free(split);
  return 0;
}
