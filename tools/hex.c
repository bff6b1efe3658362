/* Hex text <-> bytes (hex.h). */
#include "hex.h"

#include <ctype.h>
#include <stdlib.h>

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hex_decode(const char *text, unsigned char **out, size_t *len, char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    size_t digits = 0;
    for (size_t i = 0; text[i] != '\0'; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_space(c))
            continue;
        if (digit_value(c) < 0) {
            if (isprint(c))
                snprintf(err, errlen, "'%c' at offset %zu is not a hex digit", c, i);
            else
                snprintf(err, errlen, "byte 0x%02x at offset %zu is not a hex digit", c, i);
            return -1;
        }
        digits++;
        if (digits % 2 == 1 && (text[i + 1] == '\0' || is_space((unsigned char)text[i + 1]))) {
            snprintf(err, errlen,
                     "odd number of hex digits: '%c' at offset %zu has no partner "
                     "(each byte is two digits)",
                     c, i);
            return -1;
        }
    }
    if (digits == 0)
        return 0;
    unsigned char *bytes = malloc(digits / 2);
    if (bytes == NULL) {
        snprintf(err, errlen, "out of memory for %zu bytes", digits / 2);
        return -1;
    }
    size_t n = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (is_space((unsigned char)*p))
            continue;
        bytes[n++] = (unsigned char)(digit_value((unsigned char)p[0]) << 4 |
                                     digit_value((unsigned char)p[1]));
        p++;
    }
    *out = bytes;
    *len = n;
    return 0;
}

void hex_encode(const unsigned char *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * len] = '\0';
}

void hex_dump(FILE *out, const unsigned char *bytes, size_t len)
{
    for (size_t line = 0; line < len; line += 16) {
        fprintf(out, "%08zx ", line);
        for (size_t i = line; i < line + 16; i++) {
            if (i % 8 == 0)
                fputc(' ', out);
            if (i < len)
                fprintf(out, "%02x ", bytes[i]);
            else
                fputs("   ", out);
        }
        fputs(" |", out);
        for (size_t i = line; i < line + 16 && i < len; i++)
            fputc(bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.', out);
        fputs("|\n", out);
    }
}
