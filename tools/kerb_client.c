/* The Kerberos commands' shared pieces (kerb_client.h). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "kerb_client.h"
#include "lsa_commands.h"

int kerb_connect(const char *cmd, HANDLE *lsa, ULONG *package)
{
    NTSTATUS status;
    int trusted = geteuid() == 0;
    if (trusted) {
        char name[] = "lsa kerberos";
        LSA_STRING process = { sizeof(name) - 1, sizeof(name), name };
        LSA_OPERATIONAL_MODE mode;
        status = LsaRegisterLogonProcess(&process, lsa, &mode);
    } else {
        status = LsaConnectUntrusted(lsa);
    }
    if (!NT_SUCCESS(status))
        return lsa_status_failure(cmd, trusted ? "LsaRegisterLogonProcess" : "LsaConnectUntrusted",
                                  status);
    char kerberos[] = MICROSOFT_KERBEROS_NAME_A;
    LSA_STRING name = { sizeof(kerberos) - 1, sizeof(kerberos), kerberos };
    status = LsaLookupAuthenticationPackage(*lsa, &name, package);
    if (!NT_SUCCESS(status)) {
        LsaDeregisterLogonProcess(*lsa);
        *lsa = NULL;
        int rc = lsa_status_failure(
            cmd, "LsaLookupAuthenticationPackage(\"" MICROSOFT_KERBEROS_NAME_A "\")", status);
        if (status == STATUS_NO_SUCH_PACKAGE)
            lsa_error(cmd, "the Kerberos package is not loaded: add kerberos to [lsa] packages "
                           "in lsa.conf (see kerberos(8))");
        return rc;
    }
    return LSA_EXIT_OK;
}

int kerb_call(const char *cmd, const char *what, HANDLE lsa, ULONG package, void *submit,
              size_t submit_length, void **reply, ULONG *reply_length)
{
    NTSTATUS protocol = STATUS_SUCCESS;
    *reply = NULL;
    *reply_length = 0;
    NTSTATUS status = LsaCallAuthenticationPackage(lsa, package, submit, (ULONG)submit_length,
                                                   reply, reply_length, &protocol);
    if (!NT_SUCCESS(status) || !NT_SUCCESS(protocol)) {
        if (*reply != NULL)
            LsaFreeReturnBuffer(*reply);
        *reply = NULL;
        char label[160];
        if (!NT_SUCCESS(status))
            snprintf(label, sizeof(label), "LsaCallAuthenticationPackage(%s)", what);
        else
            snprintf(label, sizeof(label), "%s: ProtocolStatus", what);
        return lsa_status_failure(cmd, label, NT_SUCCESS(status) ? protocol : status);
    }
    return LSA_EXIT_OK;
}

/* One hex number of at most MAX_DIGITS digits, 0x optional, the whole of [P, END). */
static int parse_hex(const char *p, const char *end, unsigned max_digits, uint64_t *value)
{
    if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    if (p == end)
        return -1;
    while (end - p > 1 && *p == '0') /* leading zeros do not count against the width */
        p++;
    if ((size_t)(end - p) > max_digits)
        return -1;
    uint64_t v = 0;
    for (; p < end; p++) {
        if (!isxdigit((unsigned char)*p))
            return -1;
        v = v << 4 | (uint64_t)(isdigit((unsigned char)*p) ? *p - '0'
                                                          : tolower((unsigned char)*p) - 'a' + 10);
    }
    *value = v;
    return 0;
}

int kerb_parse_luid(const char *text, LUID *luid)
{
    const char *colon = strchr(text, ':');
    const char *end = text + strlen(text);
    uint64_t high, low;
    if (colon != NULL) {
        if (parse_hex(text, colon, 8, &high) != 0 || parse_hex(colon + 1, end, 8, &low) != 0)
            return -1;
    } else {
        uint64_t v;
        if (parse_hex(text, end, 16, &v) != 0)
            return -1;
        high = v >> 32;
        low = v & 0xFFFFFFFFu;
    }
    luid->HighPart = (LONG)(uint32_t)high;
    luid->LowPart = (DWORD)low;
    return 0;
}

const char *kerb_format_luid(const LUID *luid, char *buf, size_t len)
{
    snprintf(buf, len, "0x%x:0x%08x", (unsigned)luid->HighPart, (unsigned)luid->LowPart);
    return buf;
}

#define FILETIME_UNIX_EPOCH INT64_C(116444736000000000) /* 1970-01-01 in 100 ns since 1601 */

const char *kerb_format_time(LARGE_INTEGER time, char *buf, size_t len)
{
    if (time.QuadPart == INT64_MAX) {
        snprintf(buf, len, "never");
        return buf;
    }
    if (time.QuadPart <= 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    time_t t = (time_t)((time.QuadPart - FILETIME_UNIX_EPOCH) / 10000000);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL || strftime(buf, len, "%m/%d/%Y %H:%M:%S", &tm) == 0)
        snprintf(buf, len, "%" PRId64, (int64_t)time.QuadPart);
    return buf;
}

const char *kerb_etype_name(LONG etype, char *buf, size_t len)
{
    static const struct {
        LONG etype;
        const char *name;
    } names[] = {
        { KERB_ETYPE_NULL, "none" },
        { KERB_ETYPE_DES_CBC_CRC, "des-cbc-crc" },
        { KERB_ETYPE_DES_CBC_MD4, "des-cbc-md4" },
        { KERB_ETYPE_DES_CBC_MD5, "des-cbc-md5" },
        { KERB_ETYPE_DES3_CBC_SHA1_KD, "des3-cbc-sha1" },
        { KERB_ETYPE_AES128_CTS_HMAC_SHA1_96, "aes128-cts-hmac-sha1-96" },
        { KERB_ETYPE_AES256_CTS_HMAC_SHA1_96, "aes256-cts-hmac-sha1-96" },
        { KERB_ETYPE_AES128_CTS_HMAC_SHA256, "aes128-cts-hmac-sha256-128" },
        { KERB_ETYPE_AES256_CTS_HMAC_SHA384, "aes256-cts-hmac-sha384-192" },
        { KERB_ETYPE_RC4_HMAC_NT, "arcfour-hmac" },
        { KERB_ETYPE_RC4_HMAC_NT_EXP, "arcfour-hmac-exp" },
        { 25, "camellia128-cts-cmac" },
        { 26, "camellia256-cts-cmac" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].etype == etype) {
            snprintf(buf, len, "%s", names[i].name);
            return buf;
        }
    snprintf(buf, len, "etype %ld", (long)etype);
    return buf;
}

/* In klist -f order; the bits are RFC 4120's, which KERB_TICKET_FLAGS_* share. */
static const struct {
    ULONG bit;
    char letter;
    const char *name;
} flag_table[] = {
    { KERB_TICKET_FLAGS_forwardable, 'F', "forwardable" },
    { KERB_TICKET_FLAGS_forwarded, 'f', "forwarded" },
    { KERB_TICKET_FLAGS_proxiable, 'P', "proxiable" },
    { KERB_TICKET_FLAGS_proxy, 'p', "proxy" },
    { KERB_TICKET_FLAGS_may_postdate, 'D', "may_postdate" },
    { KERB_TICKET_FLAGS_postdated, 'd', "postdated" },
    { KERB_TICKET_FLAGS_invalid, 'i', "invalid" },
    { KERB_TICKET_FLAGS_renewable, 'R', "renewable" },
    { KERB_TICKET_FLAGS_initial, 'I', "initial" },
    { KERB_TICKET_FLAGS_hw_authent, 'H', "hw_authent" },
    { KERB_TICKET_FLAGS_pre_authent, 'A', "pre_authent" },
    { 0x00080000, 'T', "transited_policy_checked" },
    { KERB_TICKET_FLAGS_ok_as_delegate, 'O', "ok_as_delegate" },
    { 0x00020000, 'a', "anonymous" },
};
#define FLAG_COUNT (sizeof(flag_table) / sizeof(flag_table[0]))

const char *kerb_flag_letters(ULONG flags, char *buf, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < FLAG_COUNT && n + 1 < len; i++)
        if (flags & flag_table[i].bit)
            buf[n++] = flag_table[i].letter;
    if (len > 0)
        buf[n] = '\0';
    return buf;
}

const char *kerb_flag_names(ULONG flags, char *buf, size_t len)
{
    size_t n = 0;
    if (len > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        if (!(flags & flag_table[i].bit))
            continue;
        int w = snprintf(buf + n, len - n, "%s%s", n ? " " : "", flag_table[i].name);
        if (w < 0 || (size_t)w >= len - n) {
            buf[n] = '\0'; /* whole names only */
            break;
        }
        n += (size_t)w;
    }
    return buf;
}

int kerb_reply_holds(const void *reply, ULONG length, const void *p, size_t size)
{
    uintptr_t start = (uintptr_t)reply, at = (uintptr_t)p;
    return reply != NULL && at >= start && at - start <= length && size <= length - (at - start);
}

char *kerb_reply_string(const void *reply, ULONG length, const UNICODE_STRING *string)
{
    char *utf8 = NULL;
    if (string->Length > 0 && !kerb_reply_holds(reply, length, string->Buffer, string->Length))
        return NULL;
    if (lsa_unicode_string_to_utf8(string, &utf8, NULL) != STATUS_SUCCESS)
        return NULL;
    return utf8;
}
