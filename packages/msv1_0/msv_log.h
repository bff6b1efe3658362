/*
 * The log lines of the package and its store, "lsa: msv1_0: ...", through lsa_log
 * (<lsa/lsa_util.h>).  Never pass a password, hash or response.
 */
#ifndef MSV1_0_MSV_LOG_H
#define MSV1_0_MSV_LOG_H

#include <stddef.h>
#include <syslog.h>

void msv_pkg_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A client-supplied name made safe for a log line: control characters and '\'' become
 * '?', and it is cut at OUT_SIZE - 1 bytes (at a UTF-8 character boundary).  Returns OUT. */
const char *msv_log_name(const char *name, char *out, size_t out_size);

#define MSV_LOG_NAME_SIZE 128

#endif
