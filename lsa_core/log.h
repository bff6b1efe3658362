/* Logging for the LSA core and the packages it hosts: syslog (LOG_AUTHPRIV), and stderr
 * when LSA_LOG_STDERR is set in the environment (the lsa command and the tests). */
#ifndef LSA_CORE_LOG_H
#define LSA_CORE_LOG_H

#include <stdint.h>
#include <syslog.h>

/* Messages above this priority are dropped (lsa.conf [lsa] log_level). */
void lsa_log_set_level(int priority);
/* "debug", "info", "notice", "warning", "err"/"error" → priority; -1 if unknown. */
int lsa_log_level_from_name(const char *name);

/* The request this thread works on (lsad): its lines carry req=ID; 0 for none. */
void lsa_log_set_request_id(uint64_t id);

void lsa_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
