#ifndef LSA_CORE_LOGON_USER_H
#define LSA_CORE_LOGON_USER_H

#include <lsa/ntsecapi.h>

#include "connection.h"

struct lsa_logon_request {
    const char *origin; /* audit label, may be NULL */
    size_t origin_length;
    SECURITY_LOGON_TYPE logon_type;
    ULONG package_id;
    const void *authentication_information; /* the client's bytes */
    PVOID client_base;                      /* their address in the client */
    ULONG authentication_information_length;
    BOOLEAN has_local_groups;
};

struct lsa_logon_result {
    PVOID profile_buffer; /* client address */
    ULONG profile_buffer_length;
    LUID logon_id;
    HANDLE token;
    NTSTATUS sub_status;
};

NTSTATUS lsa_server_logon_user(struct lsa_connection *conn, const struct lsa_logon_request *req,
                               struct lsa_logon_result *res);

#endif
