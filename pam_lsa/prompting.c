/* The conversations of logon=challenge (pam_lsa(8), CHALLENGE LOGON) and of the PIN of
 * logon=certificate (CERTIFICATE LOGON). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "prompting.h"

#define RESPONSE_MAX 4096 /* bytes of NT response: NTLMv2 blobs are well under this */

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* [TEXT, TEXT + LENGTH) of hex digits into a new buffer. */
static int hex_decode(const char *text, size_t length, unsigned char **out, size_t *out_length)
{
    if (length == 0 || length % 2 != 0 || length / 2 > RESPONSE_MAX)
        return -1;
    unsigned char *bytes = malloc(length / 2);
    if (bytes == NULL)
        return -1;
    for (size_t i = 0; i < length / 2; i++) {
        int hi = hex_value((unsigned char)text[2 * i]), lo = hex_value((unsigned char)text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(bytes);
            return -1;
        }
        bytes[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = bytes;
    *out_length = length / 2;
    return 0;
}

void pl_response_free(unsigned char *bytes, size_t length)
{
    if (bytes != NULL)
        explicit_bzero(bytes, length);
    free(bytes);
}

static int parse_response(char *answer, unsigned char **nt, size_t *nt_length,
                          unsigned char **lm, size_t *lm_length)
{
    const char *space = " \t\r\n";
    char *p = answer + strspn(answer, space);
    size_t n = strcspn(p, space);
    char *q = p + n + strspn(p + n, space);
    size_t m = strcspn(q, space);
    if (q[m + strspn(q + m, space)] != '\0')
        return -1; /* more than two words */
    if (hex_decode(p, n, nt, nt_length) != 0)
        return -1;
    if (m > 0 && hex_decode(q, m, lm, lm_length) != 0) {
        pl_response_free(*nt, *nt_length);
        *nt = NULL;
        return -1;
    }
    return 0;
}

int pl_prompt_challenge(pam_handle_t *pamh, const UCHAR challenge[MSV1_0_CHALLENGE_LENGTH],
                        unsigned char **nt, size_t *nt_length, unsigned char **lm,
                        size_t *lm_length)
{
    *nt = *lm = NULL;
    *nt_length = *lm_length = 0;
    const void *item = NULL;
    if (pam_get_item(pamh, PAM_CONV, &item) != PAM_SUCCESS || item == NULL ||
        ((const struct pam_conv *)item)->conv == NULL) {
        pam_syslog(pamh, LOG_ERR, "logon=challenge needs a conversation function");
        return PAM_CONV_ERR;
    }
    const struct pam_conv *conv = item;

    static const char hex[] = "0123456789abcdef";
    char info[64] = "NTLM challenge: ";
    size_t at = strlen(info);
    for (size_t i = 0; i < MSV1_0_CHALLENGE_LENGTH; i++) {
        info[at++] = hex[challenge[i] >> 4];
        info[at++] = hex[challenge[i] & 15];
    }
    info[at] = '\0';
    struct pam_message messages[2] = {
        { PAM_TEXT_INFO, info },
        { PAM_PROMPT_ECHO_OFF, "NTLM response: " },
    };
    const struct pam_message *pointers[2] = { &messages[0], &messages[1] };
    struct pam_response *replies = NULL;
    int rc = conv->conv(2, pointers, &replies, conv->appdata_ptr);
    if (rc != PAM_SUCCESS || replies == NULL) {
        pam_syslog(pamh, LOG_ERR, "the challenge conversation failed: %s", pam_strerror(pamh, rc));
        free(replies);
        return rc == PAM_SUCCESS || rc == PAM_BUF_ERR ? PAM_CONV_ERR : rc;
    }
    char *answer = replies[1].resp;
    if (replies[0].resp != NULL) {
        explicit_bzero(replies[0].resp, strlen(replies[0].resp));
        free(replies[0].resp);
    }
    free(replies);
    if (answer == NULL) {
        pam_syslog(pamh, LOG_NOTICE, "no answer to the NTLM challenge");
        return PAM_CONV_ERR;
    }
    rc = PAM_SUCCESS;
    if (strlen(answer) > PAM_MAX_RESP_SIZE * 32 ||
        parse_response(answer, nt, nt_length, lm, lm_length) != 0) {
        pam_syslog(pamh, LOG_NOTICE, "the answer to the NTLM challenge is not NT_HEX [LM_HEX]");
        rc = PAM_AUTH_ERR;
    }
    explicit_bzero(answer, strlen(answer));
    free(answer);
    return rc;
}

void pl_secret_free(char *secret)
{
    if (secret != NULL)
        explicit_bzero(secret, strlen(secret));
    free(secret);
}

int pl_prompt_pin(pam_handle_t *pamh, const char *what, char **pin)
{
    *pin = NULL;
    const void *item = NULL;
    if (pam_get_item(pamh, PAM_CONV, &item) != PAM_SUCCESS || item == NULL ||
        ((const struct pam_conv *)item)->conv == NULL) {
        pam_syslog(pamh, LOG_ERR, "the PIN needs a conversation function");
        return PAM_CONV_ERR;
    }
    const struct pam_conv *conv = item;
    char prompt[PAM_MAX_MSG_SIZE];
    snprintf(prompt, sizeof(prompt), "PIN for %s: ", what);
    struct pam_message message = { PAM_PROMPT_ECHO_OFF, prompt };
    const struct pam_message *pointer = &message;
    struct pam_response *reply = NULL;
    int rc = conv->conv(1, &pointer, &reply, conv->appdata_ptr);
    if (rc != PAM_SUCCESS || reply == NULL || reply->resp == NULL) {
        pam_syslog(pamh, LOG_NOTICE, "no PIN: %s", pam_strerror(pamh, rc));
        if (reply != NULL)
            pl_secret_free(reply->resp);
        free(reply);
        return rc == PAM_SUCCESS || rc == PAM_BUF_ERR ? PAM_CONV_ERR : rc;
    }
    *pin = reply->resp;
    free(reply);
    return PAM_SUCCESS;
}
