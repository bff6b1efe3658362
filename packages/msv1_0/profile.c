#include "profile.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>

#include "logon_policy.h"
#include "package_reply.h"
#include "nt_time.h"
#include "package_state.h"

#define PASSWD_BUFFER_SIZE 16384

/* FullName and HomeDirectory from the passwd entry named like the account (empty when
 * there is none: an MSV1_0 account need not be a Unix account). */
static void passwd_strings(const char *name, PUNICODE_STRING full_name, PUNICODE_STRING home)
{
    struct passwd pw, *found = NULL;
    char *buffer = malloc(PASSWD_BUFFER_SIZE);
    size_t gecos_length;

    memset(full_name, 0, sizeof(*full_name));
    memset(home, 0, sizeof(*home));
    if (buffer == NULL)
        return;
    if (getpwnam_r(name, &pw, buffer, PASSWD_BUFFER_SIZE, &found) == 0 && found != NULL) {
        if (pw.pw_gecos != NULL) {
            gecos_length = strcspn(pw.pw_gecos, ",");
            if (lsa_utf8_to_unicode_string(pw.pw_gecos, gecos_length, full_name) != STATUS_SUCCESS)
                memset(full_name, 0, sizeof(*full_name));
        }
        if (pw.pw_dir != NULL &&
            lsa_utf8_to_unicode_string(pw.pw_dir, strlen(pw.pw_dir), home) != STATUS_SUCCESS)
            memset(home, 0, sizeof(*home));
    }
    free(buffer);
}

NTSTATUS msv_profile_interactive(PLSA_CLIENT_REQUEST request, const struct msv_account *account,
                                 uint32_t bad_passwords, int64_t logon_time_nt, PVOID *profile,
                                 PULONG profile_length)
{
    const struct msv_config *c = &msv_package.config;
    MSV1_0_INTERACTIVE_PROFILE *p;
    UNICODE_STRING full_name, home;
    struct pkg_reply reply;
    ULONG size;
    NTSTATUS status;

    passwd_strings(account->name, &full_name, &home);
    size = (ULONG)sizeof(*p) + PKG_REPLY_ROOM(full_name.Length) + PKG_REPLY_ROOM(home.Length) +
           PKG_REPLY_ROOM(c->logon_server_w.Length);
    status = pkg_reply_begin(&reply, msv_package.lsa, request, size, sizeof(*p));
    if (status == STATUS_SUCCESS) {
        p = (MSV1_0_INTERACTIVE_PROFILE *)reply.local;
        p->MessageType = MsV1_0InteractiveProfile;
        p->LogonCount = (USHORT)(account->logon_count > 0xFFFF ? 0xFFFF : account->logon_count);
        p->BadPasswordCount = (USHORT)(bad_passwords > 0xFFFF ? 0xFFFF : bad_passwords);
        p->LogonTime.QuadPart = logon_time_nt;
        p->LogoffTime.QuadPart = MSV_NT_TIME_NEVER;
        p->KickOffTime.QuadPart = MSV_NT_TIME_NEVER;
        p->PasswordLastSet.QuadPart = msv_unix_to_nt(account->password_last_set);
        p->PasswordCanChange.QuadPart = p->PasswordLastSet.QuadPart;
        p->PasswordMustChange.QuadPart = msv_policy_password_must_change(account);
        pkg_reply_put_unicode(&reply, &p->HomeDirectory, home.Buffer, home.Length);
        pkg_reply_put_unicode(&reply, &p->FullName, full_name.Buffer, full_name.Length);
        pkg_reply_put_unicode(&reply, &p->LogonServer, c->logon_server_w.Buffer,
                              c->logon_server_w.Length);
        p->UserFlags = 0;
        status = pkg_reply_end(&reply, profile, profile_length);
    }
    lsa_free_unicode_string(&full_name);
    lsa_free_unicode_string(&home);
    return status;
}

static ULONG user_flags(enum ntlm_response_kind kind)
{
    ULONG flags = LOGON_NTLMV2_ENABLED;

    switch (kind) {
    case NTLM_RESPONSE_NTLMV2:
        flags |= LOGON_NTLM_V2;
        break;
    case NTLM_RESPONSE_LMV2:
        flags |= LOGON_LM_V2;
        break;
    case NTLM_RESPONSE_LMV1:
        flags |= LOGON_USED_LM_PASSWORD;
        break;
    default:
        break;
    }
    return flags;
}

NTSTATUS msv_profile_lm20(PLSA_CLIENT_REQUEST request, const struct ntlm_verify_result *result,
                          PVOID *profile, PULONG profile_length)
{
    const struct msv_config *c = &msv_package.config;
    MSV1_0_LM20_LOGON_PROFILE *p;
    struct pkg_reply reply;
    ULONG size = (ULONG)sizeof(*p) + PKG_REPLY_ROOM(c->domain_w.Length) +
                 PKG_REPLY_ROOM(c->computer_w.Length);
    NTSTATUS status = pkg_reply_begin(&reply, msv_package.lsa, request, size, sizeof(*p));

    if (status != STATUS_SUCCESS)
        return status;
    p = (MSV1_0_LM20_LOGON_PROFILE *)reply.local;
    p->MessageType = MsV1_0Lm20LogonProfile;
    p->KickOffTime.QuadPart = MSV_NT_TIME_NEVER;
    p->LogoffTime.QuadPart = MSV_NT_TIME_NEVER;
    p->UserFlags = user_flags(result->kind);
    memcpy(p->UserSessionKey, result->user_session_key, sizeof(p->UserSessionKey));
    memcpy(p->LanmanSessionKey, result->lm_session_key, sizeof(p->LanmanSessionKey));
    pkg_reply_put_unicode(&reply, &p->LogonDomainName, c->domain_w.Buffer, c->domain_w.Length);
    pkg_reply_put_unicode(&reply, &p->LogonServer, c->computer_w.Buffer, c->computer_w.Length);
    return pkg_reply_end(&reply, profile, profile_length);
}
