#include "credential.h"

#include <stdlib.h>
#include <string.h>

#include "package_state.h"

#define HEADER_SIZE 24u /* Version 4 + hash 16 + two lengths 2 + 2 */

static LSA_STRING credential_key(void)
{
    static char key[] = MSV_CREDENTIAL_KEY;
    LSA_STRING s = { sizeof(key) - 1, sizeof(key), key };
    return s;
}

NTSTATUS msv_credential_add(const LUID *logon_id, const uint8_t nt_hash[16],
                            PCUNICODE_STRING user, PCUNICODE_STRING domain)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    ULONG length = HEADER_SIZE + user->Length + domain->Length;
    uint32_t version = MSV_CREDENTIAL_VERSION;
    LSA_STRING key = credential_key(), value;
    LUID id = *logon_id;
    PUCHAR blob;
    NTSTATUS status;

    if (length > 0xFFFF)
        return STATUS_INVALID_PARAMETER; /* an LSA_STRING holds at most 65535 bytes */
    blob = lsa->AllocateLsaHeap(length);
    if (blob == NULL)
        return STATUS_NO_MEMORY;
    memcpy(blob, &version, 4);
    memcpy(blob + 4, nt_hash, 16);
    memcpy(blob + 20, &user->Length, 2);
    memcpy(blob + 22, &domain->Length, 2);
    if (user->Length > 0)
        memcpy(blob + HEADER_SIZE, user->Buffer, user->Length);
    if (domain->Length > 0)
        memcpy(blob + HEADER_SIZE + user->Length, domain->Buffer, domain->Length);
    value.Buffer = (PCHAR)blob;
    value.Length = value.MaximumLength = (USHORT)length;
    status = lsa->AddCredential(&id, (ULONG)msv_package.package_id, &key, &value);
    explicit_bzero(blob, length);
    lsa->FreeLsaHeap(blob);
    return status;
}

static NTSTATUS copy_chars(PUNICODE_STRING out, const UCHAR *chars, USHORT bytes)
{
    out->Buffer = malloc(bytes ? bytes : 2);
    if (out->Buffer == NULL)
        return STATUS_NO_MEMORY;
    memcpy(out->Buffer, chars, bytes);
    out->Length = out->MaximumLength = bytes;
    return STATUS_SUCCESS;
}

NTSTATUS msv_credential_get(const LUID *logon_id, struct msv_credential *credential)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    LSA_STRING key = credential_key(), value = { 0, 0, NULL };
    ULONG context = 0, key_length = 0;
    LUID id = *logon_id;
    const UCHAR *blob;
    uint32_t version;
    USHORT user_bytes, domain_bytes;
    NTSTATUS status;

    memset(credential, 0, sizeof(*credential));
    status = lsa->GetCredentials(&id, (ULONG)msv_package.package_id, &context, FALSE, &key,
                                 &key_length, &value);
    if (status != STATUS_SUCCESS) {
        /* STATUS_UNSUCCESSFUL is "no (more) credentials" (spec §2.4). */
        return status == STATUS_NO_MEMORY ? status : STATUS_NO_SUCH_LOGON_SESSION;
    }
    blob = (const UCHAR *)value.Buffer;
    status = STATUS_NO_SUCH_LOGON_SESSION; /* a credential not in this layout is none */
    if (blob != NULL && value.Length >= HEADER_SIZE) {
        memcpy(&version, blob, 4);
        memcpy(&user_bytes, blob + 20, 2);
        memcpy(&domain_bytes, blob + 22, 2);
        if (version == MSV_CREDENTIAL_VERSION && user_bytes % 2 == 0 && domain_bytes % 2 == 0 &&
            (ULONG)HEADER_SIZE + user_bytes + domain_bytes == value.Length) {
            memcpy(credential->nt_hash, blob + 4, 16);
            status = copy_chars(&credential->user, blob + HEADER_SIZE, user_bytes);
            if (status == STATUS_SUCCESS)
                status = copy_chars(&credential->domain, blob + HEADER_SIZE + user_bytes,
                                    domain_bytes);
        }
    }
    if (value.Buffer != NULL) {
        explicit_bzero(value.Buffer, value.Length);
        lsa->FreeLsaHeap(value.Buffer);
    }
    if (status != STATUS_SUCCESS)
        msv_credential_free(credential);
    return status;
}

void msv_credential_free(struct msv_credential *credential)
{
    explicit_bzero(credential->nt_hash, sizeof(credential->nt_hash));
    free(credential->user.Buffer);
    free(credential->domain.Buffer);
    memset(credential, 0, sizeof(*credential));
}
