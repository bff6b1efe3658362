/*
 * The lsad wire protocol: what liblsa and lsad say to each other over the Unix socket
 * (lsad(8) "PROTOCOL").  Both ends are the same build on the same machine, but the
 * daemon reads frames from any local user, so every decoder treats its input as hostile:
 * each length is checked against the frame before anything is read.
 *
 * A frame is a 24-byte header and a payload, integers little-endian:
 *
 *   offset size field
 *   0      4    magic       "LSAW" (0x5741534c)
 *   4      2    version     LSA_WIRE_VERSION
 *   6      2    type        enum lsa_wire_type; replies have LSA_WIRE_REPLY set
 *   8      4    flags       0 (a frame with an unknown flag is malformed)
 *   12     4    length      payload bytes; header + payload <= LSA_WIRE_MAX_FRAME
 *   16     8    request id  chosen by the client, carried by every frame of the request
 *                           (the in-call frames and the reply), logged as req=ID
 *
 * One socket is one LsaHandle: the first request on it is CONNECT, the others act on
 * that connection.  A request is answered by exactly one reply; while the daemon works
 * on it, it may send the client in-call frames with the same id: ALLOCATE (answered by
 * an ALLOCATE reply carrying the client address), FREE and WRITE (not answered).
 *
 * Return buffers live in the client (embedded pointers are client addresses), so each
 * AllocateClientBuffer of a package is a client allocation.  To spare the ALLOCATE round
 * trip, CALL_PACKAGE and LOGON_USER may carry an offer: a buffer the client already
 * allocated against its quota (address, length; address 0: none).  The call's first
 * allocation takes it when the lengths are equal (the quota is charged for exactly what
 * the caller holds, as the client cannot shrink a buffer); else lsad sends FREE for it
 * ahead of the ALLOCATE, so the quota is credited first.  Taken, it is a buffer of the
 * call like any other: written by WRITE frames, returned or freed.  The reply's
 * offer_used says how many of its bytes were taken (0: not taken); more than offered is
 * malformed.  An offer the call did not keep is the client's to free.  lsad never reads
 * or writes client memory: an offer of an address the client does not own corrupts that
 * client only.
 */
#ifndef LSA_CORE_WIRE_H
#define LSA_CORE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <lsa/ntdef.h>

#define LSA_WIRE_MAGIC 0x5741534cu /* "LSAW" read little-endian */
/* 2: the buffer offer of CALL_PACKAGE and LOGON_USER and the reply's offer_used. */
#define LSA_WIRE_VERSION 2u
#define LSA_WIRE_HEADER_SIZE 24u
/* 1 MiB and a little: the largest submit buffer, return-buffer chunk or reply.  Larger
 * return buffers travel as several WRITE frames. */
#define LSA_WIRE_MAX_FRAME ((1u << 20) + 4096u)
#define LSA_WIRE_MAX_PAYLOAD (LSA_WIRE_MAX_FRAME - LSA_WIRE_HEADER_SIZE)
/* The bytes one WRITE frame carries at most. */
#define LSA_WIRE_WRITE_CHUNK (1u << 20)

enum lsa_wire_type {
    /* client -> daemon requests */
    LSA_WIRE_CONNECT = 1,
    LSA_WIRE_DISCONNECT = 2,
    LSA_WIRE_LOOKUP_PACKAGE = 3,
    LSA_WIRE_CALL_PACKAGE = 4,
    LSA_WIRE_LOGON_USER = 5,
    LSA_WIRE_ENUMERATE_SESSIONS = 6,
    LSA_WIRE_GET_SESSION_DATA = 7,
    LSA_WIRE_TERMINATE_SESSION = 8,
    LSA_WIRE_ENUMERATE_PACKAGES = 9,
    LSA_WIRE_CLOSE_TOKEN = 10,
    LSA_WIRE_TOKEN_IDENTITY = 11, /* a token's session owner, asked again (it may have ended) */
    /* daemon -> client, inside a call */
    LSA_WIRE_ALLOCATE = 32,
    LSA_WIRE_FREE = 33,
    LSA_WIRE_WRITE = 34,
};
#define LSA_WIRE_REPLY 0x8000u

struct lsa_wire_header {
    uint16_t type;
    uint32_t length; /* of the payload */
    uint64_t request_id;
};

/* Why a frame was refused; lsa_wire_error_text names it for the log. */
enum lsa_wire_error {
    LSA_WIRE_OK = 0,
    LSA_WIRE_BAD_MAGIC,
    LSA_WIRE_BAD_VERSION,
    LSA_WIRE_BAD_FLAGS,
    LSA_WIRE_TOO_LARGE,
    LSA_WIRE_UNKNOWN_TYPE,
    LSA_WIRE_TRUNCATED,     /* a field runs past the payload */
    LSA_WIRE_TRAILING,      /* bytes left after the last field */
    LSA_WIRE_BAD_VALUE,     /* a field outside its range */
};
const char *lsa_wire_error_text(enum lsa_wire_error error);

/* ---- frames (wire_frame.c) ----------------------------------------------------------- */

void lsa_wire_header_encode(unsigned char out[LSA_WIRE_HEADER_SIZE],
                            const struct lsa_wire_header *header);
/* Checks magic, version, flags, the type and the length against LSA_WIRE_MAX_FRAME. */
enum lsa_wire_error lsa_wire_header_decode(const unsigned char in[LSA_WIRE_HEADER_SIZE],
                                           struct lsa_wire_header *header);

/* A growing payload being encoded; FAILED once memory ran out or it outgrew a frame. */
struct lsa_wire_writer {
    unsigned char *data;
    size_t length, capacity;
    int failed;
};
/* Empties W, wiping what it held; the buffer is kept. */
void lsa_wire_writer_reset(struct lsa_wire_writer *w);
void lsa_wire_writer_free(struct lsa_wire_writer *w);
void lsa_wire_put_u8(struct lsa_wire_writer *w, uint8_t v);
void lsa_wire_put_u16(struct lsa_wire_writer *w, uint16_t v);
void lsa_wire_put_u32(struct lsa_wire_writer *w, uint32_t v);
void lsa_wire_put_u64(struct lsa_wire_writer *w, uint64_t v);
void lsa_wire_put_bytes(struct lsa_wire_writer *w, const void *bytes, size_t length);

/* Reading a received payload: every get fails (and stays failed) rather than read past
 * its end. */
struct lsa_wire_reader {
    const unsigned char *at;
    size_t left;
    enum lsa_wire_error error;
};
void lsa_wire_reader_init(struct lsa_wire_reader *r, const void *payload, size_t length);
uint8_t lsa_wire_get_u8(struct lsa_wire_reader *r);
uint16_t lsa_wire_get_u16(struct lsa_wire_reader *r);
uint32_t lsa_wire_get_u32(struct lsa_wire_reader *r);
uint64_t lsa_wire_get_u64(struct lsa_wire_reader *r);
/* LENGTH bytes in place (a pointer into the payload), or NULL. */
const void *lsa_wire_get_bytes(struct lsa_wire_reader *r, size_t length);
/* LSA_WIRE_OK when every field was there and nothing is left over. */
enum lsa_wire_error lsa_wire_reader_end(struct lsa_wire_reader *r);

/* ---- messages (wire_messages.c) ------------------------------------------------------ */
/* Decoded messages point into the payload they came from. */

struct lsa_wire_connect {
    BOOLEAN trusted;
    const char *name; /* the logon process name, not terminated */
    uint16_t name_length;
    BOOLEAN has_logon_id; /* the client's LSA_LOGON_ID */
    LUID logon_id;
};
struct lsa_wire_lookup {
    const char *name;
    uint16_t name_length;
};
/* A return buffer the client allocated ahead of the call (see above). */
struct lsa_wire_offer {
    uint64_t address; /* 0: no offer (and then length 0) */
    ULONG length;
};
struct lsa_wire_call {
    ULONG package_id;
    ULONG thread_id; /* the calling thread (SECPKG_CLIENT_INFO.ThreadID) */
    uint64_t client_base;
    struct lsa_wire_offer offer;
    const void *submit;
    ULONG submit_length;
};
struct lsa_wire_logon {
    ULONG thread_id;
    ULONG logon_type;
    ULONG package_id;
    BOOLEAN has_local_groups;
    const char *origin;
    uint16_t origin_length;
    BOOLEAN has_origin;
    uint64_t client_base;
    struct lsa_wire_offer offer;
    const void *authentication;
    ULONG authentication_length;
};
/* GET_SESSION_DATA and TERMINATE_SESSION: a LUID.  CLOSE_TOKEN, TOKEN_IDENTITY and FREE:
 * a handle or an address.  ALLOCATE: a length. */

/* The reply of every request: the status, then what the request returns. */
struct lsa_wire_reply {
    NTSTATUS status;
    ULONG value;              /* LOOKUP: package id; ENUMERATE_*: count */
    NTSTATUS protocol_status; /* CALL: ProtocolStatus; LOGON: SubStatus */
    uint64_t buffer;          /* CALL: return buffer; LOGON: profile (client addresses) */
    ULONG buffer_length;
    ULONG offer_used;         /* CALL, LOGON: bytes of the offer taken, 0: not taken */
    LUID logon_id;            /* LOGON */
    uint64_t token;           /* LOGON: the daemon's token handle */
    BOOLEAN has_unix_identity; /* LOGON, TOKEN_IDENTITY: the session's owner */
    uint32_t uid, gid;
    const void *data;         /* ENUMERATE_*, GET_SESSION_DATA: inline data */
    ULONG data_length;
};

struct lsa_wire_write {
    uint64_t address;
    ULONG offset;
    const void *bytes;
    ULONG length;
};

/* One entry of an ENUMERATE_PACKAGES reply's data. */
struct lsa_wire_package {
    ULONG id;
    const char *name, *model, *file;
    uint16_t name_length, model_length, file_length;
};

void lsa_wire_encode_connect(struct lsa_wire_writer *w, const struct lsa_wire_connect *m);
enum lsa_wire_error lsa_wire_decode_connect(const void *p, size_t n, struct lsa_wire_connect *m);
void lsa_wire_encode_lookup(struct lsa_wire_writer *w, const struct lsa_wire_lookup *m);
enum lsa_wire_error lsa_wire_decode_lookup(const void *p, size_t n, struct lsa_wire_lookup *m);
void lsa_wire_encode_call(struct lsa_wire_writer *w, const struct lsa_wire_call *m);
enum lsa_wire_error lsa_wire_decode_call(const void *p, size_t n, struct lsa_wire_call *m);
void lsa_wire_encode_logon(struct lsa_wire_writer *w, const struct lsa_wire_logon *m);
enum lsa_wire_error lsa_wire_decode_logon(const void *p, size_t n, struct lsa_wire_logon *m);
void lsa_wire_encode_luid(struct lsa_wire_writer *w, const LUID *luid);
enum lsa_wire_error lsa_wire_decode_luid(const void *p, size_t n, LUID *luid);
void lsa_wire_encode_u64(struct lsa_wire_writer *w, uint64_t value);
enum lsa_wire_error lsa_wire_decode_u64(const void *p, size_t n, uint64_t *value);
void lsa_wire_encode_u32(struct lsa_wire_writer *w, uint32_t value);
enum lsa_wire_error lsa_wire_decode_u32(const void *p, size_t n, uint32_t *value);
/* An empty payload (DISCONNECT, ENUMERATE_*). */
enum lsa_wire_error lsa_wire_decode_empty(const void *p, size_t n);

/* The reply to a request of TYPE: which fields travel depends on it. */
void lsa_wire_encode_reply(struct lsa_wire_writer *w, uint16_t type, const struct lsa_wire_reply *m);
enum lsa_wire_error lsa_wire_decode_reply(uint16_t type, const void *p, size_t n,
                                          struct lsa_wire_reply *m);

void lsa_wire_encode_write(struct lsa_wire_writer *w, const struct lsa_wire_write *m);
enum lsa_wire_error lsa_wire_decode_write(const void *p, size_t n, struct lsa_wire_write *m);

/* ENUMERATE_PACKAGES data: one entry appended; the next entry read (FALSE at the end or
 * on a malformed entry, R->error tells which). */
void lsa_wire_put_package(struct lsa_wire_writer *w, const struct lsa_wire_package *m);
BOOLEAN lsa_wire_next_package(struct lsa_wire_reader *r, struct lsa_wire_package *m);

#endif
