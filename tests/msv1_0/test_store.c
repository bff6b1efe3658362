/*
 * The MSV1_0 account store (packages/msv1_0/account_store.h): the smbpasswd format of
 * spec/ntlm.md §3 both ways - files written by Samba's own smbpasswd tool parse, files
 * we write are read by Samba (pdbedit when installed, else smbpasswd) - the flags, NO
 * PASSWORD, malformed lines, the permission rule, names, updates that fail, import, the
 * state file and the two-file commit; the process-wide cache, and the inotify watch that
 * lets it skip the state files' lstat calls.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "account_store.h"
#include "store_backend.h"
#include "store_watch.h"

#define PASSWORD_NT "A4F49C406510BDCAB6824EE7C30FD852" /* "Password", spec/ntlm.md §1 */
#define PASSWORD_LM "E52CAC67419A9A224A3B108F3FA6CB6D"
#define X32 "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"

struct fixture {
    char dir[256];
    char store[300];
    char state[310];
};

/* ---- helpers ------------------------------------------------------------------------ */

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->store, sizeof(f->store), "%s/smbpasswd", f->dir);
    snprintf(f->state, sizeof(f->state), "%s/smbpasswd.state", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

/* The whole file, malloc'd (NULL if missing). */
static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    int c;
    while ((c = fgetc(fp)) != EOF)
        fputc(c, mem);
    fclose(mem);
    fclose(fp);
    return text;
}

static void hex16(const uint8_t *bytes, char *out)
{
    for (int i = 0; i < 16; i++)
        sprintf(out + 2 * i, "%02X", bytes[i]);
}

static struct msv_account make_account(const char *name, uint32_t uid, const char *password)
{
    struct msv_account a;
    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "%s", name);
    a.uid = uid;
    a.acb_flags = ACB_NORMAL;
    if (password != NULL)
        assert_int_equal(msv_account_set_password(&a, password, 0x6B011BBB), STATUS_SUCCESS);
    return a;
}

static struct msv_store *new_store(struct fixture *f)
{
    struct msv_store *s = NULL;
    assert_int_equal(msv_store_create(f->store), STATUS_SUCCESS);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    return s;
}

static struct msv_store *store_with(struct fixture *f, const char *text)
{
    write_file(f->store, text, 0600);
    struct msv_store *s = NULL;
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    return s;
}

/* A private smb.conf whose passdb is the smbpasswd file PATH; Samba's directories go
 * under DIR.  Returns the smb.conf path (static). */
static const char *samba_conf(const char *dir, const char *path)
{
    static char conf[400];
    static const char *subdirs[] = { "private", "lock", "state", "cache", "pid", "ncalrpc" };
    char sub[400], text[2048];
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        snprintf(sub, sizeof(sub), "%s/samba-%s", dir, subdirs[i]);
        mkdir(sub, 0700);
    }
    snprintf(text, sizeof(text),
             "[global]\n"
             "passdb backend = smbpasswd:%s\n"
             "private dir = %s/samba-private\n"
             "lock directory = %s/samba-lock\n"
             "state directory = %s/samba-state\n"
             "cache directory = %s/samba-cache\n"
             "pid directory = %s/samba-pid\n"
             "ncalrpc dir = %s/samba-ncalrpc\n"
             "log file = %s/samba.log\n",
             path, dir, dir, dir, dir, dir, dir, dir);
    snprintf(conf, sizeof(conf), "%s/smb.conf", dir);
    write_file(conf, text, 0600);
    return conf;
}

static int have_program(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

/* Runs a shell command; its output (stdout+stderr) into OUT. */
static int run(const char *cmd, char *out, size_t size)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* ---- single lines --------------------------------------------------------------------- */

static void test_format_line_exact(void **state)
{
    (void)state;
    struct msv_account a = make_account("nobody", 0, NULL);
    a.has_nt = TRUE;
    uint8_t nt[16] = { 0xA4, 0xF4, 0x9C, 0x40, 0x65, 0x10, 0xBD, 0xCA,
                       0xB6, 0x82, 0x4E, 0xE7, 0xC3, 0x0F, 0xD8, 0x52 };
    memcpy(a.nt_hash, nt, 16);
    a.password_last_set = 0x6B011BBB;
    char line[512];
    int n = msv_smbpasswd_format_line(&a, line, sizeof(line));
    const char *want = "nobody:0:" X32 ":" PASSWORD_NT ":[U          ]:LCT-6B011BBB:\n";
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(line, want);

    /* Too small a buffer: the length needed, as snprintf. */
    char small[8];
    assert_int_equal(msv_smbpasswd_format_line(&a, small, sizeof(small)), (int)strlen(want));
    /* A name that cannot be written. */
    snprintf(a.name, sizeof(a.name), "a:b");
    assert_int_equal(msv_smbpasswd_format_line(&a, line, sizeof(line)), -1);
}

static void test_parse_samba_line(void **state)
{
    (void)state;
    struct msv_account a;
    assert_int_equal(msv_smbpasswd_parse_line("nobody:0:" X32 ":" PASSWORD_NT
                                              ":[U          ]:LCT-6B011BBB:\n",
                                              &a),
                     STATUS_SUCCESS);
    assert_string_equal(a.name, "nobody");
    assert_int_equal(a.uid, 0);
    assert_false(a.has_lm);
    assert_true(a.has_nt);
    char hex[33];
    hex16(a.nt_hash, hex);
    assert_string_equal(hex, PASSWORD_NT);
    assert_int_equal(a.acb_flags, ACB_NORMAL);
    assert_int_equal(a.password_last_set, 1795234747);
}

static void test_parse_lower_case_hex(void **state)
{
    (void)state;
    struct msv_account a;
    assert_int_equal(msv_smbpasswd_parse_line("bob:1000:e52cac67419a9a224a3b108f3fa6cb6d:"
                                              "a4f49c406510bdcab6824ee7c30fd852:[U          ]:"
                                              "lct-6b011bbb:",
                                              &a),
                     STATUS_SUCCESS);
    char hex[33];
    assert_true(a.has_lm);
    hex16(a.lm_hash, hex);
    assert_string_equal(hex, PASSWORD_LM);
    hex16(a.nt_hash, hex);
    assert_string_equal(hex, PASSWORD_NT);
    assert_int_equal(a.password_last_set, 0x6B011BBB);
    /* We write it back upper case. */
    char line[512];
    msv_smbpasswd_format_line(&a, line, sizeof(line));
    assert_string_equal(line, "bob:1000:" PASSWORD_LM ":" PASSWORD_NT ":[U          ]:LCT-6B011BBB:\n");
}

static void test_flags(void **state)
{
    (void)state;
    static const struct {
        uint32_t flags;
        const char *field;
    } cases[] = {
        { ACB_DISABLED | ACB_NORMAL, "[DU         ]" },
        { ACB_PWNOTREQ | ACB_NORMAL, "[NU         ]" },
        { ACB_NORMAL | ACB_PWNOEXP, "[UX         ]" },
        { ACB_NORMAL | ACB_AUTOLOCK, "[UL         ]" },
        { ACB_WSTRUST, "[W          ]" },
        { ACB_PWNOTREQ | ACB_DISABLED | ACB_HOMDIRREQ | ACB_TEMPDUP | ACB_NORMAL | ACB_MNS |
              ACB_WSTRUST | ACB_SVRTRUST | ACB_AUTOLOCK | ACB_PWNOEXP | ACB_DOMTRUST,
          "[NDHTUMWSLXI]" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct msv_account a = make_account("u", 1, "Password"), back;
        a.acb_flags = cases[i].flags;
        char line[512];
        msv_smbpasswd_format_line(&a, line, sizeof(line));
        assert_non_null(strstr(line, cases[i].field));
        assert_int_equal(strlen(cases[i].field), 13);
        assert_int_equal(msv_smbpasswd_parse_line(line, &back), STATUS_SUCCESS);
        assert_int_equal(back.acb_flags, cases[i].flags);
    }
    /* Decoding: letters in any order with spaces, stops at an unknown character, 0 is U. */
    struct msv_account a;
    assert_int_equal(msv_smbpasswd_parse_line("u:1:" X32 ":" X32 ":[ W D ]:LCT-00000000:", &a), 0);
    assert_int_equal(a.acb_flags, ACB_WSTRUST | ACB_DISABLED);
    assert_int_equal(msv_smbpasswd_parse_line("u:1:" X32 ":" X32 ":[D?U]:", &a), 0);
    assert_int_equal(a.acb_flags, ACB_DISABLED);
    assert_int_equal(msv_smbpasswd_parse_line("u:1:" X32 ":" X32 ":[     ]:", &a), 0);
    assert_int_equal(a.acb_flags, ACB_NORMAL);
    /* Old style (no flags field): a name ending in $ is a workstation trust account. */
    assert_int_equal(msv_smbpasswd_parse_line("host$:1:" X32 ":" PASSWORD_NT ":", &a), 0);
    assert_int_equal(a.acb_flags, ACB_WSTRUST);
    assert_true(a.has_nt);
    assert_int_equal(msv_smbpasswd_parse_line("old:1:" PASSWORD_LM ":", &a), 0);
    assert_int_equal(a.acb_flags, ACB_NORMAL);
    assert_true(a.has_lm);
    assert_false(a.has_nt);
}

static void test_no_password(void **state)
{
    (void)state;
    struct msv_account a;
    assert_int_equal(msv_smbpasswd_parse_line("guest:9:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:" PASSWORD_NT
                                              ":[NU         ]:LCT-00000001:",
                                              &a),
                     STATUS_SUCCESS);
    assert_false(a.has_lm);
    assert_true(a.has_nt); /* smbpasswd -n leaves the NT hash (spec/ntlm.md §3) */
    assert_true(a.acb_flags & ACB_PWNOTREQ);
    /* NO PASSWORD sets N even when the flags field does not say so. */
    assert_int_equal(msv_smbpasswd_parse_line("guest:9:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:" X32
                                              ":[U          ]:LCT-00000001:",
                                              &a),
                     STATUS_SUCCESS);
    assert_int_equal(a.acb_flags, ACB_NORMAL | ACB_PWNOTREQ);
    /* Writing: no hash and N → NO PASSWORD in both fields (Samba's format routine). */
    struct msv_account b = make_account("guest", 9, NULL);
    b.acb_flags = ACB_NORMAL | ACB_PWNOTREQ;
    char line[512];
    msv_smbpasswd_format_line(&b, line, sizeof(line));
    assert_string_equal(line, "guest:9:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:NO "
                              "PASSWORDXXXXXXXXXXXXXXXXXXXXX:[NU         ]:LCT-00000000:\n");
    assert_int_equal(msv_smbpasswd_parse_line(line, &a), STATUS_SUCCESS);
    assert_false(a.has_lm);
    assert_false(a.has_nt);
    assert_int_equal(a.acb_flags, ACB_NORMAL | ACB_PWNOTREQ);
    /* Without N: X×32. */
    b.acb_flags = ACB_NORMAL;
    msv_smbpasswd_format_line(&b, line, sizeof(line));
    assert_string_equal(line, "guest:9:" X32 ":" X32 ":[U          ]:LCT-00000000:\n");
}

static void test_malformed_lines(void **state)
{
    (void)state;
    struct msv_account a;
    static const char *bad[] = {
        "no colon at all",
        ":0:" X32 ":" X32 ":[U          ]:",                 /* empty name */
        "neg:-1:" X32 ":" X32 ":[U          ]:",             /* negative uid */
        "nan:abc:" X32 ":" X32 ":[U          ]:",            /* uid not a number */
        "big:4294967296:" X32 ":" X32 ":[U          ]:",     /* uid out of range */
        "nocolon:1" X32,                                      /* no ':' after the uid */
        "short:1:XXXX:" X32 ":[U          ]:",               /* LM field too short */
        "long:1:" X32 "X:" X32 ":[U          ]:",            /* no ':' after 32 LM chars */
        "ctl\tname:1:" X32 ":" X32 ":[U          ]:",        /* control character */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(msv_smbpasswd_parse_line(bad[i], &a), STATUS_INVALID_PARAMETER);
    assert_int_equal(msv_smbpasswd_parse_line("# a comment", &a), STATUS_NOT_FOUND);
    assert_int_equal(msv_smbpasswd_parse_line("", &a), STATUS_NOT_FOUND);
    /* A non-hex LM hash is no LM hash, as Samba reads it; a non-hex NT hash likewise. */
    assert_int_equal(msv_smbpasswd_parse_line("x:1:ZZ" X32 ":" PASSWORD_NT ":[U          ]:", &a),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(msv_smbpasswd_parse_line("x:1:ZZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:" PASSWORD_NT
                                              ":[U          ]:",
                                              &a),
                     STATUS_SUCCESS);
    assert_false(a.has_lm);
    assert_true(a.has_nt);

    /* Never trust the line length: a 100000-byte name, a 100000-byte flags field. */
    size_t n = 100000;
    char *huge = malloc(n + 200);
    assert_non_null(huge);
    memset(huge, 'a', n);
    strcpy(huge + n, ":1:" X32 ":" X32 ":[U          ]:");
    assert_int_equal(msv_smbpasswd_parse_line(huge, &a), STATUS_INVALID_PARAMETER);
    strcpy(huge, "ok:1:" X32 ":" PASSWORD_NT ":[U");
    size_t at = strlen(huge);
    memset(huge + at, ' ', n);
    strcpy(huge + at + n, "]:LCT-00000002:");
    assert_int_equal(msv_smbpasswd_parse_line(huge, &a), STATUS_SUCCESS);
    assert_int_equal(a.acb_flags, ACB_NORMAL);
    assert_int_equal(a.password_last_set, 2);
    free(huge);
}

/* ---- whole stores ------------------------------------------------------------------------ */

static void assert_same_account(const struct msv_account *a, const struct msv_account *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->uid, b->uid);
    assert_int_equal(a->has_nt, b->has_nt);
    assert_int_equal(a->has_lm, b->has_lm);
    if (a->has_nt)
        assert_memory_equal(a->nt_hash, b->nt_hash, 16);
    if (a->has_lm)
        assert_memory_equal(a->lm_hash, b->lm_hash, 16);
    assert_int_equal(a->acb_flags, b->acb_flags);
    assert_int_equal(a->password_last_set, b->password_last_set);
    assert_int_equal(a->bad_password_count, b->bad_password_count);
    assert_int_equal(a->bad_password_time, b->bad_password_time);
    assert_int_equal(a->lockout_time, b->lockout_time);
    assert_int_equal(a->logon_count, b->logon_count);
    assert_int_equal(a->last_logon, b->last_logon);
    assert_int_equal(a->must_change, b->must_change);
}

static void test_round_trip(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account alice = make_account("alice", 1000, "Password");
    struct msv_account bob = make_account("DOMAIN\\bob", 1001, "a much longer password than 14");
    bob.acb_flags = ACB_NORMAL | ACB_PWNOEXP;
    bob.logon_count = 3;
    bob.last_logon = 1700000000;
    bob.must_change = TRUE;
    assert_int_equal(msv_store_add(s, &alice), STATUS_SUCCESS);
    assert_int_equal(msv_store_add(s, &bob), STATUS_SUCCESS);
    msv_store_close(s);

    char *text = read_file(f->store);
    assert_non_null(text);
    /* bob's state made the second add a two-file commit: the generation line. */
    const char *want = "# msv1_0 generation 1\n"
                       "alice:1000:" PASSWORD_LM ":" PASSWORD_NT ":[U          ]:LCT-6B011BBB:\n"
                       "DOMAIN\\bob:1001:" X32 ":";
    assert_int_equal(strncmp(text, want, strlen(want)), 0);
    assert_non_null(strstr(text, ":[UX         ]:LCT-6B011BBB:\n"));
    free(text);
    text = read_file(f->state);
    assert_non_null(text);
    assert_string_equal(text, "# msv1_0 generation 1\nDOMAIN\\bob:0:0:0:3:1700000000:1\n");
    free(text);

    struct stat st;
    assert_int_equal(stat(f->store, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(stat(f->state, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    struct msv_account back;
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    assert_same_account(&alice, &back);
    assert_int_equal(msv_store_lookup(s, "domain\\BOB", &back), STATUS_SUCCESS);
    assert_same_account(&bob, &back);
    assert_false(back.has_lm); /* longer than 14 characters: no LM hash */
    assert_int_equal(msv_store_lookup(s, "carol", &back), STATUS_NO_SUCH_USER);
    msv_store_close(s);
}

static void test_set_password(void **state)
{
    (void)state;
    struct msv_account a = make_account("u", 1, NULL);
    a.must_change = TRUE;
    a.acb_flags = ACB_NORMAL | ACB_PWNOTREQ;
    a.has_lm = TRUE;
    assert_int_equal(msv_account_set_password(&a, "Password", 12345), STATUS_SUCCESS);
    char hex[33];
    assert_true(a.has_nt);
    hex16(a.nt_hash, hex);
    assert_string_equal(hex, PASSWORD_NT);
    assert_true(a.has_lm);
    hex16(a.lm_hash, hex);
    assert_string_equal(hex, PASSWORD_LM);
    assert_int_equal(a.password_last_set, 12345);
    assert_false(a.must_change);
    assert_int_equal(a.acb_flags, ACB_NORMAL);
    /* 15 characters, or non-ASCII: no LM hash. */
    assert_int_equal(msv_account_set_password(&a, "Password1234567", 1), STATUS_SUCCESS);
    assert_false(a.has_lm);
    assert_int_equal(msv_account_set_password(&a, "Pässword", 1), STATUS_SUCCESS);
    assert_false(a.has_lm);
    assert_true(a.has_nt);
    /* Not UTF-8. */
    assert_int_equal(msv_account_set_password(&a, "\xff\xfe", 1), STATUS_INVALID_PARAMETER);
}

static void test_samba_wrote_it(void **state)
{
    struct fixture *f = *state;
    if (!have_program("smbpasswd")) {
        print_message("# smbpasswd (samba-common-bin) is not installed: test skipped\n");
        skip();
    }
    const char *conf = samba_conf(f->dir, f->store);
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof(cmd),
             "printf 'Password\\nPassword\\n' | smbpasswd -c '%s' -a -s nobody 2>&1 && "
             "printf 'Password\\nPassword\\n' | smbpasswd -c '%s' -a -s daemon 2>&1 && "
             "smbpasswd -c '%s' -d daemon 2>&1",
             conf, conf, conf);
    int rc = run(cmd, out, sizeof(out));
    if (rc != 0)
        fail_msg("smbpasswd failed (%d): %s", rc, out);

    struct msv_store *s = NULL;
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    struct msv_account a;
    char hex[33];
    assert_int_equal(msv_store_lookup(s, "nobody", &a), STATUS_SUCCESS);
    assert_true(a.has_nt);
    hex16(a.nt_hash, hex);
    assert_string_equal(hex, PASSWORD_NT);
    assert_false(a.has_lm); /* Samba 4.17 writes X×32 unless LM is enabled */
    assert_int_equal(a.acb_flags, ACB_NORMAL);
    assert_true(a.password_last_set > 0);
    assert_int_equal(msv_store_lookup(s, "DAEMON", &a), STATUS_SUCCESS);
    hex16(a.nt_hash, hex);
    assert_string_equal(hex, PASSWORD_NT);
    assert_int_equal(a.acb_flags, ACB_NORMAL | ACB_DISABLED);

    /* We change it; the line is written back the way Samba wrote it. */
    char *before = read_file(f->store);
    assert_non_null(before);
    assert_int_equal(msv_store_remove(s, "daemon"), STATUS_SUCCESS);
    char *after = read_file(f->store);
    assert_non_null(after);
    assert_int_equal(strncmp(before, after, strlen(after)), 0); /* nobody's line, unchanged */
    free(before);
    free(after);
    msv_store_close(s);
}

static NTSTATUS set_flags(struct msv_account *account, void *context)
{
    account->acb_flags = *(const uint32_t *)context;
    return STATUS_SUCCESS;
}

static void test_samba_reads_it(void **state)
{
    struct fixture *f = *state;
    if (!have_program("smbpasswd")) {
        print_message("# smbpasswd (samba-common-bin) is not installed: test skipped\n");
        skip();
    }
    /* Samba looks accounts up as Unix users: use ones every system has. */
    struct msv_store *s = new_store(f);
    struct msv_account root = make_account("root", 0, "Password");
    struct msv_account daemon = make_account("daemon", 1, "Secret123");
    daemon.must_change = TRUE; /* a two-file commit: our generation line is in the file */
    struct msv_account bin = make_account("bin", 2, "Password");
    bin.acb_flags = ACB_NORMAL | ACB_PWNOEXP;
    assert_int_equal(msv_store_add(s, &root), STATUS_SUCCESS);
    assert_int_equal(msv_store_add(s, &daemon), STATUS_SUCCESS);
    assert_int_equal(msv_store_add(s, &bin), STATUS_SUCCESS);
    char *text = read_file(f->store);
    assert_non_null(strstr(text, "# msv1_0 generation"));
    free(text);

    const char *conf = samba_conf(f->dir, f->store);
    char cmd[1024], out[8192], hex[33], want[MSV_NAME_MAX + 32];
    if (have_program("pdbedit")) {
        snprintf(cmd, sizeof(cmd), "pdbedit -s '%s' -L -w 2>/dev/null", conf);
        int rc = run(cmd, out, sizeof(out));
        if (rc != 0)
            fail_msg("pdbedit failed (%d): %s", rc, out);
        const struct msv_account *all[] = { &root, &daemon, &bin };
        for (size_t i = 0; i < 3; i++) {
            hex16(all[i]->nt_hash, hex);
            snprintf(want, sizeof(want), "%s:%u:", all[i]->name, (unsigned)all[i]->uid);
            char *line = strstr(out, want);
            if (line == NULL)
                fail_msg("pdbedit does not list %s:\n%s", all[i]->name, out);
            char *nt = line + strlen(want) + 33;
            assert_int_equal(strncmp(nt, hex, 32), 0);
        }
        assert_non_null(strstr(out, "bin:2:"));
        assert_non_null(strstr(strstr(out, "bin:2:"), "[UX         ]"));
    } else {
        print_message("# pdbedit (package samba) is not installed: Samba's smbpasswd reads "
                      "the file instead\n");
    }
    /* Samba's smbpasswd finds our lines and changes them in place. */
    snprintf(cmd, sizeof(cmd), "smbpasswd -c '%s' -d daemon 2>&1 && smbpasswd -c '%s' -e root 2>&1",
             conf, conf);
    int rc = run(cmd, out, sizeof(out));
    if (rc != 0)
        fail_msg("smbpasswd could not read our file (%d): %s", rc, out);
    assert_non_null(strstr(out, "Disabled user daemon"));
    assert_non_null(strstr(out, "Enabled user root"));
    struct msv_account back;
    assert_int_equal(msv_store_lookup(s, "daemon", &back), STATUS_SUCCESS);
    assert_int_equal(back.acb_flags, ACB_NORMAL | ACB_DISABLED);
    assert_memory_equal(back.nt_hash, daemon.nt_hash, 16);
    assert_true(back.must_change); /* our state file is untouched by Samba */
    /* ... and we keep working on the file Samba changed. */
    uint32_t flags = ACB_NORMAL;
    assert_int_equal(msv_store_update(s, "daemon", set_flags, &flags), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "daemon", &back), STATUS_SUCCESS);
    assert_int_equal(back.acb_flags, ACB_NORMAL);
    msv_store_close(s);
}

static void test_malformed_lines_in_a_file(void **state)
{
    struct fixture *f = *state;
    const char *text = "# a comment Samba wrote\n"
                       "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n"
                       "broken line without colons\n"
                       "neg:-5:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n"
                       "\n"
                       "ALICE:1001:" X32 ":" X32 ":[D          ]:LCT-00000002:\n"
                       "bob:1002:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000003:";
    struct msv_store *s = store_with(f, text);
    struct msv_account a;
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.uid, 1000); /* the first line of a name counts, as in Samba */
    assert_int_equal(msv_store_lookup(s, "neg", &a), STATUS_NO_SUCH_USER);
    assert_int_equal(msv_store_lookup(s, "bob", &a), STATUS_SUCCESS);
    assert_int_equal(a.password_last_set, 3);

    /* Rewriting keeps every line an administrator wrote, and ends the last one. */
    uint32_t flags = ACB_NORMAL | ACB_DISABLED;
    assert_int_equal(msv_store_update(s, "bob", set_flags, &flags), STATUS_SUCCESS);
    char *after = read_file(f->store);
    assert_non_null(after);
    assert_string_equal(after, "# a comment Samba wrote\n"
                               "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n"
                               "broken line without colons\n"
                               "neg:-5:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n"
                               "\n"
                               "ALICE:1001:" X32 ":" X32 ":[D          ]:LCT-00000002:\n"
                               "bob:1002:" X32 ":" PASSWORD_NT ":[DU         ]:LCT-00000003:\n");
    free(after);
    msv_store_close(s);
}

static void test_long_lines_in_a_file(void **state)
{
    struct fixture *f = *state;
    /* Lines far beyond Samba's 256-byte buffer, around a good one. */
    size_t n = 300000;
    char *text = malloc(2 * n + 512);
    assert_non_null(text);
    memset(text, 'z', n);
    size_t at = n;
    at += (size_t)sprintf(text + at, ":1:" X32 ":" X32 ":[U          ]:\n");
    at += (size_t)sprintf(text + at, "good:7:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n");
    memset(text + at, ':', n);
    text[at + n] = '\0';
    struct msv_store *s = store_with(f, text);
    free(text);
    struct msv_account a;
    assert_int_equal(msv_store_lookup(s, "good", &a), STATUS_SUCCESS);
    assert_int_equal(a.uid, 7);
    msv_store_close(s);
}

static void test_permissions(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("alice", 1000, "Password");
    a.logon_count = 1; /* so that there is a state file */
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    msv_store_close(s);

    assert_int_equal(chmod(f->store, 0644), 0);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->store, 0640), 0);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->store, 0602), 0);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->store, 0400), 0);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS); /* owner-only is fine */
    msv_store_close(s);
    assert_int_equal(chmod(f->store, 0600), 0);

    /* The state file is held to the same rule. */
    assert_int_equal(chmod(f->state, 0604), 0);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->state, 0600), 0);

    /* A store that becomes readable after it was opened is refused at the next use. */
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    assert_int_equal(chmod(f->store, 0644), 0);
    struct msv_account back;
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->store, 0600), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    msv_store_close(s);

    /* Another owner (when we can make one). */
    if (geteuid() == 0) {
        assert_int_equal(chown(f->store, 1, 1), 0);
        assert_int_equal(msv_store_open(f->store, &s), STATUS_ACCESS_DENIED);
        assert_int_equal(chown(f->store, 0, 0), 0);
    }
    /* A symbolic link is refused, not followed. */
    char link_path[400];
    snprintf(link_path, sizeof(link_path), "%s/link", f->dir);
    assert_int_equal(symlink(f->store, link_path), 0);
    assert_int_equal(msv_store_open(link_path, &s), STATUS_ACCESS_DENIED);
    /* A missing store. */
    char missing[400];
    snprintf(missing, sizeof(missing), "%s/missing", f->dir);
    assert_int_equal(msv_store_open(missing, &s), STATUS_OBJECT_NAME_NOT_FOUND);
}

static void test_create(void **state)
{
    struct fixture *f = *state;
    char path[400];
    snprintf(path, sizeof(path), "%s/sub/smbpasswd", f->dir);
    mode_t old = umask(0);
    assert_int_equal(msv_store_create(path), STATUS_SUCCESS); /* makes the directory too */
    umask(old);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 0);
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/sub", f->dir);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    /* Again: the existing store is left alone. */
    struct msv_store *s;
    assert_int_equal(msv_store_open(path, &s), STATUS_SUCCESS);
    struct msv_account a = make_account("x", 1, "Password");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    assert_int_equal(msv_store_create(path), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "x", &a), STATUS_SUCCESS);
    msv_store_close(s);
    /* An explicit backend prefix selects the same backend. */
    char prefixed[420];
    snprintf(prefixed, sizeof(prefixed), "smbpasswd:%s", path);
    assert_int_equal(msv_store_open(prefixed, &s), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "X", &a), STATUS_SUCCESS);
    msv_store_close(s);
}

static void test_names(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("Alice", 1000, "Password");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    /* Duplicates, whatever the case. */
    assert_int_equal(msv_store_add(s, &a), STATUS_USER_EXISTS);
    snprintf(a.name, sizeof(a.name), "ALICE");
    assert_int_equal(msv_store_add(s, &a), STATUS_USER_EXISTS);
    /* Case-insensitive lookups return the stored spelling. */
    struct msv_account back;
    assert_int_equal(msv_store_lookup(s, "aLiCe", &back), STATUS_SUCCESS);
    assert_string_equal(back.name, "Alice");
    /* ASCII only: no folding beyond A-Z. */
    snprintf(a.name, sizeof(a.name), "Ä");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "ä", &back), STATUS_NO_SUCH_USER);

    static const char *bad[] = { "", "a:b", "a\nb", "tab\there", "#comment", "del\x7f" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(a.name, sizeof(a.name), "%s", bad[i]);
        assert_int_equal(msv_store_add(s, &a), STATUS_INVALID_ACCOUNT_NAME);
    }
    memset(a.name, 'n', MSV_NAME_MAX);
    a.name[MSV_NAME_MAX] = '\0';
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS); /* 256 bytes: the limit */
    memset(a.name, 'm', sizeof(a.name)); /* no terminator at all */
    assert_int_equal(msv_store_add(s, &a), STATUS_INVALID_ACCOUNT_NAME);
    /* Domain-qualified names (gss-ntlmssp, spec/ntlm.md §5) are fine. */
    snprintf(a.name, sizeof(a.name), "LABDOM\\alice");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "labdom\\ALICE", &back), STATUS_SUCCESS);
    msv_store_close(s);
}

struct edit_context {
    NTSTATUS result;
    int calls;
};

static NTSTATUS failing_edit(struct msv_account *account, void *context)
{
    struct edit_context *c = context;
    c->calls++;
    account->uid = 4242; /* changed, but the edit fails: nothing is written */
    account->logon_count = 99;
    account->must_change = TRUE;
    return c->result;
}

static NTSTATUS rename_edit(struct msv_account *account, void *context)
{
    (void)context;
    snprintf(account->name, sizeof(account->name), "someone-else");
    return STATUS_SUCCESS;
}

static void test_failed_update_leaves_files(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("alice", 1000, "Password");
    a.bad_password_count = 2;
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    char *store_before = read_file(f->store), *state_before = read_file(f->state);
    assert_non_null(store_before);
    assert_non_null(state_before);
    struct stat st_before, st_after;
    assert_int_equal(stat(f->store, &st_before), 0);

    struct edit_context c = { STATUS_WRONG_PASSWORD, 0 };
    assert_int_equal(msv_store_update(s, "alice", failing_edit, &c), STATUS_WRONG_PASSWORD);
    assert_int_equal(c.calls, 1);
    c.result = STATUS_ACCOUNT_LOCKED_OUT;
    assert_int_equal(msv_store_update(s, "ALICE", failing_edit, &c), STATUS_ACCOUNT_LOCKED_OUT);
    assert_int_equal(msv_store_update(s, "nobody", failing_edit, &c), STATUS_NO_SUCH_USER);
    assert_int_equal(c.calls, 2);
    assert_int_equal(msv_store_update(s, "alice", rename_edit, NULL), STATUS_INVALID_PARAMETER);

    char *store_after = read_file(f->store), *state_after = read_file(f->state);
    assert_string_equal(store_before, store_after);
    assert_string_equal(state_before, state_after);
    assert_int_equal(stat(f->store, &st_after), 0);
    assert_int_equal(st_before.st_ino, st_after.st_ino); /* not even rewritten */
    free(store_before);
    free(state_before);
    free(store_after);
    free(state_after);

    /* An edit that changes nothing writes nothing either. */
    uint32_t flags = ACB_NORMAL;
    assert_int_equal(msv_store_update(s, "alice", set_flags, &flags), STATUS_SUCCESS);
    assert_int_equal(stat(f->store, &st_after), 0);
    assert_int_equal(st_before.st_ino, st_after.st_ino);
    msv_store_close(s);
}

static void test_import(void **state)
{
    struct fixture *f = *state;
    char source[400];
    snprintf(source, sizeof(source), "%s/samba-smbpasswd", f->dir);
    write_file(source,
               "# exported\n"
               "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000010:\n"
               "bob:1001:" PASSWORD_LM ":" PASSWORD_NT ":[DU         ]:LCT-00000011:\n"
               "garbage\n"
               "carol:1002:NO PASSWORDXXXXXXXXXXXXXXXXXXXXX:" X32 ":[NU         ]:LCT-00000012:\n",
               0644); /* the source may be readable: it is only read */
    struct msv_store *s = new_store(f);
    struct msv_account alice = make_account("ALICE", 500, "other");
    alice.logon_count = 7;
    assert_int_equal(msv_store_add(s, &alice), STATUS_SUCCESS);

    ULONG imported = 99;
    assert_int_equal(msv_store_import(s, source, FALSE, &imported), STATUS_SUCCESS);
    assert_int_equal(imported, 2); /* bob, carol; alice exists */
    struct msv_account a;
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.uid, 500);
    assert_int_equal(a.logon_count, 7);
    assert_int_equal(msv_store_lookup(s, "bob", &a), STATUS_SUCCESS);
    assert_int_equal(a.acb_flags, ACB_NORMAL | ACB_DISABLED);
    assert_true(a.has_lm);
    assert_int_equal(a.password_last_set, 0x11);
    assert_int_equal(msv_store_lookup(s, "carol", &a), STATUS_SUCCESS);
    assert_int_equal(a.acb_flags, ACB_NORMAL | ACB_PWNOTREQ);
    assert_false(a.has_nt);

    assert_int_equal(msv_store_import(s, source, TRUE, &imported), STATUS_SUCCESS);
    assert_int_equal(imported, 3);
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.uid, 1000);
    assert_int_equal(a.logon_count, 0); /* state zeroed */
    char hex[33];
    hex16(a.nt_hash, hex);
    assert_string_equal(hex, PASSWORD_NT);

    char missing[400];
    snprintf(missing, sizeof(missing), "%s/nope", f->dir);
    assert_int_equal(msv_store_import(s, missing, FALSE, &imported), STATUS_OBJECT_NAME_NOT_FOUND);
    msv_store_close(s);
}

struct collect {
    char names[8][MSV_NAME_MAX + 1];
    int count;
    int stop_after;
};

static int collect(const struct msv_account *account, void *context)
{
    struct collect *c = context;
    snprintf(c->names[c->count++], sizeof(c->names[0]), "%s", account->name);
    return c->count == c->stop_after;
}

static void test_enumerate_and_remove(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = store_with(f, "# header\n"
                                        "c:3:" X32 ":" X32 ":[U          ]:\n"
                                        "a:1:" X32 ":" X32 ":[U          ]:\n"
                                        "bad\n"
                                        "b:2:" X32 ":" X32 ":[U          ]:\n");
    struct collect c = { .stop_after = 0 };
    assert_int_equal(msv_store_enumerate(s, collect, &c), STATUS_SUCCESS);
    assert_int_equal(c.count, 3);
    assert_string_equal(c.names[0], "c"); /* file order */
    assert_string_equal(c.names[1], "a");
    assert_string_equal(c.names[2], "b");
    struct collect early = { .stop_after = 2 };
    assert_int_equal(msv_store_enumerate(s, collect, &early), STATUS_SUCCESS);
    assert_int_equal(early.count, 2);

    assert_int_equal(msv_store_remove(s, "A"), STATUS_SUCCESS);
    assert_int_equal(msv_store_remove(s, "a"), STATUS_NO_SUCH_USER);
    char *text = read_file(f->store);
    assert_string_equal(text, "# header\n"
                              "c:3:" X32 ":" X32 ":[U          ]:LCT-00000000:\n"
                              "bad\n"
                              "b:2:" X32 ":" X32 ":[U          ]:LCT-00000000:\n");
    free(text);
    msv_store_close(s);
}

static NTSTATUS set_state(struct msv_account *account, void *context)
{
    const struct msv_account *want = context;
    account->bad_password_count = want->bad_password_count;
    account->bad_password_time = want->bad_password_time;
    account->lockout_time = want->lockout_time;
    account->logon_count = want->logon_count;
    account->last_logon = want->last_logon;
    account->must_change = want->must_change;
    return STATUS_SUCCESS;
}

static void test_state_file(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("alice", 1000, "Password");
    struct msv_account b = make_account("bob", 1001, "Password");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    assert_int_equal(msv_store_add(s, &b), STATUS_SUCCESS);
    assert_null(read_file(f->state)); /* nothing to keep yet */
    char *store_text = read_file(f->store);

    struct msv_account want = { .bad_password_count = 3,
                                .bad_password_time = 1700000001,
                                .lockout_time = -2, /* any 64-bit value survives */
                                .logon_count = UINT32_MAX,
                                .last_logon = INT64_MAX,
                                .must_change = TRUE };
    assert_int_equal(msv_store_update(s, "BOB", set_state, &want), STATUS_SUCCESS);
    char *text = read_file(f->state);
    assert_string_equal(text, "# msv1_0 generation 0\n"
                              "bob:3:1700000001:-2:4294967295:9223372036854775807:1\n");
    free(text);
    /* Only the state changed: the smbpasswd file is as it was. */
    char *store_after = read_file(f->store);
    assert_string_equal(store_text, store_after);
    free(store_text);
    free(store_after);
    msv_store_close(s);

    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    struct msv_account back;
    assert_int_equal(msv_store_lookup(s, "bob", &back), STATUS_SUCCESS);
    assert_int_equal(back.bad_password_count, 3);
    assert_int_equal(back.bad_password_time, 1700000001);
    assert_int_equal(back.lockout_time, -2);
    assert_int_equal(back.logon_count, UINT32_MAX);
    assert_int_equal(back.last_logon, INT64_MAX);
    assert_true(back.must_change);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    assert_int_equal(back.logon_count, 0);
    msv_store_close(s);

    /* Malformed state lines and lines of unknown accounts are skipped, and dropped at
     * the next write. */
    write_file(f->state,
               "# msv1_0 generation 0\n"
               "bob:1:2:3:4:5:0\n"
               "ghost:1:1:1:1:1:1\n"
               "alice:x:1:1:1:1:1\n"
               "alice:1:1:1:1:1:2\n"
               "alice:1:1:1:4294967296:1:1\n"
               "alice:1:1:1:1:1:1:extra\n"
               "alice:1:1:1:1:1\n",
               0600);
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    assert_int_equal(back.logon_count, 0);
    assert_int_equal(msv_store_lookup(s, "bob", &back), STATUS_SUCCESS);
    assert_int_equal(back.logon_count, 4);
    want.logon_count = 5;
    want.must_change = FALSE;
    want.bad_password_count = 0;
    want.bad_password_time = 0;
    want.lockout_time = 0;
    want.last_logon = 6;
    assert_int_equal(msv_store_update(s, "alice", set_state, &want), STATUS_SUCCESS);
    text = read_file(f->state);
    assert_string_equal(text, "# msv1_0 generation 0\n"
                              "alice:0:0:0:5:6:0\n"
                              "bob:1:2:3:4:5:0\n");
    free(text);
    msv_store_close(s);
}

static void test_two_file_commit_recovery(void **state)
{
    struct fixture *f = *state;
    char pending[400];
    snprintf(pending, sizeof(pending), "%s.pending", f->state);
    const char *store_text = "# msv1_0 generation 5\n"
                             "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n";
    write_file(f->store, store_text, 0600);
    write_file(f->state, "# msv1_0 generation 4\nalice:0:0:0:1:0:0\n", 0600);

    /* A crash after the smbpasswd rename: the pending state is the committed one. */
    write_file(pending, "# msv1_0 generation 5\nalice:0:0:0:2:0:1\n", 0600);
    struct msv_store *s;
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    struct msv_account a;
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.logon_count, 2);
    assert_true(a.must_change);
    assert_int_equal(access(pending, F_OK), 0); /* a reader does not repair */
    /* The next writer completes the rename. */
    uint32_t flags = ACB_NORMAL | ACB_DISABLED;
    assert_int_equal(msv_store_update(s, "alice", set_flags, &flags), STATUS_SUCCESS);
    assert_int_equal(access(pending, F_OK), -1);
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.logon_count, 2);
    assert_true(a.must_change);
    assert_int_equal(a.acb_flags, ACB_NORMAL | ACB_DISABLED);

    /* A crash before the smbpasswd rename: the pending state never counted. */
    write_file(f->store, store_text, 0600);
    write_file(f->state, "# msv1_0 generation 5\nalice:0:0:0:1:0:0\n", 0600);
    write_file(pending, "# msv1_0 generation 6\nalice:0:0:0:9:0:1\n", 0600);
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.logon_count, 1);
    assert_false(a.must_change);
    assert_int_equal(msv_store_update(s, "alice", set_flags, &flags), STATUS_SUCCESS);
    assert_int_equal(access(pending, F_OK), -1); /* removed by the writer */
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_SUCCESS);
    assert_int_equal(a.logon_count, 1);

    /* A pending state readable by others is refused like the other files. */
    write_file(pending, "# msv1_0 generation 6\n", 0644);
    assert_int_equal(msv_store_lookup(s, "alice", &a), STATUS_ACCESS_DENIED);
    unlink(pending);

    /* A two-file change bumps the generation in both files. */
    struct msv_account want = { .logon_count = 3, .must_change = TRUE };
    flags = ACB_NORMAL;
    assert_int_equal(msv_store_update(s, "alice", set_flags, &flags), STATUS_SUCCESS);
    char *text = read_file(f->store);
    assert_int_equal(strncmp(text, "# msv1_0 generation 5\n", 22), 0); /* one file: same */
    free(text);
    struct msv_account bob = make_account("bob", 1, "Password");
    bob.logon_count = 1;
    assert_int_equal(msv_store_add(s, &bob), STATUS_SUCCESS); /* both files change */
    text = read_file(f->store);
    assert_int_equal(strncmp(text, "# msv1_0 generation 6\n", 22), 0);
    free(text);
    text = read_file(f->state);
    assert_int_equal(strncmp(text, "# msv1_0 generation 6\n", 22), 0);
    free(text);
    assert_int_equal(msv_store_update(s, "alice", set_state, &want), STATUS_SUCCESS);
    msv_store_close(s);
}

static void test_stale_temporaries_removed(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    char stale[400], other[400];
    snprintf(stale, sizeof(stale), "%s.tmp.AbC123", f->store);
    snprintf(other, sizeof(other), "%s/unrelated.tmp.AbC123", f->dir);
    write_file(stale, "half a file", 0600);
    write_file(other, "not ours", 0600);
    struct msv_account a = make_account("alice", 1000, "Password");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(other, F_OK), 0);
    msv_store_close(s);
}

/* ---- the process-wide cache (store_cache.c) --------------------------------------------- */

static unsigned long cache_hits(void)
{
    unsigned long hits;
    msv_cache_counters(&hits, NULL);
    return hits;
}

static unsigned long cache_fills(void)
{
    unsigned long fills;
    msv_cache_counters(NULL, &fills);
    return fills;
}

/* Waits until the store's files are old enough to be cached: store_cache.c caches only
 * files whose ctime is more than 100 ms (3 s for whole-second timestamps) in the past. */
static void settle(const struct fixture *f)
{
    char pending[320];
    snprintf(pending, sizeof(pending), "%s.pending", f->state);
    const char *files[] = { f->store, f->state, pending };
    for (size_t i = 0; i < 3; i++) {
        struct stat st;
        if (stat(files[i], &st) != 0)
            continue;
        int64_t margin = st.st_ctim.tv_nsec == 0 ? INT64_C(3100000000) : INT64_C(120000000);
        int64_t ready = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec + margin;
        for (;;) {
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            int64_t wait = ready - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
            if (wait <= 0)
                break;
            struct timespec ts = { (time_t)(wait / 1000000000), (long)(wait % 1000000000) };
            nanosleep(&ts, NULL);
        }
    }
}

/* A lookup of NAME on S must come from the cache (HIT) or from the files (!HIT). */
#define lookup_expect(s, name, hit) lookup_expect_at((s), (name), (hit), __FILE__, __LINE__)
static struct msv_account lookup_expect_at(struct msv_store *s, const char *name, BOOLEAN hit,
                                           const char *file, int line)
{
    struct msv_account a;
    unsigned long before = cache_hits();
    _assert_int_equal(msv_store_lookup(s, name, &a), STATUS_SUCCESS, file, line);
    _assert_int_equal(cache_hits() - before, hit ? 1 : 0, file, line);
    return a;
}

static NTSTATUS set_uid(struct msv_account *account, void *context)
{
    account->uid = *(const uint32_t *)context;
    return STATUS_SUCCESS;
}

static void test_cache_answers_lookups(void **state)
{
    struct fixture *f = *state;
    /* Many names, cases mixed, a duplicate (the first line counts), comments. */
    char text[16384];
    size_t at = (size_t)sprintf(text, "# comment\n");
    for (int i = 0; i < 60; i++)
        at += (size_t)sprintf(text + at, "%s%02d:%d:" X32 ":" PASSWORD_NT ":[U          ]:\n",
                              i % 2 ? "User" : "uSER", i, 100 + i);
    at += (size_t)sprintf(text + at, "user07:9999:" X32 ":" X32 ":[U          ]:\n");
    write_file(f->store, text, 0600);
    write_file(f->state, "# msv1_0 generation 0\nuser42:1:2:3:4:5:1\n", 0600);
    settle(f);

    struct msv_store *s;
    unsigned long fills = cache_fills();
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    lookup_expect(s, "user00", FALSE); /* read, and cached */
    assert_int_equal(cache_fills(), fills + 1);
    for (int i = 0; i < 60; i++) {
        char name[16];
        snprintf(name, sizeof(name), "%s%02d", i % 3 ? "USER" : "user", i);
        struct msv_account a = lookup_expect(s, name, TRUE);
        assert_int_equal(a.uid, 100 + i);
        assert_true(a.has_nt);
        assert_int_equal(a.logon_count, i == 42 ? 4 : 0);
        assert_int_equal(a.must_change, i == 42);
    }
    struct msv_account a;
    unsigned long hits = cache_hits();
    assert_int_equal(msv_store_lookup(s, "user60", &a), STATUS_NO_SUCH_USER);
    assert_int_equal(msv_store_lookup(s, "comment", &a), STATUS_NO_SUCH_USER);
    assert_int_equal(msv_store_lookup(s, "", &a), STATUS_NO_SUCH_USER);
    assert_int_equal(cache_hits(), hits + 3);

    /* Another handle of this process writes: the cached image is dropped, the change seen
     * at once, and the files (just written) are read until they settle. */
    struct msv_store *writer;
    assert_int_equal(msv_store_open(f->store, &writer), STATUS_SUCCESS);
    uint32_t uid = 4242;
    assert_int_equal(msv_store_update(writer, "user07", set_uid, &uid), STATUS_SUCCESS);
    assert_int_equal(lookup_expect(s, "user07", FALSE).uid, 4242);
    assert_int_equal(lookup_expect(s, "user07", FALSE).uid, 4242);
    assert_int_equal(msv_store_remove(writer, "user08"), STATUS_SUCCESS);
    assert_int_equal(msv_store_lookup(s, "user08", &a), STATUS_NO_SUCH_USER);
    msv_store_close(writer);
    settle(f);
    lookup_expect(s, "user07", FALSE);
    assert_int_equal(lookup_expect(s, "user07", TRUE).uid, 4242);
    msv_store_close(s);

    /* An open of a cached store needs no read either; a new handle shares the cache. */
    assert_int_equal(msv_store_open(f->store, &s), STATUS_SUCCESS);
    assert_int_equal(lookup_expect(s, "user09", TRUE).uid, 109);
    msv_store_close(s);
    explicit_bzero(&a, sizeof(a));
}

static void test_cache_sees_another_process(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("alice", 1000, "Password");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    settle(f);
    lookup_expect(s, "alice", FALSE);
    assert_int_equal(lookup_expect(s, "alice", TRUE).uid, 1000);

    /* A child process changes the password and the state (a two-file commit), through
     * its own handle. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct msv_store *child;
        struct msv_account want = { .logon_count = 7, .must_change = TRUE };
        uint32_t uid = 1001;
        int ok = msv_store_open(f->store, &child) == STATUS_SUCCESS &&
                 msv_store_update(child, "alice", set_uid, &uid) == STATUS_SUCCESS &&
                 msv_store_update(child, "alice", set_state, &want) == STATUS_SUCCESS;
        _exit(ok ? 0 : 1);
    }
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);

    /* The parent's next lookup, through the handle it already had, sees it. */
    struct msv_account back = lookup_expect(s, "alice", FALSE);
    assert_int_equal(back.uid, 1001);
    assert_int_equal(back.logon_count, 7);
    assert_true(back.must_change);

    /* Again once cached: the child removes the account, the parent sees it gone. */
    settle(f);
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", TRUE);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct msv_store *child;
        int ok = msv_store_open(f->store, &child) == STATUS_SUCCESS &&
                 msv_store_remove(child, "alice") == STATUS_SUCCESS;
        _exit(ok ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_NO_SUCH_USER);
    msv_store_close(s);
}

/* Rewrites PATH in place (same inode) with TEXT, which has the length of what is there. */
static void rewrite_in_place(const char *path, const char *text)
{
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal((size_t)before.st_size, strlen(text));
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, text, strlen(text), 0), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
    assert_int_equal(stat(path, &after), 0);
    assert_true(after.st_ino == before.st_ino && after.st_size == before.st_size);
}

static void test_cache_sees_in_place_rewrite(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s =
        store_with(f, "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:LCT-00000001:\n");
    settle(f);
    lookup_expect(s, "alice", FALSE);
    assert_int_equal(lookup_expect(s, "alice", TRUE).uid, 1000);

    /* Same size, same inode, a new mtime (as Samba's smbpasswd edits a line). */
    struct stat before, after;
    assert_int_equal(stat(f->store, &before), 0);
    rewrite_in_place(f->store, "alice:1001:" X32 ":" PASSWORD_NT ":[UD         ]:LCT-00000001:\n");
    assert_int_equal(stat(f->store, &after), 0);
    assert_true(after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
                after.st_mtim.tv_nsec != before.st_mtim.tv_nsec);
    struct msv_account back = lookup_expect(s, "alice", FALSE);
    assert_int_equal(back.uid, 1001);
    assert_int_equal(back.acb_flags, ACB_NORMAL | ACB_DISABLED);

    /* Same size, and the old mtime put back (touch -r, rsync -t): the ctime tells. */
    settle(f);
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", TRUE);
    assert_int_equal(stat(f->store, &before), 0);
    rewrite_in_place(f->store, "alice:1002:" X32 ":" PASSWORD_NT ":[UD         ]:LCT-00000001:\n");
    struct timespec times[2] = { before.st_atim, before.st_mtim };
    assert_int_equal(utimensat(AT_FDCWD, f->store, times, 0), 0);
    assert_int_equal(lookup_expect(s, "alice", FALSE).uid, 1002);

    /* The state file, edited in place. */
    write_file(f->state, "# msv1_0 generation 0\nalice:0:0:0:1:0:0\n", 0600);
    settle(f);
    lookup_expect(s, "alice", FALSE);
    assert_int_equal(lookup_expect(s, "alice", TRUE).logon_count, 1);
    rewrite_in_place(f->state, "# msv1_0 generation 0\nalice:0:0:0:2:0:0\n");
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 2);
    msv_store_close(s);
}

static void test_cache_not_filled_while_files_are_new(void **state)
{
    struct fixture *f = *state;
    /* Files written in the last moment may still change without a new timestamp (a clock
     * tick is coarse): they are read at every lookup until they settle. */
    struct msv_store *s = store_with(f, "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:\n");
    unsigned long fills = cache_fills();
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", FALSE);
    assert_int_equal(cache_fills(), fills);
    settle(f);
    lookup_expect(s, "alice", FALSE);
    assert_int_equal(cache_fills(), fills + 1);
    lookup_expect(s, "alice", TRUE);
    msv_store_close(s);
}

static void test_cache_permission_change(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("alice", 1000, "Password");
    a.logon_count = 1; /* so that there is a state file */
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    char lock[320], pending[320];
    snprintf(lock, sizeof(lock), "%s.lock", f->store);
    snprintf(pending, sizeof(pending), "%s.pending", f->state);
    settle(f);
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", TRUE);

    /* Made readable by others after it was cached: refused at the next lookup and open. */
    struct msv_store *other;
    struct msv_account back;
    assert_int_equal(chmod(f->store, 0644), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->store, 0600), 0);

    settle(f);
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", TRUE);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_SUCCESS);
    msv_store_close(other);
    assert_int_equal(chmod(f->state, 0640), 0);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_ACCESS_DENIED);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->state, 0600), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);

    /* The lock file holds nothing, and a lookup answered from the cache does not use it:
     * an open refuses it, and so does everything that takes the lock. */
    settle(f);
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", TRUE);
    assert_int_equal(chmod(lock, 0644), 0);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_ACCESS_DENIED);
    uint32_t uid = 1;
    assert_int_equal(msv_store_update(s, "alice", set_uid, &uid), STATUS_ACCESS_DENIED);
    lookup_expect(s, "alice", TRUE);
    assert_int_equal(chmod(lock, 0600), 0);

    /* A pending state file that appears, readable by others. */
    lookup_expect(s, "alice", TRUE); /* still cached: the data files did not change */
    write_file(pending, "# msv1_0 generation 99\n", 0644);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_ACCESS_DENIED);
    unlink(pending);

    /* Replaced by a symbolic link to a good file. */
    lookup_expect(s, "alice", TRUE); /* the pending file came and went: the image stands */
    char copy[320];
    snprintf(copy, sizeof(copy), "%s/copy", f->dir);
    char *text = read_file(f->store);
    write_file(copy, text, 0600);
    free(text);
    assert_int_equal(rename(f->store, pending), 0);
    assert_int_equal(symlink(copy, f->store), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_ACCESS_DENIED);
    assert_int_equal(unlink(f->store), 0);
    assert_int_equal(rename(pending, f->store), 0);

    /* Another owner (when we can make one). */
    if (geteuid() == 0) {
        settle(f);
        lookup_expect(s, "alice", FALSE);
        lookup_expect(s, "alice", TRUE);
        assert_int_equal(chown(f->store, 1, 1), 0);
        assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
        assert_int_equal(msv_store_open(f->store, &other), STATUS_ACCESS_DENIED);
        assert_int_equal(chown(f->store, 0, 0), 0);
    }
    /* Gone. */
    settle(f);
    lookup_expect(s, "alice", FALSE);
    lookup_expect(s, "alice", TRUE);
    assert_int_equal(rename(f->store, pending), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(msv_store_open(f->store, &other), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(rename(pending, f->store), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    msv_store_close(s);
}

struct cache_reader {
    struct msv_store *store;
    atomic_int *stop;
    unsigned long lookups;
    int failed;
};

static void *cache_reader_thread(void *arg)
{
    struct cache_reader *r = arg;
    uint32_t last = 0;
    while (!atomic_load(r->stop)) {
        struct msv_account a;
        if (msv_store_lookup(r->store, "counter", &a) != STATUS_SUCCESS || a.logon_count < last)
            r->failed = 1;
        last = a.logon_count;
        r->lookups++;
    }
    return NULL;
}

static NTSTATUS count_up(struct msv_account *account, void *context)
{
    (void)context;
    account->logon_count++;
    return STATUS_SUCCESS;
}

static void test_cache_threads(void **state)
{
    struct fixture *f = *state;
    struct msv_store *s = new_store(f);
    struct msv_account a = make_account("counter", 1, "Password");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    settle(f);

    /* Two threads look up through one handle while a third writes through another: every
     * lookup succeeds and never goes back in time. */
    atomic_int stop = 0;
    struct cache_reader readers[2] = { { s, &stop, 0, 0 }, { s, &stop, 0, 0 } };
    pthread_t t[2];
    unsigned long hits = cache_hits();
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, cache_reader_thread, &readers[i]), 0);
    struct msv_store *writer;
    assert_int_equal(msv_store_open(f->store, &writer), STATUS_SUCCESS);
    for (int round = 0; round < 3; round++) {
        settle(f);
        assert_int_equal(msv_store_update(writer, "counter", count_up, NULL), STATUS_SUCCESS);
    }
    settle(f);
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_false(readers[i].failed);
        assert_true(readers[i].lookups > 0);
    }
    assert_true(cache_hits() > hits);
    struct msv_account back;
    assert_int_equal(msv_store_lookup(s, "counter", &back), STATUS_SUCCESS);
    assert_int_equal(back.logon_count, 3);
    msv_store_close(writer);
    msv_store_close(s);
}

/* ---- the cache's inotify watch (store_watch.c) ------------------------------------------ */

#define ALICE "alice:1000:" X32 ":" PASSWORD_NT ":[U          ]:\n"
#define ALICE_STATE(n) "# msv1_0 generation 0\nalice:0:0:0:" #n ":0:0\n"

/* The watch is used on local file systems whose changes all go through the VFS. */
static void skip_unless_watchable(const struct fixture *f)
{
    struct statfs sfs;
    assert_int_equal(statfs(f->dir, &sfs), 0);
    switch ((unsigned long)sfs.f_type & 0xffffffffUL) {
    case EXT4_SUPER_MAGIC:
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case F2FS_SUPER_MAGIC:
        return;
    default:
        fprintf(stderr, "# %s: no inotify fast path on this file system\n", f->dir);
        skip();
    }
}

/* F's files settled, lookups of NAME on S until the watch vouches for one (a read, a
 * full probe that sets the watch up, then the fast check). */
#define trust(f, s, name) trust_at((f), (s), (name), __FILE__, __LINE__)
static void trust_at(const struct fixture *f, struct msv_store *s, const char *name,
                     const char *file, int line)
{
    settle(f);
    unsigned long before = msv_cache_watched_hits();
    struct msv_account a;
    for (int i = 0; i < MSV_WATCH_AFTER + 4 && msv_cache_watched_hits() == before; i++)
        _assert_int_equal(msv_store_lookup(s, name, &a), STATUS_SUCCESS, file, line);
    _assert_true(msv_cache_watched_hits() > before, "the watch vouched", file, line);
}

/* A lookup of NAME on S that the watch vouches for. */
#define lookup_watched(s, name) lookup_watched_at((s), (name), __FILE__, __LINE__)
static struct msv_account lookup_watched_at(struct msv_store *s, const char *name,
                                            const char *file, int line)
{
    unsigned long before = msv_cache_watched_hits();
    struct msv_account a = lookup_expect_at(s, name, TRUE, file, line);
    _assert_int_equal(msv_cache_watched_hits() - before, 1, file, line);
    return a;
}

/* TEXT replaces PATH by rename, as a writer does (a new inode). */
static void replace_file(const char *path, const char *text)
{
    char tmp[400];
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    write_file(tmp, text, 0600);
    assert_int_equal(rename(tmp, path), 0);
}

static void test_watch_sees_state_changes(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    write_file(f->state, ALICE_STATE(1), 0600);
    trust(f, s, "alice");
    assert_int_equal(lookup_watched(s, "alice").logon_count, 1);

    /* Edited in place: the smbpasswd file is untouched, only the watch can tell. */
    rewrite_in_place(f->state, ALICE_STATE(2));
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 2);

    /* Replaced by rename, as our writers do. */
    trust(f, s, "alice");
    replace_file(f->state, ALICE_STATE(3));
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 3);

    /* Removed. */
    trust(f, s, "alice");
    assert_int_equal(unlink(f->state), 0);
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 0);

    /* Created, where there was none. */
    trust(f, s, "alice");
    write_file(f->state, ALICE_STATE(4), 0600);
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 4);

    /* Changes to other files of the directory (the lock file, temporaries, strangers)
     * leave the watch's word standing. */
    trust(f, s, "alice");
    char other[320], lock[320];
    snprintf(other, sizeof(other), "%s/unrelated", f->dir);
    snprintf(lock, sizeof(lock), "%s.lock", f->store);
    write_file(other, "x\n", 0600);
    int fd = open(lock, O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(lookup_watched(s, "alice").logon_count, 4);
    msv_store_close(s);
}

static void test_watch_sees_store_replaced(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    trust(f, s, "alice");
    replace_file(f->store, "alice:1001:" X32 ":" PASSWORD_NT ":[U          ]:\n");
    assert_int_equal(lookup_expect(s, "alice", FALSE).uid, 1001);
    msv_store_close(s);
}

static void test_watch_permission_change(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    write_file(f->state, ALICE_STATE(1), 0600);
    trust(f, s, "alice");
    struct msv_account back;
    assert_int_equal(chmod(f->state, 0604), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->state, 0600), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    trust(f, s, "alice");
    assert_int_equal(chmod(f->store, 0640), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_ACCESS_DENIED);
    assert_int_equal(chmod(f->store, 0600), 0);
    assert_int_equal(msv_store_lookup(s, "alice", &back), STATUS_SUCCESS);
    msv_store_close(s);
}

/* A state file also linked from another directory, written through that name: only an
 * inode watch sees it. */
static void test_watch_sees_state_written_elsewhere(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    write_file(f->state, ALICE_STATE(1), 0600);
    char other[320], link_name[330];
    snprintf(other, sizeof(other), "%s/other", f->dir);
    snprintf(link_name, sizeof(link_name), "%s/state", other);
    assert_int_equal(mkdir(other, 0700), 0);
    assert_int_equal(link(f->state, link_name), 0);
    trust(f, s, "alice");
    rewrite_in_place(link_name, ALICE_STATE(2));
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 2);

    /* Written through a descriptor opened before the watch was. */
    int fd = open(link_name, O_WRONLY);
    assert_true(fd >= 0);
    trust(f, s, "alice");
    assert_int_equal(pwrite(fd, ALICE_STATE(3), strlen(ALICE_STATE(3)), 0),
                     (ssize_t)strlen(ALICE_STATE(3)));
    close(fd);
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 3);
    msv_store_close(s);
}

/* The smbpasswd file with a second link: a store reached through a symbolic link to its
 * directory can be swapped for another directory holding the same file (same identity)
 * beside another state file, without an event in the first directory.  Such a store is
 * checked file by file. */
static void test_watch_needs_one_link(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct fixture g = *f;
    char x1[300], x2[300], cur[270], x2_store[320], x2_state[330], cur_new[310];
    snprintf(x1, sizeof(x1), "%s/x1", f->dir);
    snprintf(x2, sizeof(x2), "%s/x2", f->dir);
    snprintf(cur, sizeof(cur), "%s/cur", f->dir);
    snprintf(cur_new, sizeof(cur_new), "%s/cur.new", f->dir);
    snprintf(g.store, sizeof(g.store), "%s/smbpasswd", cur);
    snprintf(g.state, sizeof(g.state), "%s/smbpasswd.state", cur);
    snprintf(x2_store, sizeof(x2_store), "%s/smbpasswd", x2);
    snprintf(x2_state, sizeof(x2_state), "%s/smbpasswd.state", x2);
    assert_int_equal(mkdir(x1, 0700), 0);
    assert_int_equal(mkdir(x2, 0700), 0);
    assert_int_equal(symlink("x1", cur), 0);
    write_file(g.store, ALICE, 0600);
    write_file(g.state, ALICE_STATE(1), 0600);
    write_file(x2_state, ALICE_STATE(2), 0600);
    assert_int_equal(link(g.store, x2_store), 0);
    settle(&g);
    settle(f);

    struct msv_store *s;
    assert_int_equal(msv_store_open(g.store, &s), STATUS_SUCCESS);
    unsigned long watched = msv_cache_watched_hits();
    lookup_expect(s, "alice", FALSE);
    for (int i = 0; i < MSV_WATCH_AFTER + 4; i++)
        assert_int_equal(lookup_expect(s, "alice", TRUE).logon_count, 1);

    /* cur now leads to x2: the same smbpasswd file, another state file. */
    assert_int_equal(symlink("x2", cur_new), 0);
    assert_int_equal(rename(cur_new, cur), 0);
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 2);
    assert_int_equal(msv_cache_watched_hits(), watched); /* never the fast check */

    /* Back to one link (a new ctime, so a new read): the fast check again. */
    char x1_store[320];
    snprintf(x1_store, sizeof(x1_store), "%s/smbpasswd", x1);
    assert_int_equal(unlink(x1_store), 0);
    trust(&g, s, "alice");
    assert_int_equal(lookup_watched(s, "alice").logon_count, 2);
    msv_store_close(s);
}

/* The process's inotify descriptors. */
static int inotify_fds(void)
{
    int count = 0;
    for (int fd = 0; fd < 1024; fd++) {
        char proc[40], target[64];
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(proc, target, sizeof(target) - 1);
        if (n > 0) {
            target[n] = '\0';
            count += strcmp(target, "anon_inode:inotify") == 0;
        }
    }
    return count;
}

/* A process that looks up a few names holds no inotify instance; a busy one makes one. */
static void test_watch_made_when_busy(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    settle(f);
    int before = inotify_fds();
    unsigned long watched = msv_cache_watched_hits();
    lookup_expect(s, "alice", FALSE);
    for (int i = 0; i < MSV_WATCH_AFTER; i++)
        lookup_expect(s, "alice", TRUE);
    assert_int_equal(inotify_fds(), before);
    assert_int_equal(msv_cache_watched_hits(), watched);
    trust(f, s, "alice");
    assert_int_equal(inotify_fds(), before + 1);
    msv_store_close(s);
}

/* After fork() the child must not rely on the parent's inotify descriptor: the parent
 * reads it, taking the events the child would need. */
static void test_watch_after_fork(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    write_file(f->state, ALICE_STATE(1), 0600);
    trust(f, s, "alice");
    int to_child[2], to_parent[2];
    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(to_parent), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        struct msv_account a;
        int ok = 1;
        unsigned long watched = msv_cache_watched_hits();
        for (int i = 0; i < 4; i++)
            ok &= msv_store_lookup(s, "alice", &a) == STATUS_SUCCESS && a.logon_count == 1;
        ok &= msv_cache_watched_hits() > watched; /* the child's own watch */
        char c = 'r';
        ok &= write(to_parent[1], &c, 1) == 1 && read(to_child[0], &c, 1) == 1;
        ok &= msv_store_lookup(s, "alice", &a) == STATUS_SUCCESS && a.logon_count == 2;
        _exit(ok ? 0 : 1);
    }
    close(to_child[0]);
    close(to_parent[1]);
    char c;
    assert_int_equal(read(to_parent[0], &c, 1), 1);
    rewrite_in_place(f->state, ALICE_STATE(2));
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 2);
    assert_int_equal(write(to_child[1], &c, 1), 1);
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    close(to_child[1]);
    close(to_parent[0]);
    msv_store_close(s);
}

/* A file mounted over the state file (root, in a mount namespace of the test's own):
 * inotify reports no mounts, the mount table watch does. */
static void test_watch_sees_mount_over_state(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        fprintf(stderr, "# cannot make a mount namespace: not tested\n");
        skip();
    }
    struct msv_store *s = store_with(f, ALICE);
    write_file(f->state, ALICE_STATE(1), 0600);
    char other[320];
    snprintf(other, sizeof(other), "%s/other.state", f->dir);
    write_file(other, ALICE_STATE(8), 0600);
    trust(f, s, "alice");
    assert_int_equal(mount(other, f->state, NULL, MS_BIND, NULL), 0);
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 8);
    assert_int_equal(umount(f->state), 0);
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 1);
    msv_store_close(s);
}

/* The store's directory renamed away and another store made at its path. */
static void test_watch_sees_directory_replaced(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct fixture g = *f;
    char d[270], old[310];
    snprintf(d, sizeof(d), "%s/d", f->dir);
    snprintf(old, sizeof(old), "%s/d.old", f->dir);
    snprintf(g.store, sizeof(g.store), "%s/smbpasswd", d);
    snprintf(g.state, sizeof(g.state), "%s/smbpasswd.state", d);
    assert_int_equal(mkdir(d, 0700), 0);
    write_file(g.store, ALICE, 0600);
    write_file(g.state, ALICE_STATE(1), 0600);
    struct msv_store *s;
    assert_int_equal(msv_store_open(g.store, &s), STATUS_SUCCESS);
    trust(&g, s, "alice");

    assert_int_equal(rename(d, old), 0);
    assert_int_equal(mkdir(d, 0700), 0);
    write_file(g.store, "alice:2000:" X32 ":" PASSWORD_NT ":[U          ]:\n", 0600);
    struct msv_account a = lookup_expect(s, "alice", FALSE);
    assert_int_equal(a.uid, 2000);
    assert_int_equal(a.logon_count, 0);

    /* The new directory is the one watched now; the old one no longer counts. */
    write_file(g.state, ALICE_STATE(5), 0600);
    trust(&g, s, "alice");
    char old_state[330];
    snprintf(old_state, sizeof(old_state), "%s/smbpasswd.state", old);
    rewrite_in_place(old_state, ALICE_STATE(7));
    assert_int_equal(lookup_watched(s, "alice").logon_count, 5);
    rewrite_in_place(g.state, ALICE_STATE(6));
    assert_int_equal(lookup_expect(s, "alice", FALSE).logon_count, 6);
    msv_store_close(s);
}

/* The store's path needs no lstat once the watch trusts the directories above it: only
 * when that path is canonical (no symbolic link in it). */
static BOOLEAN path_is_canonical(const char *dir)
{
    char *real = realpath(dir, NULL);
    BOOLEAN same = real != NULL && strcmp(real, dir) == 0;
    free(real);
    return same;
}

/* A trusted lookup of NAME, with or without the lstat of the store's path. */
#define lookup_path_watched(s, name, expected)                                                \
    lookup_path_watched_at((s), (name), (expected), __FILE__, __LINE__)
static struct msv_account lookup_path_watched_at(struct msv_store *s, const char *name,
                                                 BOOLEAN expected, const char *file, int line)
{
    unsigned long before = msv_cache_path_watched_hits();
    struct msv_account a = lookup_watched_at(s, name, file, line);
    _assert_int_equal(msv_cache_path_watched_hits() - before, expected ? 1 : 0, file, line);
    return a;
}

/* Made in F's directory: DIR (mkdir -p of a relative path), and a store in it. */
static void store_dir(const struct fixture *f, struct fixture *g, const char *dir)
{
    char path[200];
    *g = *f;
    assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", f->dir, dir) < sizeof(path));
    for (char *slash = strchr(path + strlen(f->dir) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        (void)mkdir(path, 0700);
        *slash = '/';
    }
    (void)mkdir(path, 0700);
    snprintf(g->store, sizeof(g->store), "%s/smbpasswd", path);
    snprintf(g->state, sizeof(g->state), "%s/smbpasswd.state", path);
}

/* A directory above the store's renamed away and another store made at the old path:
 * with no lstat of the path, the watch of that directory must see it. */
static void test_watch_sees_ancestor_replaced(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    if (!path_is_canonical(f->dir)) {
        fprintf(stderr, "# %s is not a canonical path: not tested\n", f->dir);
        skip();
    }
    struct fixture g;
    store_dir(f, &g, "a/b/c");
    write_file(g.store, ALICE, 0600);
    write_file(g.state, ALICE_STATE(1), 0600);
    struct msv_store *s;
    assert_int_equal(msv_store_open(g.store, &s), STATUS_SUCCESS);
    trust(&g, s, "alice");
    assert_int_equal(lookup_path_watched(s, "alice", TRUE).logon_count, 1);

    char a[300], moved[310];
    snprintf(a, sizeof(a), "%s/a", f->dir);
    snprintf(moved, sizeof(moved), "%s/a.old", f->dir);
    assert_int_equal(rename(a, moved), 0);
    store_dir(f, &g, "a/b/c");
    write_file(g.store, "alice:2000:" X32 ":" PASSWORD_NT ":[U          ]:\n", 0600);
    struct msv_account account = lookup_expect(s, "alice", FALSE);
    assert_int_equal(account.uid, 2000);
    assert_int_equal(account.logon_count, 0);

    /* Trusted again, through the new directories: the old ones no longer count. */
    write_file(g.state, ALICE_STATE(5), 0600);
    trust(&g, s, "alice");
    char old_state[340];
    snprintf(old_state, sizeof(old_state), "%s/b/c/smbpasswd.state", moved);
    rewrite_in_place(old_state, ALICE_STATE(7));
    assert_int_equal(lookup_path_watched(s, "alice", TRUE).logon_count, 5);
    msv_store_close(s);
}

/* The smbpasswd file rewritten in place (same inode) while the path is watched. */
static void test_watch_sees_store_rewritten_in_place(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct msv_store *s = store_with(f, ALICE);
    trust(f, s, "alice");
    (void)lookup_path_watched(s, "alice", path_is_canonical(f->dir));
    rewrite_in_place(f->store, "alice:2001:" X32 ":" PASSWORD_NT ":[U          ]:\n");
    assert_int_equal(lookup_expect(s, "alice", FALSE).uid, 2001);

    /* Through a second name in another directory, which the directory watch misses. */
    struct fixture g;
    store_dir(f, &g, "elsewhere");
    trust(f, s, "alice");
    (void)lookup_path_watched(s, "alice", path_is_canonical(f->dir));
    assert_int_equal(link(f->store, g.store), 0);
    rewrite_in_place(g.store, "alice:2003:" X32 ":" PASSWORD_NT ":[U          ]:\n");
    assert_int_equal(lookup_expect(s, "alice", FALSE).uid, 2003);
    msv_store_close(s);
}

/* A symbolic link among the directories: its target can change with no event on the
 * watched ones, so every lookup keeps the lstat of the path, and sees the change. */
static void test_watch_symlink_in_path(void **state)
{
    struct fixture *f = *state;
    skip_unless_watchable(f);
    struct fixture g1, g2;
    store_dir(f, &g1, "real1");
    store_dir(f, &g2, "real2");
    write_file(g1.store, ALICE, 0600);
    write_file(g2.store, "alice:2002:" X32 ":" PASSWORD_NT ":[U          ]:\n", 0600);
    char link[270], link_new[280], path[290];
    snprintf(link, sizeof(link), "%s/link", f->dir);
    snprintf(link_new, sizeof(link_new), "%s/link.new", f->dir);
    snprintf(path, sizeof(path), "%s/smbpasswd", link);
    assert_int_equal(symlink("real1", link), 0);
    struct msv_store *s;
    assert_int_equal(msv_store_open(path, &s), STATUS_SUCCESS);
    settle(&g2);
    trust(&g1, s, "alice");
    assert_int_equal(lookup_path_watched(s, "alice", FALSE).uid, 1000);

    assert_int_equal(symlink("real2", link_new), 0);
    assert_int_equal(rename(link_new, link), 0);
    assert_int_equal(lookup_expect(s, "alice", FALSE).uid, 2002);
    msv_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_line_exact),
        cmocka_unit_test(test_parse_samba_line),
        cmocka_unit_test(test_parse_lower_case_hex),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_no_password),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_set_password),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samba_wrote_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samba_reads_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_lines_in_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_lines_in_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_update_leaves_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enumerate_and_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_file_commit_recovery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_temporaries_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_answers_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_sees_another_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_sees_in_place_rewrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_not_filled_while_files_are_new, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cache_permission_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_state_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_store_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_permission_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_state_written_elsewhere, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_watch_needs_one_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_made_when_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_after_fork, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_directory_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_ancestor_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_store_rewritten_in_place, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_watch_symlink_in_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_sees_mount_over_state, setup, teardown),
    };
    return cmocka_run_group_tests_name("account_store", tests, NULL, NULL);
}
