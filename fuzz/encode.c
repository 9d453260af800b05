/* Fuzz target: core/decoder.c's ln_encode, socket.write(text, encoding)
 * turning user text into bytes, every encoding.
 *
 * Input: byte 0 picks the encoding, the rest is the text (any bytes: a Lua
 * string need not be UTF-8). Checked:
 *  - ln_encode writes no more than ln_encode_max (the buffer is exactly
 *    that size: AddressSanitizer sees one byte over);
 *  - invalid UTF-8 stands for what decoding it as 'utf8' gives (Node's
 *    buf.toString()), so encoding the text or that decoding is the same;
 *  - the same bytes decoded with the encoding (setEncoding) and encoded
 *    back give the bytes again: 'latin1', 'hex', 'base64', 'base64url'
 *    always, 'ascii' for the low 7 bits, 'utf16le' for whole, paired
 *    units, 'utf8' for valid UTF-8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"

#define CHECK(cond, what)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "encode: check failed: %s\n  %s, enc %d, %zu bytes\n",   \
              what, #cond, enc, len);                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* ln_encode into a buffer of exactly ln_encode_max bytes (malloc'd). */
static unsigned char *encode(int enc, const void *in, size_t len,
                             size_t *n) {
  size_t max = ln_encode_max(enc, len);
  unsigned char *out = malloc(max);
  *n = ln_encode(enc, in, len, (char *)out);
  if (*n > max) {
    fprintf(stderr, "encode: wrote %zu bytes, ln_encode_max %zu\n", *n, max);
    abort();
  }
  return out;
}

/* One write and end() of a fresh decoder for enc (malloc'd). */
static char *decode(int enc, const void *in, size_t len, size_t *n) {
  ln_decoder_t d;
  char *out;
  ln_decoder_init(&d, enc);
  out = malloc(ln_decoder_max(&d, len) + 1);
  *n = ln_decoder_write(&d, in, len, out);
  *n += ln_decoder_end(&d, out + *n);
  return out;
}

/* Whether in holds whole UTF-16LE units with every surrogate paired. */
static int whole_utf16(const unsigned char *in, size_t len) {
  if (len % 2 != 0)
    return 0;
  for (size_t i = 0; i < len; i += 2) {
    unsigned u = in[i] | (unsigned)in[i + 1] << 8;
    if (u >= 0xDC00 && u <= 0xDFFF)
      return 0;
    if (u >= 0xD800 && u <= 0xDBFF) {
      unsigned v;
      if (i + 3 >= len)
        return 0;
      v = in[i + 2] | (unsigned)in[i + 3] << 8;
      if (v < 0xDC00 || v > 0xDFFF)
        return 0;
      i += 2;
    }
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const unsigned char *in;
  unsigned char *bytes, *again;
  char *text, *fixed;
  size_t len, n, m, text_len, fixed_len;
  int enc;

  if (size < 1)
    return 0;
  enc = data[0] % 7;
  in = data + 1;
  len = size - 1;

  /* The text as given, and as the valid UTF-8 it stands for. */
  bytes = encode(enc, in, len, &n);
  fixed = decode(LN_ENC_UTF8, in, len, &fixed_len);
  again = encode(enc, fixed, fixed_len, &m);
  if (enc != LN_ENC_UTF8)
    CHECK(n == m && memcmp(bytes, again, n) == 0,
          "invalid UTF-8 does not stand for its decoding");
  else
    CHECK(n == len && memcmp(bytes, in, len) == 0, "'utf8' changed the text");
  free(bytes);
  free(again);
  free(fixed);

  /* The bytes decoded with enc and encoded back. */
  text = decode(enc, in, len, &text_len);
  bytes = encode(enc, text, text_len, &n);
  switch (enc) {
  case LN_ENC_LATIN1:
  case LN_ENC_HEX:
  case LN_ENC_BASE64:
  case LN_ENC_BASE64URL:
    CHECK(n == len && memcmp(bytes, in, len) == 0,
          "decoding then encoding lost bytes");
    break;
  case LN_ENC_ASCII:
    CHECK(n == len, "ascii: decoding then encoding changed the length");
    for (size_t i = 0; i < len; i++)
      CHECK(bytes[i] == (in[i] & 0x7F), "ascii: a byte changed");
    break;
  case LN_ENC_UTF16LE:
    if (whole_utf16(in, len))
      CHECK(n == len && memcmp(bytes, in, len) == 0,
            "utf16le: decoding then encoding lost units");
    break;
  default:
    break;
  }
  free(bytes);
  free(text);
  return 0;
}
