/*
 * LsaLogonUser (spec §1.1, §2.2, §3 "LsaLogonUser (server)"): the package authenticates
 * and creates the logon session; the LSA records who it is, gives the caller a token on
 * it, and on any failure undoes everything the package did (its session, its profile
 * buffer, the names it allocated).
 */
#include "logon_user.h"

#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>
#include <lsa/ntsecpkg.h>
#include <lsa/ntstatus.h>

#include "call.h"
#include "core.h"
#include "log.h"
#include "session.h"
#include "token.h"

struct package_outputs {
    LSA_TOKEN_INFORMATION_TYPE token_information_type;
    PVOID token_information;
    PUNICODE_STRING account_name;
    PUNICODE_STRING authority;
    PUNICODE_STRING machine_name;
    SECPKG_PRIMARY_CRED primary_credentials;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supplemental_credentials;
};

static void free_unicode(PUNICODE_STRING s)
{
    if (s == NULL)
        return;
    lsa_secpkg_function_table.FreeLsaHeap(s->Buffer);
    lsa_secpkg_function_table.FreeLsaHeap(s);
}

/* V1 token information is a set of separate LSA-heap blocks; V2 is one block with its
 * pointers inside it (§2.3). */
static void free_token_information(LSA_TOKEN_INFORMATION_TYPE type, PVOID info)
{
    PLSA_FREE_LSA_HEAP heap_free = lsa_secpkg_function_table.FreeLsaHeap;
    if (info == NULL)
        return;
    if (type == LsaTokenInformationNull) {
        heap_free(((PLSA_TOKEN_INFORMATION_NULL)info)->Groups);
    } else if (type == LsaTokenInformationV1) {
        PLSA_TOKEN_INFORMATION_V1 v1 = info;
        heap_free(v1->User.User.Sid);
        heap_free(v1->Groups);
        heap_free(v1->PrimaryGroup.PrimaryGroup);
        heap_free(v1->Privileges);
        heap_free(v1->Owner.Owner);
        heap_free(v1->DefaultDacl.DefaultDacl);
    }
    heap_free(info);
}

static void free_outputs(struct package_outputs *o)
{
    free_token_information(o->token_information_type, o->token_information);
    free_unicode(o->account_name);
    free_unicode(o->authority);
    free_unicode(o->machine_name);
    lsa_secpkg_function_table.FreeLsaHeap(o->supplemental_credentials);
    /* Primary credentials may hold a password: the package filled them in LSA heap. */
    SECPKG_PRIMARY_CRED *p = &o->primary_credentials;
    UNICODE_STRING *strings[] = { &p->DownlevelName, &p->DomainName, &p->Password,
                                  &p->OldPassword,   &p->DnsDomainName, &p->Upn,
                                  &p->LogonServer };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        if (strings[i]->Buffer != NULL) {
            explicit_bzero(strings[i]->Buffer, strings[i]->MaximumLength);
            lsa_secpkg_function_table.FreeLsaHeap(strings[i]->Buffer);
        }
    }
    lsa_secpkg_function_table.FreeLsaHeap(p->UserSid);
}

static NTSTATUS call_logon_entry(struct lsa_package *pkg, struct lsa_call *call,
                                 const struct lsa_logon_request *req, void *local,
                                 struct lsa_logon_result *res, struct package_outputs *o)
{
    PLSA_CLIENT_REQUEST request = (PLSA_CLIENT_REQUEST)call;
    if (pkg->logon_user_ex2 != NULL)
        return pkg->logon_user_ex2(request, req->logon_type, local, req->client_base,
                                   req->authentication_information_length, &res->profile_buffer,
                                   &res->profile_buffer_length, &res->logon_id, &res->sub_status,
                                   &o->token_information_type, &o->token_information,
                                   &o->account_name, &o->authority, &o->machine_name,
                                   &o->primary_credentials, &o->supplemental_credentials);
    if (pkg->logon_user_ex != NULL)
        return pkg->logon_user_ex(request, req->logon_type, local, req->client_base,
                                  req->authentication_information_length, &res->profile_buffer,
                                  &res->profile_buffer_length, &res->logon_id, &res->sub_status,
                                  &o->token_information_type, &o->token_information,
                                  &o->account_name, &o->authority, &o->machine_name);
    if (pkg->logon_user != NULL)
        return pkg->logon_user(request, req->logon_type, local, req->client_base,
                               req->authentication_information_length, &res->profile_buffer,
                               &res->profile_buffer_length, &res->logon_id, &res->sub_status,
                               &o->token_information_type, &o->token_information,
                               &o->account_name, &o->authority);
    return STATUS_NOT_IMPLEMENTED;
}

static void log_failure(struct lsa_package *pkg, PUNICODE_STRING account, NTSTATUS status,
                        NTSTATUS sub_status)
{
    char *name = NULL;
    if (account != NULL && account->Length > 0)
        lsa_unicode_string_to_utf8(account, &name, NULL);
    const char *s = lsa_status_name(status), *sub = lsa_status_name(sub_status);
    lsa_log(LOG_NOTICE, "logon of '%s' through %s failed: %s (0x%08x)%s%s", name ? name : "",
            pkg->name, s ? s : "unknown status", (unsigned)status, sub_status ? ", substatus " : "",
            sub_status ? (sub ? sub : "unknown") : "");
    free(name);
}

NTSTATUS lsa_server_logon_user(struct lsa_connection *conn, const struct lsa_logon_request *req,
                               struct lsa_logon_result *res)
{
    memset(res, 0, sizeof(*res));
    struct lsa_package *pkg = lsa_package_by_id(req->package_id);
    if (pkg == NULL)
        return STATUS_NO_SUCH_PACKAGE;
    /* TCB is needed to add local groups to the token (spec §1.4). */
    if (req->has_local_groups && !conn->trusted)
        return STATUS_PRIVILEGE_NOT_HELD;

    struct lsa_submit_copy copy;
    if (lsa_submit_copy_make(&copy, req->authentication_information,
                             req->authentication_information_length) != STATUS_SUCCESS)
        return STATUS_INSUFFICIENT_RESOURCES;
    void *local = copy.bytes;

    struct package_outputs o;
    memset(&o, 0, sizeof(o));
    struct lsa_call call;
    lsa_call_begin(&call, conn, FALSE, req->client_base, req->authentication_information,
                   req->authentication_information_length);
    NTSTATUS status = call_logon_entry(pkg, &call, req, local, res, &o);

    if (NT_SUCCESS(status) && lsa_luid_is_zero(res->logon_id)) {
        lsa_log(LOG_ERR, "package %s reported a logon without a logon session", pkg->name);
        status = STATUS_INTERNAL_ERROR;
    }
    if (NT_SUCCESS(status) && res->profile_buffer != NULL &&
        !lsa_call_owns_buffer(&call, res->profile_buffer, res->profile_buffer_length)) {
        lsa_log(LOG_ERR,
                "package %s returned a profile that is not one of its client buffers of %u bytes",
                pkg->name, res->profile_buffer_length);
        status = STATUS_INTERNAL_ERROR;
    }
    if (NT_SUCCESS(status)) {
        struct lsa_session_info info = {
            .package_id = pkg->id,
            .logon_type = req->logon_type,
            .account_name = o.account_name,
            .authority = o.authority,
        };
        status = lsa_session_describe(&res->logon_id, &info);
        if (NT_SUCCESS(status))
            status = lsa_token_create(&res->logon_id, &res->token);
        if (!NT_SUCCESS(status) && lsa_session_exists(&res->logon_id))
            lsa_session_terminate(&res->logon_id);
    } else {
        log_failure(pkg, o.account_name, status, res->sub_status);
        /* The package must have deleted a session it created; if it did not, end it so
         * every package forgets it. */
        if (!lsa_luid_is_zero(res->logon_id) && lsa_session_exists(&res->logon_id))
            lsa_session_terminate(&res->logon_id);
    }
    lsa_call_end(&call, NT_SUCCESS(status) ? res->profile_buffer : NULL);
    free_outputs(&o);
    lsa_submit_copy_drop(&copy);

    if (!NT_SUCCESS(status)) {
        NTSTATUS sub_status = res->sub_status;
        memset(res, 0, sizeof(*res));
        res->sub_status = sub_status; /* kept even on failure (§3) */
    }
    return status;
}
