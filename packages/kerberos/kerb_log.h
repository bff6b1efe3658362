/*
 * The Kerberos package's log lines, "lsa: kerberos: ...", through lsa_log.  Never pass
 * a password, PIN, key or ticket; client-supplied names go through lsa_log_name.
 */
#ifndef KERBEROS_KERB_LOG_H
#define KERBEROS_KERB_LOG_H

#include <syslog.h>

#include <lsa/lsa_util.h>

void kerb_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define KERB_LOG_NAME_SIZE 256

#endif
