#include "kerb_as.h"

#include <stdio.h>
#include <string.h>

#include "kerb_context.h"
#include "kerb_log.h"

struct responder_state {
    const char *pin;
    BOOLEAN pin_asked;
};

static krb5_error_code refuse_prompts(krb5_context ctx, void *data, const char *name,
                                      const char *banner, int num_prompts, krb5_prompt prompts[])
{
    (void)ctx, (void)data, (void)name, (void)banner, (void)num_prompts, (void)prompts;
    return KRB5_LIBOS_CANTREADPWD;
}

static krb5_error_code responder(krb5_context ctx, void *data, krb5_responder_context rctx)
{
    struct responder_state *rs = data;
    krb5_responder_pkinit_challenge *challenge = NULL;

    if (krb5_responder_pkinit_get_challenge(ctx, rctx, &challenge) != 0 || challenge == NULL)
        return 0;
    for (size_t i = 0; challenge->identities != NULL && challenge->identities[i] != NULL; i++) {
        rs->pin_asked = TRUE;
        if (rs->pin != NULL)
            krb5_responder_pkinit_set_answer(ctx, rctx, challenge->identities[i]->identity,
                                             rs->pin);
    }
    krb5_responder_pkinit_challenge_free(ctx, rctx, challenge);
    return 0;
}

static krb5_error_code set_options(krb5_context ctx, const struct kerb_as_request *r,
                                   krb5_get_init_creds_opt *opt, struct responder_state *rs)
{
    krb5_error_code code = 0;

    if (r->pkinit_identity != NULL) {
        code = krb5_get_init_creds_opt_set_pa(ctx, opt, "X509_user_identity", r->pkinit_identity);
        if (code == 0 && r->pkinit_anchors != NULL)
            code = krb5_get_init_creds_opt_set_pa(ctx, opt, "X509_anchors", r->pkinit_anchors);
    }
    if (code == 0)
        code = krb5_get_init_creds_opt_set_responder(ctx, opt, responder, rs);
    return code;
}

/* The KDC's KRB-ERROR when it is what ended the exchange (CODE), not an earlier one the
 * library answered itself, such as PREAUTH_REQUIRED before a PKINIT request that then
 * failed on the client. */
static void keep_kdc_error(krb5_context ctx, krb5_init_creds_context icc, krb5_error_code code,
                           struct kerb_as_failure *f)
{
    krb5_error *error = NULL;

    if (krb5_init_creds_get_error(ctx, icc, &error) != 0 || error == NULL)
        return;
    if ((krb5_error_code)(ERROR_TABLE_BASE_krb5 + (long)error->error) == code)
        f->kdc_error = code;
    if (f->kdc_error != 0 && error->text.length > 0)
        snprintf(f->kdc_text, sizeof(f->kdc_text), "%.*s", (int)error->text.length,
                 error->text.data);
    krb5_free_error(ctx, error);
}

krb5_error_code kerb_as_exchange(krb5_context ctx, struct kerb_exchange *x,
                                 const struct kerb_as_request *r, krb5_creds *creds,
                                 struct kerb_as_failure *f)
{
    struct responder_state rs = { .pin = r->pin };
    krb5_get_init_creds_opt *opt = NULL;
    krb5_init_creds_context icc = NULL;
    krb5_error_code code;

    /* The context's transport fills X in, and for PKINIT its trace (kerb_errors.c reads
     * the pkinit codes only when f->pkinit). */
    memset(f, 0, sizeof(*f));
    memset(creds, 0, sizeof(*creds));
    f->pkinit = r->pkinit_identity != NULL;
    if (f->pkinit)
        kerb_context_trace_pkinit(ctx, x);
    f->pin_given = r->pin != NULL && r->pin[0] != '\0';
    if (!f->pin_given)
        rs.pin = NULL;
    code = krb5_get_init_creds_opt_alloc(ctx, &opt);
    if (code == 0)
        code = set_options(ctx, r, opt, &rs);
    if (code == 0)
        code = krb5_init_creds_init(ctx, r->client, refuse_prompts, NULL, 0, opt, &icc);
    if (code == 0 && r->service != NULL)
        code = krb5_init_creds_set_service(ctx, icc, r->service);
    if (code == 0 && r->password != NULL)
        code = krb5_init_creds_set_password(ctx, icc, r->password);
    if (code == 0 && r->keytab != NULL)
        code = krb5_init_creds_set_keytab(ctx, icc, r->keytab);
    if (code == 0) {
        code = krb5_init_creds_get(ctx, icc);
        if (code != 0)
            keep_kdc_error(ctx, icc, code, f);
    }
    if (code == 0)
        code = krb5_init_creds_get_creds(ctx, icc, creds);
    f->code = code;
    f->pin_asked = rs.pin_asked;
    krb5_init_creds_free(ctx, icc);
    krb5_get_init_creds_opt_free(ctx, opt);
    return code;
}
