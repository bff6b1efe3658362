/*
 * The framing of the Kerberos change-password protocol, version 1 (RFC 3244 §2, the
 * version MIT's kpasswd service and Windows answer for a change of one's own password):
 *
 *   request  length(2) version(2)=1 ap_req_length(2) AP-REQ KRB-PRIV(new password)
 *   reply    length(2) version(2) ap_rep_length(2) AP-REP KRB-PRIV(result)
 *            length(2) version(2) 0(2) KRB-ERROR(e-data = result)      (a refusal)
 *            KRB-ERROR                                                  (old servers)
 *   result   result_code(2) result_string(...)
 *
 * All numbers big-endian; lengths include the header.  Only the six-byte header is ours:
 * the AP-REQ, AP-REP, KRB-PRIV and KRB-ERROR are made and read by MIT krb5 (kpasswd.c),
 * whose own framing functions (krb5int_mk_chpw_req, krb5int_rd_chpw_rep) are not
 * exported by libkrb5 1.20.  fuzz/fuzz_kpasswd_reply.c fuzzes the reply side.
 */
#ifndef KERBEROS_KPASSWD_PROTO_H
#define KERBEROS_KPASSWD_PROTO_H

#include <krb5/krb5.h>

#define KERB_KPASSWD_VERSION 1
#define KERB_KPASSWD_SET_VERSION 0xff80

/* The request from AP_REQ and PRIV, into a malloc'd *OUT (krb5_free_data_contents).
 * KRB5KRB_ERR_FIELD_TOOLONG when it does not fit the 16-bit length. */
krb5_error_code kerb_kpasswd_frame_request(const krb5_data *ap_req, const krb5_data *priv,
                                           krb5_data *out);

/* Split a reply into *AP_REP (length 0 when there is none) and *BODY (the KRB-PRIV after
 * an AP-REP, else a KRB-ERROR), both pointing into PACKET.  KRB5KRB_AP_ERR_MODIFIED for
 * lengths that do not add up, KRB5KDC_ERR_BAD_PVNO for an unknown version. */
krb5_error_code kerb_kpasswd_split_reply(const krb5_data *packet, krb5_data *ap_rep,
                                         krb5_data *body);

/* The result code of a reply's result data, and *STRING pointing at what follows it.
 * KRB5KRB_AP_ERR_MODIFIED when it is shorter than two bytes or the code is not one of
 * RFC 3244's (KRB5_KPASSWD_SUCCESS .. KRB5_KPASSWD_INITIAL_FLAG_NEEDED). */
krb5_error_code kerb_kpasswd_parse_result(const krb5_data *result, int *result_code,
                                          krb5_data *string);

#endif
