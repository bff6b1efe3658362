/*
 * The log lines of the package and its store, "lsa: msv1_0: ...", through lsa_log
 * (<lsa/lsa_util.h>).  Never pass a password, hash or response; client-supplied names
 * go through lsa_log_name.
 */
#ifndef MSV1_0_MSV_LOG_H
#define MSV1_0_MSV_LOG_H

#include <syslog.h>

#include <lsa/lsa_util.h>

void msv_pkg_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define MSV_LOG_NAME_SIZE 128

#endif
