/* Hex text <-> bytes for the `lsa` command's messages and replies. */
#ifndef LSA_TOOLS_HEX_H
#define LSA_TOOLS_HEX_H

#include <stddef.h>
#include <stdio.h>

/*
 * Decode TEXT: hex digits (either case), whitespace allowed between bytes ("01000000
 * aa bb cc").  Each whitespace-separated group must have an even number of digits.
 * On success returns 0 with *OUT malloc'ed (free it; NULL when *LEN is 0).  On error
 * returns -1 and writes the reason, naming the offending character and its offset,
 * into ERR.
 */
int hex_decode(const char *text, unsigned char **out, size_t *len, char *err, size_t errlen);

/* Lower-case hex of LEN bytes into OUT, which holds at least 2 * LEN + 1 chars. */
void hex_encode(const unsigned char *bytes, size_t len, char *out);

/* `hexdump -C` style: offset, 16 bytes in hex, the same as ASCII ('.' if unprintable). */
void hex_dump(FILE *out, const unsigned char *bytes, size_t len);

#endif
