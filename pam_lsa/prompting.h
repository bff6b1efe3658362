/* The conversation of logon=challenge: the challenge shown, the response read. */
#ifndef PAM_LSA_PROMPTING_H
#define PAM_LSA_PROMPTING_H

#include <stddef.h>

#include <security/pam_modules.h>

#include <lsa/ntsecapi.h>

/* One conversation call of two messages: PAM_TEXT_INFO "NTLM challenge: HEX" and
 * PAM_PROMPT_ECHO_OFF "NTLM response: ".  The answer "NT_HEX [LM_HEX]" is decoded into
 * *NT / *LM (malloc'd; free with pl_response_free).  PAM_CONV_ERR when there is no
 * conversation or no answer, PAM_AUTH_ERR for an answer that is not hex, PAM_BUF_ERR. */
int pl_prompt_challenge(pam_handle_t *pamh, const UCHAR challenge[MSV1_0_CHALLENGE_LENGTH],
                        unsigned char **nt, size_t *nt_length, unsigned char **lm,
                        size_t *lm_length);
void pl_response_free(unsigned char *bytes, size_t length);

/* One PAM_PROMPT_ECHO_OFF "PIN for WHAT: " through the conversation: *PIN is the
 * malloc'd answer (wipe and free with pl_secret_free).  PAM_CONV_ERR without a
 * conversation or an answer. */
int pl_prompt_pin(pam_handle_t *pamh, const char *what, char **pin);
void pl_secret_free(char *secret);

#endif
