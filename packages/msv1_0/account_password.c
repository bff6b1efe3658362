/*
 * Setting an account's password: the NT hash always (MD4 of the UTF-16LE password), the
 * LM hash only when the password has one (ntlm_crypto.h: at most 14 characters, ASCII),
 * the last-set time, and must_change cleared.  ACB_PWNOTREQ is cleared too, as Samba's
 * smbpasswd does when a password is set: the account now has one.
 */
#include "account_store.h"

#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"

NTSTATUS msv_account_set_password(struct msv_account *account, const char *utf8_password,
                                  int64_t now)
{
    if (account == NULL || utf8_password == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS)
        return status;

    UNICODE_STRING password;
    status = lsa_utf8_to_unicode_string(utf8_password, strlen(utf8_password), &password);
    if (status != STATUS_SUCCESS)
        return status;

    uint8_t nt[NTLM_HASH_LENGTH], lm[NTLM_HASH_LENGTH];
    BOOLEAN has_lm = FALSE;
    status = ntlm_nt_hash(password.Buffer, password.Length, nt);
    if (status == STATUS_SUCCESS) {
        NTSTATUS lm_status = ntlm_lm_hash(password.Buffer, password.Length, lm);
        if (lm_status == STATUS_SUCCESS)
            has_lm = TRUE;
        else if (lm_status != STATUS_OBJECT_NAME_NOT_FOUND) /* no LM hash for this password */
            status = lm_status;
    }
    lsa_free_unicode_string(&password);

    if (status == STATUS_SUCCESS) {
        memcpy(account->nt_hash, nt, sizeof(nt));
        account->has_nt = TRUE;
        if (has_lm)
            memcpy(account->lm_hash, lm, sizeof(lm));
        else
            explicit_bzero(account->lm_hash, sizeof(account->lm_hash));
        account->has_lm = has_lm;
        account->password_last_set = now;
        account->must_change = FALSE;
        account->acb_flags &= ~(uint32_t)ACB_PWNOTREQ;
    }
    explicit_bzero(nt, sizeof(nt));
    explicit_bzero(lm, sizeof(lm));
    return status;
}
