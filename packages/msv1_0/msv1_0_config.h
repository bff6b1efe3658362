/*
 * MSV1_0's lsa.conf section [msv1_0] (documented in lsa.conf(5)), read once by
 * SpInitialize through the LSA's lsa_get_config extension.  A bad value fails
 * SpInitialize with STATUS_INVALID_PARAMETER after a log line naming key and value.
 */
#ifndef MSV1_0_CONFIG_H
#define MSV1_0_CONFIG_H

#include <stdint.h>

#include <lsa/ntsecpkg.h>

/* Defaults. */
#define MSV_DEFAULT_LM_COMPATIBILITY_LEVEL 5
#define MSV_DEFAULT_CHALLENGE_LIFETIME 120
#define MSV_DEFAULT_NTLMV2_MAX_SKEW 300
#define MSV_DEFAULT_LOCKOUT_THRESHOLD 10
#define MSV_DEFAULT_LOCKOUT_WINDOW 600
#define MSV_DEFAULT_LOCKOUT_DURATION 600
#define MSV_DEFAULT_MIN_PASSWORD_LENGTH 8
#define MSV_DEFAULT_MAX_PASSWORD_AGE 0
#define MSV_STORE_FILE_NAME "smbpasswd"

/* The longest domain and computer name accepted (characters of UTF-8). */
#define MSV_MAX_DOMAIN_LENGTH 255

struct msv_config {
    char *store_path;            /* absolute */
    char *domain;                /* UTF-8: the logon domain this package reports and accepts */
    UNICODE_STRING domain_w;     /* the same, UTF-16 */
    UNICODE_STRING computer_w;   /* the NetBIOS-style computer name: host name up to the
                                    first dot, upper-cased (LM20 profile LogonServer) */
    UNICODE_STRING logon_server_w; /* "\\" + computer name (interactive profile, GetUserInfo) */
    int lm_compatibility_level;  /* 0-5 */
    int64_t challenge_lifetime;  /* seconds */
    int64_t ntlmv2_max_skew;     /* seconds */
    uint32_t lockout_threshold;  /* 0 = never */
    int64_t lockout_window;      /* seconds */
    int64_t lockout_duration;    /* seconds */
    uint32_t min_password_length; /* characters */
    int64_t max_password_age;    /* days; 0 = passwords never expire */
};

/* Reads every key (defaults for the unset ones).  STATUS_INVALID_PARAMETER for a bad
 * value (logged, naming the key and value), STATUS_NO_MEMORY. */
NTSTATUS msv_config_load(struct msv_config *config, PLSA_SECPKG_FUNCTION_TABLE functions,
                         ULONG_PTR package_id);
void msv_config_free(struct msv_config *config);

#endif
