#include <string.h>

#include "decoder.h"

static const char *const names[] = {"utf8",   "hex",   "base64", "base64url",
                                    "latin1", "ascii", "utf16le"};

static const struct {
  const char *name;
  ln_encoding_t enc;
} aliases[] = {
    {"utf8", LN_ENC_UTF8},
    {"utf-8", LN_ENC_UTF8},
    {"hex", LN_ENC_HEX},
    {"base64", LN_ENC_BASE64},
    {"base64url", LN_ENC_BASE64URL},
    {"latin1", LN_ENC_LATIN1},
    {"binary", LN_ENC_LATIN1},
    {"ascii", LN_ENC_ASCII},
    {"ucs2", LN_ENC_UTF16LE},
    {"ucs-2", LN_ENC_UTF16LE},
    {"utf16le", LN_ENC_UTF16LE},
    {"utf-16le", LN_ENC_UTF16LE},
};

static const char hex_digits[] = "0123456789abcdef";
static const char base64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char base64url_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int ln_encoding_parse(const char *name, size_t len) {
  /* Node lowercases with String.prototype.toLowerCase, but the only
   * non-ASCII letters it maps to ASCII ('K' KELVIN SIGN to 'k', 'İ' to "i"
   * plus a combining dot) cannot make one of these names, so ASCII case
   * folding matches exactly the same names. */
  if (len == 0)
    return LN_ENC_UTF8;
  for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
    const char *a = aliases[i].name;
    size_t j = 0;
    if (strlen(a) != len)
      continue;
    while (j < len && (name[j] == a[j] || (name[j] >= 'A' && name[j] <= 'Z' &&
                                           name[j] - 'A' + 'a' == a[j])))
      j++;
    if (j == len)
      return (int)aliases[i].enc;
  }
  return -1;
}

const char *ln_encoding_name(int enc) {
  if (enc < 0 || enc > LN_ENC_UTF16LE)
    return NULL;
  return names[enc];
}

/* Reads one character of the UTF-8 at s (len > 0 bytes) the way V8 reads
 * UTF-8 into a string (the WHATWG decoder): a sequence that is invalid or
 * cut short becomes one U+FFFD for its longest valid beginning, or for its
 * first byte alone. Stores the code point and returns the bytes taken. */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp) {
  unsigned char b = s[0], lo = 0x80, hi = 0xBF;
  size_t need, i;
  uint32_t c;

  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    c = b & 0x0F;
    if (b == 0xE0)
      lo = 0xA0; /* overlong */
    else if (b == 0xED)
      hi = 0x9F; /* surrogates */
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    c = b & 0x07;
    if (b == 0xF0)
      lo = 0x90; /* overlong */
    else if (b == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  for (i = 1; i <= need; i++) {
    if (i == len || s[i] < lo || s[i] > hi) {
      *cp = 0xFFFD;
      return i;
    }
    c = c << 6 | (s[i] & 0x3F);
    lo = 0x80;
    hi = 0xBF;
  }
  *cp = c;
  return i;
}

static size_t utf8_put(char *out, uint32_t c) {
  unsigned char *o = (unsigned char *)out;
  if (c < 0x80) {
    o[0] = (unsigned char)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (unsigned char)(0xC0 | c >> 6);
    o[1] = (unsigned char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    o[0] = (unsigned char)(0xE0 | c >> 12);
    o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    o[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | c >> 18);
  o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
  o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
  o[3] = (unsigned char)(0x80 | (c & 0x3F));
  return 4;
}

/* One UTF-16 unit of Node's output, in UTF-8. A JavaScript string may hold
 * a lone surrogate; UTF-8 cannot, and Buffer.from(string) writes U+FFFD for
 * one. So a high surrogate waits in d->high for the next unit, across
 * writes too: Node splits a pair between two strings when an odd byte
 * follows its first half, and a Node program that joins its 'data' strings
 * gets the character back, which Lua's .. can only do if it is whole. */
static size_t utf16_put(ln_decoder_t *d, unsigned u, char *out) {
  size_t n = 0;

  if (d->high != 0) {
    uint32_t high = d->high;
    d->high = 0;
    if (u >= 0xDC00 && u <= 0xDFFF)
      return utf8_put(out, 0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00));
    n = utf8_put(out, 0xFFFD);
  }
  if (u >= 0xD800 && u <= 0xDBFF)
    d->high = (uint16_t)u;
  else
    n += utf8_put(out + n, u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u);
  return n;
}

/* Node's MakeString: the text of n bytes that need nothing more. */
static size_t text(ln_decoder_t *d, const unsigned char *in, size_t n,
                   char *out) {
  char *o = out;
  size_t i = 0;
  uint32_t c;

  switch (d->enc) {
  case LN_ENC_UTF8:
    while (i < n) {
      if (in[i] < 0x80) { /* the common case, kept quick */
        *o++ = (char)in[i++];
        continue;
      }
      i += utf8_next(in + i, n - i, &c);
      o += utf8_put(o, c);
    }
    break;
  case LN_ENC_HEX:
    for (; i < n; i++) {
      *o++ = hex_digits[in[i] >> 4];
      *o++ = hex_digits[in[i] & 15];
    }
    break;
  case LN_ENC_BASE64:
  case LN_ENC_BASE64URL: {
    const char *digits =
        d->enc == LN_ENC_BASE64 ? base64_digits : base64url_digits;
    for (; i < n; i += 3) {
      uint32_t v = (uint32_t)in[i] << 16;
      if (i + 1 < n)
        v |= (uint32_t)in[i + 1] << 8;
      if (i + 2 < n)
        v |= in[i + 2];
      *o++ = digits[v >> 18];
      *o++ = digits[v >> 12 & 63];
      if (i + 1 < n)
        *o++ = digits[v >> 6 & 63];
      else if (d->enc == LN_ENC_BASE64)
        *o++ = '=';
      if (i + 2 < n)
        *o++ = digits[v & 63];
      else if (d->enc == LN_ENC_BASE64)
        *o++ = '=';
    }
    break;
  }
  case LN_ENC_LATIN1:
    for (; i < n; i++)
      o += utf8_put(o, in[i]);
    break;
  case LN_ENC_ASCII:
    /* Node clears the high bit rather than replacing the byte. */
    for (; i < n; i++)
      *o++ = (char)(in[i] & 0x7F);
    break;
  case LN_ENC_UTF16LE:
    /* An odd last byte, which only end() can bring, is dropped, as in Node. */
    for (; i + 1 < n; i += 2)
      o += utf16_put(d, in[i] | (unsigned)in[i + 1] << 8, o);
    break;
  }
  return (size_t)(o - out);
}

/* How many bytes (2 to 4, or 0) a UTF-8 lead byte announces, judged by its
 * top bits alone as Node does: C0, C1 and F5 to F7 announce 2 and 4 too,
 * F8 to FF and ASCII bytes 0. */
static unsigned lead_length(unsigned char b) {
  if ((b & 0xE0) == 0xC0)
    return 2;
  if ((b & 0xF0) == 0xE0)
    return 3;
  if ((b & 0xF8) == 0xF0)
    return 4;
  return 0;
}

/* Moves into d the bytes at the end of in (len > 0) that Node keeps for
 * the next write, sets how many more it will want, and returns how many
 * it kept. */
static size_t keep_tail(ln_decoder_t *d, const unsigned char *in, size_t len) {
  size_t keep = 0, want = 0;

  switch (d->enc) {
  case LN_ENC_UTF8:
    /* Node's rule, not a validator's: wait when one of the last three
     * bytes is a lead byte, followed only by continuation bytes, that
     * announces more bytes than it has, valid or not. The kept bytes are
     * decoded to the same U+FFFDs later, once they are joined. */
    for (size_t i = len; i-- > 0 && keep < 3;) {
      keep++;
      if ((in[i] & 0xC0) != 0x80) {
        want = lead_length(in[i]);
        break;
      }
    }
    if (want <= keep)
      keep = want = 0;
    else
      want -= keep;
    break;
  case LN_ENC_UTF16LE:
    if (len % 2 == 1)
      keep = want = 1;
    else if ((in[len - 1] & 0xFC) == 0xD8)
      keep = want = 2; /* a high surrogate: Node waits for its pair */
    break;
  case LN_ENC_BASE64:
  case LN_ENC_BASE64URL:
    /* Only whole groups of 3 bytes make digits without padding. */
    keep = len % 3;
    want = keep > 0 ? 3 - keep : 0;
    break;
  default:
    break;
  }
  memcpy(d->bytes, in + len - keep, keep);
  d->pending = (uint8_t)keep;
  d->missing = (uint8_t)want;
  return keep;
}

void ln_decoder_init(ln_decoder_t *d, int enc) {
  memset(d, 0, sizeof(*d));
  d->enc = (uint8_t)enc;
}

int ln_decoder_holds(const ln_decoder_t *d) {
  return d->pending > 0 || d->high != 0;
}

size_t ln_decoder_max(const ln_decoder_t *d, size_t len) {
  size_t n = len + d->pending;

  switch (d->enc) {
  case LN_ENC_UTF8:
    return 3 * n; /* a U+FFFD per byte at worst */
  case LN_ENC_HEX:
  case LN_ENC_LATIN1:
    return 2 * n;
  case LN_ENC_BASE64:
  case LN_ENC_BASE64URL:
    return (n + 2) / 3 * 4;
  case LN_ENC_UTF16LE:
    return (n / 2 + 1) * 3; /* a unit and the surrogate held before */
  default:
    return n;
  }
}

size_t ln_decoder_write(ln_decoder_t *d, const char *data, size_t len,
                        char *out) {
  const unsigned char *in = (const unsigned char *)data;
  size_t n = 0, keep;

  if (d->missing > 0) {
    size_t take = len < d->missing ? len : d->missing;
    if (d->enc == LN_ENC_UTF8) {
      /* A byte that cannot continue the kept sequence ends it: Node
       * decodes it short, alone, and starts afresh at that byte. */
      for (size_t i = 0; i < take; i++) {
        if ((in[i] & 0xC0) != 0x80) {
          take = d->missing = (uint8_t)i;
          break;
        }
      }
    }
    if (take > 0)
      memcpy(d->bytes + d->pending, in, take);
    d->pending = (uint8_t)(d->pending + take);
    d->missing = (uint8_t)(d->missing - take);
    in += take;
    len -= take;
    if (d->missing > 0)
      return 0;
    n = text(d, d->bytes, d->pending, out);
    d->pending = 0;
  }
  if (len == 0)
    return n;
  keep = keep_tail(d, in, len);
  return n + text(d, in, len - keep, out + n);
}

size_t ln_decoder_end(ln_decoder_t *d, char *out) {
  size_t n = text(d, d->bytes, d->pending, out);

  if (d->high != 0)
    n += utf8_put(out + n, 0xFFFD);
  ln_decoder_init(d, d->enc);
  return n;
}

/* The encoders read the UTF-16 units of the JavaScript string that the
 * UTF-8 text stands for, because Node's encoders work on those units. Text
 * that is not valid UTF-8 stands for the string Node itself would make of
 * those bytes, buf.toString('utf8'): one U+FFFD for each invalid or cut
 * short sequence, as utf8_next reads it (so "\xE2\x82" is one U+FFFD, not
 * two). */
typedef struct {
  const unsigned char *s;
  size_t len, pos;
  unsigned low; /* the second half of a pair, still to be read */
} units_t;

static int next_unit(units_t *r) {
  uint32_t c;

  if (r->low != 0) {
    c = r->low;
    r->low = 0;
    return (int)c;
  }
  if (r->pos == r->len)
    return -1;
  r->pos += utf8_next(r->s + r->pos, r->len - r->pos, &c);
  if (c < 0x10000)
    return (int)c;
  r->low = 0xDC00 | (c & 0x3FF);
  return (int)(0xD800 | (c - 0x10000) >> 10);
}

static int unhex(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static int unbase64(int c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

size_t ln_encode_max(int enc, size_t len) {
  /* Every byte of text gives at most one unit (a 4-byte character gives
   * two), hence at most one 'latin1' byte, two 'utf16le' bytes, half a hex
   * byte and three quarters of a base64 byte. */
  switch (enc) {
  case LN_ENC_HEX:
    return len / 2;
  case LN_ENC_BASE64:
  case LN_ENC_BASE64URL:
    return len / 4 * 3 + len % 4 * 3 / 4;
  case LN_ENC_UTF16LE:
    return 2 * len;
  default:
    return len;
  }
}

size_t ln_encode(int enc, const char *in, size_t len, char *out) {
  units_t r = {(const unsigned char *)in, len, 0, 0};
  unsigned char *o = (unsigned char *)out;
  unsigned bits = 0, nbits = 0;
  int u, v;

  switch (enc) {
  case LN_ENC_UTF8:
    if (len > 0)
      memcpy(out, in, len);
    return len;
  case LN_ENC_LATIN1:
  case LN_ENC_ASCII:
    /* V8's WriteOneByte: the low byte of each unit, even for 'ascii'
     * ('é' is E9, and U+1F600 is D83D DE00, so 3D 00). */
    while ((u = next_unit(&r)) >= 0)
      *o++ = (unsigned char)u;
    break;
  case LN_ENC_UTF16LE:
    while ((u = next_unit(&r)) >= 0) {
      *o++ = (unsigned char)u;
      *o++ = (unsigned char)(u >> 8);
    }
    break;
  case LN_ENC_HEX:
    /* Node reads the low byte of each unit here too, so 'Ł' (U+0141)
     * reads as 'A'. It stops at the first pair that is not two digits and
     * ignores an odd digit at the end. */
    while ((u = next_unit(&r)) >= 0 && (v = next_unit(&r)) >= 0) {
      int high = unhex(u & 0xFF), low = unhex(v & 0xFF);
      if (high < 0 || low < 0)
        break;
      *o++ = (unsigned char)(high << 4 | low);
    }
    break;
  case LN_ENC_BASE64:
  case LN_ENC_BASE64URL:
    /* Node's lenient decoder, on low bytes again: either alphabet, padding
     * optional, anything not a digit skipped, except '=', which ends the
     * data wherever it stands (and so does U+D83D, the first half of most
     * emoji, whose low byte is '='). Digits past the last whole byte are
     * dropped. */
    while ((u = next_unit(&r)) >= 0 && (u & 0xFF) != '=') {
      if ((v = unbase64(u & 0xFF)) < 0)
        continue;
      bits = (bits << 6 | (unsigned)v) & 0xFFF;
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        *o++ = (unsigned char)(bits >> nbits);
      }
    }
    break;
  default:
    return 0;
  }
  return (size_t)(o - (unsigned char *)out);
}
