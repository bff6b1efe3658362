#include "kerb_verify.h"

#include <lsa/ntstatus.h>

#include "kerb_context.h"
#include "kerb_log.h"

krb5_error_code kerb_machine_keytab(krb5_context ctx, const struct kerb_config *config,
                                    krb5_keytab *keytab)
{
    return config->machine_keytab ? krb5_kt_resolve(ctx, config->machine_keytab, keytab)
                                  : krb5_kt_default(ctx, keytab);
}

/* Whether KEYTAB holds a key for SERVER. */
static BOOLEAN has_key(krb5_context ctx, krb5_keytab keytab, krb5_principal server)
{
    krb5_keytab_entry entry;

    if (krb5_kt_get_entry(ctx, keytab, server, 0, 0, &entry) != 0)
        return FALSE;
    krb5_free_keytab_entry_contents(ctx, &entry);
    return TRUE;
}

NTSTATUS kerb_verify_tgt(krb5_context ctx, const struct kerb_config *config, krb5_creds *creds)
{
    krb5_keytab keytab = NULL;
    krb5_principal server = NULL;
    krb5_verify_init_creds_opt options;
    krb5_error_code code;
    NTSTATUS status = STATUS_SUCCESS;

    if (config->verify_ticket == KERB_VERIFY_NEVER)
        return STATUS_SUCCESS;
    code = krb5_parse_name(ctx, kerb_config_machine_principal(config), &server);
    if (code == 0)
        code = kerb_machine_keytab(ctx, config, &keytab);
    if (code != 0 || !has_key(ctx, keytab, server)) {
        if (config->verify_ticket == KERB_VERIFY_ALWAYS) {
            kerb_log(LOG_ERR, "cannot verify the TGT: no key for %s in the machine keytab "
                              "(verify_ticket = true)",
                     kerb_config_machine_principal(config));
            status = STATUS_LOGON_FAILURE;
        }
        goto done;
    }
    krb5_verify_init_creds_opt_init(&options);
    krb5_verify_init_creds_opt_set_ap_req_nofail(&options, 1);
    code = krb5_verify_init_creds(ctx, creds, server, keytab, NULL, &options);
    if (code != 0) {
        kerb_log_krb5_error(LOG_WARNING, ctx, code,
                            "the TGT failed verification against the machine keytab (a "
                            "spoofed KDC?)");
        status = code == KRB5_KDC_UNREACH ? STATUS_NO_LOGON_SERVERS : STATUS_LOGON_FAILURE;
    }
done:
    if (keytab != NULL)
        krb5_kt_close(ctx, keytab);
    krb5_free_principal(ctx, server);
    return status;
}
