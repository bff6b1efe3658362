/*
 * The Kerberos ticket cache of a logon session, through the "Kerberos" package:
 *
 *   lsa klist [--logon-id ID] [--ex]            KerbQueryTicketCacheExMessage, shown
 *                                               like MIT klist -f -e
 *   lsa purge [--logon-id ID] [SERVER@REALM]    KerbPurgeTicketCacheMessage (no name:
 *                                               every ticket)
 *   lsa kget [--logon-id ID] [--cache-only] SPN KerbRetrieveEncodedTicketMessage
 *
 * ID 0 (the default) is the caller's own session; another session needs a trusted
 * connection, which lsa makes when run as root (spec/lsa-api.md §5.4).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "kerb_client.h"
#include "lsa_commands.h"
#include "submit_buffer.h"

/* Options every ticket-cache command takes; the others are the command's own. */
struct cache_options {
    LUID logon_id;
    int ex, cache_only;
};

/* getopt over ARGV; allowed options in SHORTS ("l" always).  Returns -1 to go on, or
 * the exit code. */
static int parse_options(int argc, char **argv, const char *shorts, struct cache_options *o)
{
    static const struct option options[] = {
        { "logon-id", required_argument, NULL, 'l' },
        { "ex", no_argument, NULL, 'x' },
        { "cache-only", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    memset(o, 0, sizeof(*o));
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (opt != '?' && opt != 'h' && strchr(shorts, opt) == NULL)
            return lsa_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        switch (opt) {
        case 'h':
            return lsa_command_help(argv[0]);
        case 'l':
            if (kerb_parse_luid(optarg, &o->logon_id) != 0)
                return lsa_usage_error(argv[0], "--logon-id '%s': expected HIGH:LOW or one hex "
                                                "number (0x3e7, 0x0:0x000003e7)",
                                       optarg);
            break;
        case 'x':
            o->ex = 1;
            break;
        case 'c':
            o->cache_only = 1;
            break;
        default:
            if (optopt != 0 && strchr("l", optopt) != NULL)
                return lsa_usage_error(argv[0], "option '%s' needs an argument", argv[optind - 1]);
            return lsa_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
    }
    return -1;
}

static void print_session(const LUID *id)
{
    char luid[32];
    if (id->HighPart == 0 && id->LowPart == 0)
        printf("Logon id: own session\n");
    else
        printf("Logon id: %s\n", kerb_format_luid(id, luid, sizeof(luid)));
}

/* "NAME@REALM" of two reply strings into BUF; "?" for a string outside the reply. */
static const char *principal(const void *reply, ULONG length, const UNICODE_STRING *name,
                             const UNICODE_STRING *realm, char *buf, size_t len)
{
    char *n = kerb_reply_string(reply, length, name);
    char *r = kerb_reply_string(reply, length, realm);
    snprintf(buf, len, "%s%s%s", n ? n : "?", r && *r ? "@" : "", r ? r : "?");
    lsa_free_utf8(n);
    lsa_free_utf8(r);
    return buf;
}

static void print_ticket(const void *reply, ULONG length, const KERB_TICKET_CACHE_INFO_EX *t,
                         int ex)
{
    char start[40], end[40], renew[40], server[1024], client[1024], flags[32], names[256],
        etype[40];
    principal(reply, length, &t->ServerName, &t->ServerRealm, server, sizeof(server));
    printf("%-19s  %-19s  %s\n", kerb_format_time(t->StartTime, start, sizeof(start)),
           kerb_format_time(t->EndTime, end, sizeof(end)), server);
    if (t->TicketFlags & KERB_TICKET_FLAGS_renewable)
        printf("\trenew until %s, ", kerb_format_time(t->RenewTime, renew, sizeof(renew)));
    else
        printf("\t");
    printf("Flags: %s\n", kerb_flag_letters(t->TicketFlags, flags, sizeof(flags)));
    printf("\tEtype: %s\n", kerb_etype_name(t->EncryptionType, etype, sizeof(etype)));
    if (ex) {
        printf("\tClient: %s\n",
               principal(reply, length, &t->ClientName, &t->ClientRealm, client, sizeof(client)));
        printf("\tTicket flags: 0x%08x %s\n", (unsigned)t->TicketFlags,
               kerb_flag_names(t->TicketFlags, names, sizeof(names)));
    }
}

static int klist(const char *cmd, const struct cache_options *o)
{
    HANDLE lsa;
    ULONG package;
    int rc = kerb_connect(cmd, &lsa, &package);
    if (rc != LSA_EXIT_OK)
        return rc;
    KERB_QUERY_TKT_CACHE_REQUEST request = { KerbQueryTicketCacheExMessage, o->logon_id };
    PKERB_QUERY_TKT_CACHE_EX_RESPONSE reply;
    ULONG length;
    rc = kerb_call(cmd, "KerbQueryTicketCacheExMessage", lsa, package, &request, sizeof(request),
                   (void **)&reply, &length);
    if (rc == LSA_EXIT_OK) {
        size_t header = offsetof(KERB_QUERY_TKT_CACHE_EX_RESPONSE, Tickets);
        if (reply == NULL || length < header ||
            reply->CountOfTickets > (length - header) / sizeof(reply->Tickets[0])) {
            lsa_error(cmd, "KerbQueryTicketCacheExMessage: the reply (%u bytes) is too short "
                           "for its ticket count",
                      (unsigned)length);
            rc = LSA_EXIT_FAILURE;
        } else {
            char client[1024];
            print_session(&o->logon_id);
            if (reply->CountOfTickets > 0)
                printf("Client: %s\n",
                       principal(reply, length, &reply->Tickets[0].ClientName,
                                 &reply->Tickets[0].ClientRealm, client, sizeof(client)));
            printf("Cached tickets: %u\n", (unsigned)reply->CountOfTickets);
            if (reply->CountOfTickets > 0)
                printf("\n%-19s  %-19s  %s\n", "Valid starting", "Expires", "Service principal");
            for (ULONG i = 0; i < reply->CountOfTickets; i++)
                print_ticket(reply, length, &reply->Tickets[i], o->ex);
        }
    }
    if (reply != NULL)
        LsaFreeReturnBuffer(reply);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

int cmd_klist(int argc, char **argv)
{
    struct cache_options o;
    int rc = parse_options(argc, argv, "lx", &o);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return lsa_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    return klist(argv[0], &o);
}

int cmd_purge(int argc, char **argv)
{
    struct cache_options o;
    int rc = parse_options(argc, argv, "l", &o);
    if (rc >= 0)
        return rc;
    const char *cmd = argv[0];
    if (argc - optind > 1)
        return lsa_usage_error(cmd, "expected at most one SERVER@REALM, got %d arguments",
                               argc - optind);
    char *server = NULL, *realm = NULL;
    if (optind < argc) {
        server = strdup(argv[optind]);
        char *at = server ? strrchr(server, '@') : NULL;
        if (server == NULL)
            return lsa_status_failure(cmd, "reading SERVER@REALM", STATUS_NO_MEMORY);
        if (at == NULL || at == server || at[1] == '\0') {
            free(server);
            return lsa_usage_error(cmd, "'%s': expected SERVER@REALM (krbtgt/EXAMPLE.ORG@EXAMPLE.ORG)",
                                   argv[optind]);
        }
        *at = '\0';
        realm = at + 1;
    }

    struct submit s;
    if (submit_start(&s, sizeof(KERB_PURGE_TKT_CACHE_REQUEST), server ? 4 * strlen(argv[optind]) + 8 : 0) != 0) {
        free(server);
        return lsa_status_failure(cmd, "building the request", STATUS_NO_MEMORY);
    }
    PKERB_PURGE_TKT_CACHE_REQUEST request = (PKERB_PURGE_TKT_CACHE_REQUEST)s.data;
    request->MessageType = KerbPurgeTicketCacheMessage;
    request->LogonId = o.logon_id;
    if (server != NULL && (submit_put_unicode(&s, &request->ServerName, server) != 0 ||
                           submit_put_unicode(&s, &request->RealmName, realm) != 0)) {
        submit_free(&s);
        free(server);
        return lsa_usage_error(cmd, "SERVER@REALM is not valid UTF-8");
    }

    HANDLE lsa;
    ULONG package;
    rc = kerb_connect(cmd, &lsa, &package);
    if (rc == LSA_EXIT_OK) {
        void *reply;
        ULONG length;
        rc = kerb_call(cmd, "KerbPurgeTicketCacheMessage", lsa, package, s.data, s.used, &reply,
                       &length);
        if (reply != NULL)
            LsaFreeReturnBuffer(reply);
        LsaDeregisterLogonProcess(lsa);
    }
    if (rc == LSA_EXIT_OK) {
        print_session(&o.logon_id);
        if (server != NULL)
            printf("Purged: %s@%s\n", server, realm);
        else
            printf("Purged: all tickets\n");
    }
    submit_free(&s);
    free(server);
    return rc;
}

/* The components of NAME joined by '/', into BUF. */
static const char *external_name(const void *reply, ULONG length, const KERB_EXTERNAL_NAME *name,
                                 char *buf, size_t len)
{
    size_t header = offsetof(KERB_EXTERNAL_NAME, Names);
    snprintf(buf, len, "?");
    if (name == NULL || !kerb_reply_holds(reply, length, name, header) ||
        !kerb_reply_holds(reply, length, name->Names, (size_t)name->NameCount * sizeof(name->Names[0])))
        return buf;
    size_t n = 0;
    buf[0] = '\0';
    for (USHORT i = 0; i < name->NameCount; i++) {
        char *part = kerb_reply_string(reply, length, &name->Names[i]);
        int w = snprintf(buf + n, len - n, "%s%s", i ? "/" : "", part ? part : "?");
        lsa_free_utf8(part);
        if (w < 0 || (size_t)w >= len - n) {
            buf[n] = '\0'; /* whole components only */
            break;
        }
        n += (size_t)w;
    }
    return buf;
}

static void print_external_ticket(const void *reply, ULONG length, const KERB_EXTERNAL_TICKET *t)
{
    char name[1024], time[40], etype[40], flags[32], names[256];
    char *realm = kerb_reply_string(reply, length, &t->DomainName);
    printf("Server: %s@%s\n", external_name(reply, length, t->ServiceName, name, sizeof(name)),
           realm ? realm : "?");
    lsa_free_utf8(realm);
    printf("Client: %s\n", external_name(reply, length, t->ClientName, name, sizeof(name)));
    printf("Valid starting: %s\n", kerb_format_time(t->StartTime, time, sizeof(time)));
    printf("Expires: %s\n", kerb_format_time(t->EndTime, time, sizeof(time)));
    printf("Renew until: %s\n", kerb_format_time(t->RenewUntil, time, sizeof(time)));
    printf("Flags: %s (0x%08x %s)\n", kerb_flag_letters(t->TicketFlags, flags, sizeof(flags)),
           (unsigned)t->TicketFlags, kerb_flag_names(t->TicketFlags, names, sizeof(names)));
    printf("Session key etype: %s\n", kerb_etype_name(t->SessionKey.KeyType, etype, sizeof(etype)));
    printf("Ticket: %u bytes\n", (unsigned)t->EncodedTicketSize);
}

int cmd_kget(int argc, char **argv)
{
    struct cache_options o;
    int rc = parse_options(argc, argv, "lc", &o);
    if (rc >= 0)
        return rc;
    const char *cmd = argv[0];
    if (argc - optind != 1)
        return lsa_usage_error(cmd, "expected one SPN, got %d arguments", argc - optind);
    const char *spn = argv[optind];
    if (*spn == '\0')
        return lsa_usage_error(cmd, "SPN is empty");

    struct submit s;
    if (submit_start(&s, sizeof(KERB_RETRIEVE_TKT_REQUEST), 4 * strlen(spn) + 8) != 0)
        return lsa_status_failure(cmd, "building the request", STATUS_NO_MEMORY);
    PKERB_RETRIEVE_TKT_REQUEST request = (PKERB_RETRIEVE_TKT_REQUEST)s.data;
    request->MessageType = KerbRetrieveEncodedTicketMessage;
    request->LogonId = o.logon_id;
    request->TicketFlags = KERB_USE_DEFAULT_TICKET_FLAGS;
    request->CacheOptions = o.cache_only ? KERB_RETRIEVE_TICKET_USE_CACHE_ONLY
                                         : KERB_RETRIEVE_TICKET_DEFAULT;
    request->EncryptionType = KERB_ETYPE_DEFAULT;
    if (submit_put_unicode(&s, &request->TargetName, spn) != 0) {
        submit_free(&s);
        return lsa_usage_error(cmd, "SPN is not valid UTF-8");
    }

    HANDLE lsa;
    ULONG package;
    rc = kerb_connect(cmd, &lsa, &package);
    if (rc == LSA_EXIT_OK) {
        PKERB_RETRIEVE_TKT_RESPONSE reply;
        ULONG length;
        rc = kerb_call(cmd, "KerbRetrieveEncodedTicketMessage", lsa, package, s.data, s.used,
                       (void **)&reply, &length);
        if (rc == LSA_EXIT_OK && (reply == NULL || length < sizeof(*reply))) {
            lsa_error(cmd, "KerbRetrieveEncodedTicketMessage: the reply (%u bytes) is shorter "
                           "than KERB_RETRIEVE_TKT_RESPONSE",
                      (unsigned)length);
            rc = LSA_EXIT_FAILURE;
        } else if (rc == LSA_EXIT_OK) {
            print_session(&o.logon_id);
            print_external_ticket(reply, length, &reply->Ticket);
        }
        if (reply != NULL) {
            /* the reply holds the session key */
            explicit_bzero(reply, length);
            LsaFreeReturnBuffer(reply);
        }
        LsaDeregisterLogonProcess(lsa);
    }
    submit_free(&s);
    return rc;
}
