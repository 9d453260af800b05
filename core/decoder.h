/* Encodings: socket.setEncoding() turns bytes into text as Node's
 * StringDecoder does, socket.write(data, encoding) turns text into bytes as
 * Node's Buffer.from(string, encoding) does. Text on this side is UTF-8 (a
 * Lua string): where Node makes a JavaScript string, these functions make
 * that string's UTF-8, and where Node takes one, they take its UTF-8.
 * Self-contained: no libuv, no Lua, no allocation; the caller gives every
 * output buffer, sized with the *_max functions. */
#ifndef LN_DECODER_H
#define LN_DECODER_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  LN_ENC_UTF8,
  LN_ENC_HEX,
  LN_ENC_BASE64,
  LN_ENC_BASE64URL,
  LN_ENC_LATIN1, /* also 'binary' */
  LN_ENC_ASCII,
  LN_ENC_UTF16LE /* also 'ucs2' */
} ln_encoding_t;

/* The encoding that name (len bytes, not NUL-terminated) stands for, as
 * Node's normalizeEncoding reads it: 'utf8', 'utf-8', 'hex', 'base64',
 * 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'ucs-2', 'utf16le',
 * 'utf-16le', in any mix of case; the empty name is 'utf8', as in Node.
 * Returns an ln_encoding_t, or -1 for any other name ('buffer' included:
 * Node's StringDecoder and Buffer.from refuse it too). */
int ln_encoding_parse(const char *name, size_t len);

/* Node's canonical name of enc: "utf8", "hex", "base64", "base64url",
 * "latin1", "ascii", "utf16le" (what socket.readableEncoding reads). A static
 * string; NULL when enc is not an ln_encoding_t. */
const char *ln_encoding_name(int enc);

/* A streaming decoder, one per socket after setEncoding(). The fields are
 * private: Node's incomplete character (pending bytes and how many more it
 * waits for) and, for 'utf16le', a high surrogate held back because UTF-8
 * cannot end a string on half a pair. */
typedef struct {
  uint8_t enc;
  uint8_t pending;
  uint8_t missing;
  unsigned char bytes[4];
  uint16_t high;
} ln_decoder_t;

/* Makes d a fresh decoder for enc, an ln_encoding_t from
 * ln_encoding_parse. Never fails; d needs no cleanup. */
void ln_decoder_init(ln_decoder_t *d, int enc);

/* Whether d holds bytes of an unfinished character, which
 * ln_decoder_end would turn into text. */
int ln_decoder_holds(const ln_decoder_t *d);

/* An upper bound, in bytes, of what ln_decoder_write(d, ..., len, ...) can
 * produce, and also of that write and the ln_decoder_end after it together.
 * Valid while len < SIZE_MAX / 4. */
size_t ln_decoder_max(const ln_decoder_t *d, size_t len);

/* Node's StringDecoder.write: decodes len bytes of in (len may be 0) and
 * writes the text, UTF-8, to out, which must hold ln_decoder_max(d, len)
 * bytes; no NUL is added. Returns the bytes written, possibly 0 (Node then
 * emits no 'data'). Bytes that may start a character finished by later
 * data stay in d, exactly those Node keeps: the start of a UTF-8 sequence,
 * an odd byte or a high surrogate of 'utf16le', the 1 or 2 bytes past a
 * multiple of 3 of 'base64' and 'base64url'. Invalid UTF-8 comes out as
 * U+FFFD wherever and as often as Node puts it. One addition: a 'utf16le'
 * high surrogate that would end the text (Node splits a pair between two
 * strings when an odd byte follows its first half) is held until the next
 * call, since UTF-8 cannot carry half a pair; alone, it becomes U+FFFD, as
 * every lone surrogate does. Never fails. */
size_t ln_decoder_write(ln_decoder_t *d, const char *in, size_t len, char *out);

/* Node's StringDecoder.end: writes what d still holds to out, which must
 * hold ln_decoder_max(d, 0) bytes: U+FFFD for an unfinished UTF-8 sequence
 * or a lone high surrogate (an odd 'utf16le' byte is dropped), the last
 * base64 digits with their '=' padding ('base64url' has none). Returns the
 * bytes written and leaves d fresh, for the same encoding. */
size_t ln_decoder_end(ln_decoder_t *d, char *out);

/* An upper bound, in bytes, of what ln_encode(enc, ..., len, ...) produces
 * from len bytes of text. */
size_t ln_encode_max(int enc, size_t len);

/* Node's Buffer.from(string, enc), the string given as len bytes of UTF-8
 * at in: writes the bytes to out, which must hold ln_encode_max(enc, len)
 * bytes, and returns how many. Never fails: as in Node, bad text gives
 * short output, not an error.
 * 'utf8' copies in as it is, valid or not (a Lua string is also a Buffer).
 * The others work, as Node's do, on the UTF-16 units of the JavaScript
 * string that in stands for; invalid UTF-8 stands for what Node's
 * buf.toString('utf8') makes of it, one U+FFFD per invalid or cut short
 * sequence. 'latin1', 'binary' and 'ascii' keep the low byte of each unit
 * ('ascii' too turns 'é' into E9; U+1F600, units D83D DE00, gives 3D 00).
 * 'utf16le' writes each unit little-endian. 'hex' reads pairs of units,
 * stops at the first pair that is not two hex digits and ignores an odd
 * last one. 'base64' and 'base64url' both take either alphabet, with or
 * without padding, skip any other unit and stop at the first '='. Like
 * Node, 'hex' and the base64s judge a unit by its low byte alone: 'Ł'
 * (U+0141) reads as 'A', and U+D83D, the first half of most emoji, as '='. */
size_t ln_encode(int enc, const char *in, size_t len, char *out);

#endif
