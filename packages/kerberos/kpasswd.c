#include "kpasswd.h"

#include <errno.h>
#include <netinet/in.h>
#include <profile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kdc_dns.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_tcp.h"
#include "kpasswd_proto.h"

#define KPASSWD_PORT "464"
#define KPASSWD_MAX_REPLY 0xffff /* the reply's own length field is 16 bits */

/* A malloc'd copy of IN (krb5_free_data_contents frees it). */
static krb5_error_code copy_data(const krb5_data *in, krb5_data *out)
{
    out->magic = KV5M_DATA;
    out->length = 0;
    out->data = NULL;
    if (in->length == 0)
        return 0;
    out->data = malloc(in->length);
    if (out->data == NULL)
        return ENOMEM;
    memcpy(out->data, in->data, in->length);
    out->length = in->length;
    return 0;
}

/* The local address of FD into *ADDRESS (pointing into *STORAGE). */
static krb5_error_code local_address(int fd, struct sockaddr_storage *storage,
                                     krb5_address *address)
{
    socklen_t length = sizeof(*storage);

    if (getsockname(fd, (struct sockaddr *)storage, &length) != 0)
        return errno;
    memset(address, 0, sizeof(*address));
    address->magic = KV5M_ADDRESS;
    if (storage->ss_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)storage;
        address->addrtype = ADDRTYPE_INET;
        address->length = sizeof(in->sin_addr);
        address->contents = (krb5_octet *)&in->sin_addr;
    } else if (storage->ss_family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)storage;
        address->addrtype = ADDRTYPE_INET6;
        address->length = sizeof(in6->sin6_addr);
        address->contents = (krb5_octet *)&in6->sin6_addr;
    } else {
        return KRB5_PROG_ATYPE_NOSUPP;
    }
    return 0;
}

/* The request for the server at FD: an AP-REQ with a subkey, and the new password in a
 * KRB-PRIV from the connection's own address, with sequence numbers (as the library's
 * krb5int_mk_chpw_req does, so that the server accepts it). */
static krb5_error_code make_request(krb5_context ctx, krb5_auth_context ac, int fd,
                                    krb5_creds *creds, const char *new_password,
                                    krb5_data *request)
{
    struct sockaddr_storage storage;
    krb5_address local;
    krb5_data ap_req = { 0 }, priv = { 0 };
    krb5_data password = { .magic = KV5M_DATA, .length = (unsigned int)strlen(new_password),
                           .data = (char *)new_password };
    krb5_replay_data replay;
    krb5_error_code code;

    code = krb5_mk_req_extended(ctx, &ac, AP_OPTS_USE_SUBKEY, NULL, creds, &ap_req);
    if (code == 0)
        code = krb5_auth_con_setflags(ctx, ac, KRB5_AUTH_CONTEXT_DO_SEQUENCE);
    if (code == 0)
        code = local_address(fd, &storage, &local);
    if (code == 0)
        code = krb5_auth_con_setaddrs(ctx, ac, &local, NULL);
    if (code == 0)
        code = krb5_mk_priv(ctx, ac, &password, &priv, &replay);
    if (code == 0)
        code = kerb_kpasswd_frame_request(&ap_req, &priv, request);
    krb5_free_data_contents(ctx, &ap_req);
    krb5_free_data_contents(ctx, &priv);
    return code;
}

/* The result data of REPLY: from its KRB-PRIV after checking the AP-REP, or from a
 * KRB-ERROR's e-data; a KRB-ERROR without e-data is its error code.  *RESULT is
 * malloc'd (krb5_free_data_contents); *SEALED says whether it was protected. */
static krb5_error_code read_reply(krb5_context ctx, krb5_auth_context ac,
                                  const krb5_data *reply, krb5_data *result, int *sealed)
{
    krb5_data ap_rep, body;
    krb5_ap_rep_enc_part *enc = NULL;
    krb5_error *error = NULL;
    krb5_replay_data replay;
    krb5_error_code code;

    *sealed = 0;
    code = kerb_kpasswd_split_reply(reply, &ap_rep, &body);
    if (code != 0)
        return code;
    if (ap_rep.length > 0) {
        /* The KRB-PRIV's sender address is the server's: not checked (as the library). */
        code = krb5_auth_con_setaddrs(ctx, ac, NULL, NULL);
        if (code == 0)
            code = krb5_rd_rep(ctx, ac, &ap_rep, &enc);
        krb5_free_ap_rep_enc_part(ctx, enc);
        if (code == 0)
            code = krb5_rd_priv(ctx, ac, &body, result, &replay);
        *sealed = code == 0;
        return code;
    }
    code = krb5_rd_error(ctx, &body, &error);
    if (code != 0)
        return code;
    if (error->e_data.length == 0)
        code = (krb5_error_code)(ERROR_TABLE_BASE_krb5 + (long)error->error);
    else
        code = copy_data(&error->e_data, result);
    krb5_free_error(ctx, error);
    return code;
}

/* One attempt at the address AI.  KERB_IO_OK once a reply came (*CODE its verdict). */
static enum kerb_io_result try_address(krb5_context ctx, struct kerb_exchange *x,
                                       const struct addrinfo *ai, krb5_creds *creds,
                                       const char *new_password, int *result_code,
                                       krb5_data *result_string, krb5_error_code *code)
{
    krb5_auth_context ac = NULL;
    krb5_data request = { 0 }, result = { 0 }, string;
    unsigned char *reply = NULL;
    size_t reply_length = 0;
    enum kerb_io_result r;
    int fd, sealed = 0;

    r = kerb_tcp_connect(ai, x, &fd);
    if (r != KERB_IO_OK)
        return r;
    *code = krb5_auth_con_init(ctx, &ac);
    if (*code == 0)
        *code = make_request(ctx, ac, fd, creds, new_password, &request);
    if (*code != 0) {
        close(fd);
        krb5_auth_con_free(ctx, ac);
        return KERB_IO_OK; /* not the server's fault: do not try another */
    }
    r = kerb_tcp_exchange(fd, &request, KPASSWD_MAX_REPLY, &reply, &reply_length, x);
    close(fd);
    krb5_free_data_contents(ctx, &request);
    if (r == KERB_IO_OK) {
        krb5_data answer = { .magic = KV5M_DATA, .length = (unsigned int)reply_length,
                             .data = (char *)reply };
        *code = read_reply(ctx, ac, &answer, &result, &sealed);
        if (*code == 0)
            *code = kerb_kpasswd_parse_result(&result, result_code, &string);
        /* A success must come sealed in a KRB-PRIV (RFC 3244 §2). */
        if (*code == 0 && *result_code == KRB5_KPASSWD_SUCCESS && !sealed)
            *code = KRB5KRB_AP_ERR_MODIFIED;
        if (*code == 0)
            *code = copy_data(&string, result_string);
        krb5_free_data_contents(ctx, &result);
        free(reply);
    }
    krb5_auth_con_free(ctx, ac);
    return r;
}

/* Every address of one server ENTRY; PORT replaces its port when not NULL. */
static enum kerb_io_result try_server(krb5_context ctx, struct kerb_exchange *x,
                                      const char *entry, const char *port_override,
                                      krb5_creds *creds, const char *new_password,
                                      int *result_code, krb5_data *result_string,
                                      krb5_error_code *code)
{
    char host[256], port[32];
    struct addrinfo *list;
    enum kerb_io_result r = KERB_IO_FAILED;

    if (!kerb_split_address(entry, KPASSWD_PORT, host, sizeof(host), port, sizeof(port),
                            NULL))
        return KERB_IO_FAILED;
    if (port_override != NULL)
        snprintf(port, sizeof(port), "%s", port_override);
    kerb_log(LOG_DEBUG, "password change: kpasswd server %s port %s/tcp", host, port);
    if ((list = kerb_tcp_resolve(host, port)) == NULL)
        return KERB_IO_FAILED;
    for (struct addrinfo *ai = list; ai != NULL && r == KERB_IO_FAILED; ai = ai->ai_next)
        r = try_address(ctx, x, ai, creds, new_password, result_code, result_string, code);
    freeaddrinfo(list);
    return r;
}

krb5_error_code kerb_kpasswd_change(krb5_context ctx, struct kerb_exchange *x,
                                    krb5_creds *creds, const char *new_password,
                                    int *result_code, krb5_data *result_string)
{
    char realm[256];
    char **servers, *port_override = NULL;
    enum kerb_io_result r = KERB_IO_FAILED;
    krb5_error_code code = KRB5_KDC_UNREACH;

    *result_code = -1;
    memset(result_string, 0, sizeof(*result_string));
    if (creds->server->realm.length >= sizeof(realm))
        return KRB5_REALM_UNKNOWN;
    memcpy(realm, creds->server->realm.data, creds->server->realm.length);
    realm[creds->server->realm.length] = '\0';

    profile_t profile;
    struct kerb_dns_server found[KERB_DNS_MAX_SERVERS];
    size_t n_found = 0;
    if (krb5_get_profile(ctx, &profile) != 0)
        return KRB5_CONFIG_CANTOPEN;
    servers = kerb_realm_values(profile, realm, "kpasswd_server");
    if (servers == NULL) {
        servers = kerb_realm_values(profile, realm, "admin_server");
        port_override = KPASSWD_PORT; /* kadmind's kpasswd service, as the library's */
    }
    if (servers == NULL && kerb_libdefaults_boolean(profile, "dns_lookup_kdc", 1))
        n_found = kerb_dns_locate("_kpasswd", realm, x, found, KERB_DNS_MAX_SERVERS);
    profile_release(profile);
    if (servers == NULL && n_found == 0 && kerb_exchange_remaining_ms(x) > 0) {
        krb5_data code_string = { 0 };

        kerb_log(LOG_INFO, "realm %s lists no kpasswd_server or admin_server and DNS names "
                           "no _kpasswd server: the library locates the kpasswd service, "
                           "without the deadline", realm);
        code = krb5_change_password(ctx, creds, new_password, result_code, &code_string,
                                    result_string);
        krb5_free_data_contents(ctx, &code_string);
        return code;
    }
    for (size_t i = 0; servers != NULL && servers[i] != NULL && r == KERB_IO_FAILED; i++)
        r = try_server(ctx, x, servers[i], port_override, creds, new_password, result_code,
                       result_string, &code);
    profile_free_list(servers);
    /* The package speaks kpasswd over TCP: the _tcp records' servers first, then those
     * of the _udp records, asked over TCP on the same port (kadmind serves both). */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n_found && r == KERB_IO_FAILED; i++)
            if ((strncmp(found[i].entry, "tcp/", 4) == 0) == (pass == 0))
                r = try_server(ctx, x, found[i].entry, NULL, creds, new_password,
                               result_code, result_string, &code);
    if (r == KERB_IO_FAILED && kerb_exchange_remaining_ms(x) == 0)
        r = KERB_IO_TIMEOUT;

    if (r == KERB_IO_TIMEOUT) {
        x->deadline_passed = TRUE;
        kerb_log(LOG_WARNING, "no kpasswd server of realm %s answered before the deadline "
                              "([kerberos] kdc_timeout)", realm);
        return KRB5_KDC_UNREACH;
    }
    if (r != KERB_IO_OK) {
        kerb_log(LOG_WARNING, "no kpasswd server of realm %s answered", realm);
        return KRB5_KDC_UNREACH;
    }
    if (code != 0)
        kerb_log_krb5_error(LOG_WARNING, ctx, code, "password change: the kpasswd reply");
    return code;
}
