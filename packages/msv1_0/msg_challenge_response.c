/*
 * MsV1_0Lm20GetChallengeResponse (spec/lsa-api.md §4.1-§4.2): the client side of a
 * challenge / response exchange, answering a server's challenge
 *
 *   - from an explicit password (Password.Length > 0) with the request's UserName and
 *     LogonDomainName (the full request, MSV1_0_GETCHALLENRESP_REQUEST); a version-1
 *     request (shorter than that) or an empty UserName takes the names of the session
 *     LogonId (0 = the caller's own);
 *   - else from the session's NTOWF credential (an interactive logon's NT hash:
 *     credential.h), with its names: NTLM single sign-on.  Another session than the
 *     caller's needs TCB; a session without the credential is
 *     STATUS_NO_SUCH_LOGON_SESSION.
 *
 * NTLMv2 (NTProofStr ‖ blob with the current time, a random client challenge and, with
 * GCR_TARGET_INFO, ServerName's bytes as the AV pairs, else MsvAvEOL) and LMv2 when
 * GCR_NTLM3_PARMS is set or lm_compatibility_level >= 3; else NTLMv1, with LMv1 only at
 * levels 0-1 when the password has an LM hash (otherwise the LM field repeats the NT
 * response, as Windows does at level 2).  Untrusted callers only with a password.
 */
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>

#include "credential.h"
#include "messages.h"
#include "package_reply.h"
#include "nt_time.h"
#include "ntlm_crypto.h"
#include "package_state.h"

#define BLOB_HEADER 28u  /* RespType .. Reserved3 (MSV1_0_NTLM3_RESPONSE after Response) */
#define BLOB_TRAILER 4u  /* the zero bytes after the AV pairs */
#define MAX_RESPONSE 0xFFFFu

/* Who answers, with which keys. */
struct identity {
    uint8_t nt_hash[16];
    uint8_t lm_hash[16];
    BOOLEAN has_lm;
    UNICODE_STRING user;   /* points into the request, the credential or the record */
    UNICODE_STRING domain;
    struct msv_credential credential;
    struct msv_session_info record;
};

struct answer {
    uint8_t *nt_response; /* malloc'd */
    USHORT nt_length;
    uint8_t lm_response[24];
    USHORT lm_length;
    uint8_t user_session_key[16];
    uint8_t lanman_session_key[8];
};

static void identity_free(struct identity *id)
{
    explicit_bzero(id->nt_hash, sizeof(id->nt_hash));
    explicit_bzero(id->lm_hash, sizeof(id->lm_hash));
    msv_credential_free(&id->credential);
    msv_session_info_free(&id->record);
}

/* The request's strings; a version-1 request has only Password. */
static NTSTATUS relocate(struct msv_call *call, MSV1_0_GETCHALLENRESP_REQUEST *r, BOOLEAN full)
{
    if (lsa_relocate_unicode_string(&r->Password, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    if (!full)
        return STATUS_SUCCESS;
    if (lsa_relocate_unicode_string(&r->UserName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&r->LogonDomainName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&r->ServerName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

/* The keys and names.  Function-result statuses are returned; a refusal goes to
 * *PROTOCOL with STATUS_SUCCESS returned. */
static NTSTATUS find_identity(struct msv_call *call, MSV1_0_GETCHALLENRESP_REQUEST *r,
                              BOOLEAN full, struct identity *id, NTSTATUS *protocol)
{
    LUID logon_id = r->LogonId;
    NTSTATUS status;

    *protocol = STATUS_SUCCESS;
    if (r->Password.Length > 0) {
        status = ntlm_nt_hash(r->Password.Buffer, r->Password.Length, id->nt_hash);
        if (status != STATUS_SUCCESS)
            return status;
        id->has_lm = ntlm_lm_hash(r->Password.Buffer, r->Password.Length, id->lm_hash) ==
                     STATUS_SUCCESS;
        if (full && r->UserName.Length > 0) {
            id->user = r->UserName;
            id->domain = r->LogonDomainName;
            return STATUS_SUCCESS;
        }
        /* The names of the session. */
        *protocol = msv_resolve_logon_id(call, &logon_id);
        if (*protocol == STATUS_SUCCESS)
            *protocol = msv_sessions_get(msv_package.sessions, &logon_id, &id->record);
        if (*protocol == STATUS_NO_MEMORY)
            return STATUS_NO_MEMORY;
        id->user = id->record.user;
        id->domain = id->record.domain;
        return STATUS_SUCCESS;
    }
    *protocol = msv_resolve_logon_id(call, &logon_id);
    if (*protocol == STATUS_SUCCESS)
        *protocol = msv_credential_get(&logon_id, &id->credential);
    if (*protocol == STATUS_NO_MEMORY)
        return STATUS_NO_MEMORY;
    memcpy(id->nt_hash, id->credential.nt_hash, sizeof(id->nt_hash));
    id->user = id->credential.user;
    id->domain = id->credential.domain;
    return STATUS_SUCCESS;
}

static NTSTATUS answer_v2(const MSV1_0_GETCHALLENRESP_REQUEST *r, BOOLEAN full,
                          const struct identity *id, struct answer *a)
{
    static const uint8_t eol[4] = { 0, 0, 0, 0 };
    const uint8_t *av = eol;
    size_t av_length = sizeof(eol), blob_length, nt_length;
    uint8_t ntowf[16], client_challenge[8], *blob;
    int64_t timestamp = msv_nt_now();
    NTSTATUS status;

    if (full && (r->ParameterControl & GCR_TARGET_INFO) && r->ServerName.Length > 0) {
        av = (const uint8_t *)r->ServerName.Buffer;
        av_length = r->ServerName.Length;
    }
    if (av_length > MSV1_0_MAX_AVL_SIZE)
        return STATUS_INVALID_PARAMETER;
    blob_length = BLOB_HEADER + av_length + BLOB_TRAILER;
    nt_length = 16 + blob_length;
    if (nt_length > MAX_RESPONSE)
        return STATUS_INVALID_PARAMETER;
    a->nt_response = calloc(1, nt_length);
    if (a->nt_response == NULL)
        return STATUS_NO_MEMORY;
    a->nt_length = (USHORT)nt_length;
    blob = a->nt_response + 16;
    status = ntlm_random(client_challenge, sizeof(client_challenge));
    if (status != STATUS_SUCCESS)
        return status;
    blob[0] = 1; /* RespType */
    blob[1] = 1; /* HiRespType */
    for (int i = 0; i < 8; i++)
        blob[8 + i] = (uint8_t)((uint64_t)timestamp >> (8 * i));
    memcpy(blob + 16, client_challenge, 8);
    if (av_length > 0) /* a GCR_TARGET_INFO request may carry an empty ServerName */
        memcpy(blob + BLOB_HEADER, av, av_length);

    status = ntlm_ntowf_v2(id->nt_hash, id->user.Buffer, id->user.Length, id->domain.Buffer,
                           id->domain.Length, ntowf);
    if (status == STATUS_SUCCESS)
        status = ntlm_v2_proof_and_session_key(ntowf, r->ChallengeToClient, blob, blob_length,
                                               a->nt_response, a->user_session_key);
    if (status == STATUS_SUCCESS)
        status = ntlm_lmv2_response(ntowf, r->ChallengeToClient, client_challenge, a->lm_response);
    a->lm_length = 24;
    memcpy(a->lanman_session_key, a->user_session_key, sizeof(a->lanman_session_key));
    explicit_bzero(ntowf, sizeof(ntowf));
    return status;
}

static NTSTATUS answer_v1(const MSV1_0_GETCHALLENRESP_REQUEST *r, const struct identity *id,
                          struct answer *a)
{
    int level = msv_package.config.lm_compatibility_level;
    NTSTATUS status;

    a->nt_response = calloc(1, 24);
    if (a->nt_response == NULL)
        return STATUS_NO_MEMORY;
    a->nt_length = 24;
    a->lm_length = 24;
    status = ntlm_desl(id->nt_hash, r->ChallengeToClient, a->nt_response);
    if (status == STATUS_SUCCESS) {
        if (level <= 1 && id->has_lm)
            status = ntlm_desl(id->lm_hash, r->ChallengeToClient, a->lm_response);
        else
            memcpy(a->lm_response, a->nt_response, 24);
    }
    if (status == STATUS_SUCCESS)
        status = ntlm_v1_session_base_key(id->nt_hash, a->user_session_key);
    if (id->has_lm) {
        memcpy(a->lanman_session_key, id->lm_hash, sizeof(a->lanman_session_key));
        if (r->ParameterControl & RETURN_NON_NT_USER_SESSION_KEY) {
            memset(a->user_session_key, 0, sizeof(a->user_session_key));
            memcpy(a->user_session_key, id->lm_hash, 8);
        }
    }
    return status;
}

static NTSTATUS reply(struct msv_call *call, const struct identity *id, const struct answer *a)
{
    MSV1_0_GETCHALLENRESP_RESPONSE *response;
    struct pkg_reply out;
    ULONG size = (ULONG)sizeof(*response) + PKG_REPLY_ROOM(id->user.Length) +
                 PKG_REPLY_ROOM(id->domain.Length) + a->nt_length + a->lm_length;
    NTSTATUS status = pkg_reply_begin(&out, msv_package.lsa, call->request, size, sizeof(*response));

    if (status != STATUS_SUCCESS)
        return status;
    response = (MSV1_0_GETCHALLENRESP_RESPONSE *)out.local;
    response->MessageType = MsV1_0Lm20GetChallengeResponse;
    pkg_reply_put_unicode(&out, &response->UserName, id->user.Buffer, id->user.Length);
    pkg_reply_put_unicode(&out, &response->LogonDomainName, id->domain.Buffer, id->domain.Length);
    pkg_reply_put_string(&out, &response->CaseSensitiveChallengeResponse, a->nt_response,
                         a->nt_length);
    pkg_reply_put_string(&out, &response->CaseInsensitiveChallengeResponse, a->lm_response,
                         a->lm_length);
    memcpy(response->UserSessionKey, a->user_session_key, sizeof(response->UserSessionKey));
    memcpy(response->LanmanSessionKey, a->lanman_session_key, sizeof(response->LanmanSessionKey));
    return pkg_reply_end(&out, call->return_buffer, call->return_length);
}

NTSTATUS msv_msg_get_challenge_response(struct msv_call *call)
{
    MSV1_0_GETCHALLENRESP_REQUEST *r = call->submit;
    struct identity id;
    struct answer a;
    BOOLEAN full, v2;
    NTSTATUS status, protocol;

    if (!msv_call_fits(call, sizeof(MSV1_0_GETCHALLENRESP_REQUEST_V1)))
        return STATUS_INVALID_PARAMETER;
    full = lsa_submit_buffer_fits(call->length, sizeof(MSV1_0_GETCHALLENRESP_REQUEST));
    if (relocate(call, r, full) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    if (!call->trusted && r->Password.Length == 0) {
        *call->protocol_status = STATUS_ACCESS_DENIED;
        return STATUS_SUCCESS;
    }

    memset(&id, 0, sizeof(id));
    memset(&a, 0, sizeof(a));
    status = find_identity(call, r, full, &id, &protocol);
    /* The password bytes live in the LSA's copy of the submit buffer, which the LSA wipes
     * when the call returns; wiping them here could clobber another string's descriptor
     * when a malformed buffer overlaps them with the fixed header. */
    if (status == STATUS_SUCCESS && protocol != STATUS_SUCCESS) {
        *call->protocol_status = protocol;
        goto out;
    }
    if (status != STATUS_SUCCESS)
        goto out;
    v2 = (r->ParameterControl & GCR_NTLM3_PARMS) ||
         msv_package.config.lm_compatibility_level >= 3;
    status = v2 ? answer_v2(r, full, &id, &a) : answer_v1(r, &id, &a);
    if (status == STATUS_SUCCESS)
        status = reply(call, &id, &a);
    if (status == STATUS_SUCCESS)
        *call->protocol_status = STATUS_SUCCESS;
out:
    if (a.nt_response != NULL) {
        explicit_bzero(a.nt_response, a.nt_length);
        free(a.nt_response);
    }
    explicit_bzero(&a, sizeof(a));
    identity_free(&id);
    return status;
}
