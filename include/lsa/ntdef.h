/*
 * <lsa/ntdef.h> - Windows base types on the Windows x64 (LLP64) model, for LP64 Linux.
 *
 * ULONG/DWORD are uint32_t (never unsigned long), LONG is int32_t, WCHAR is uint16_t so
 * u"..." literals fit, pointers are 8 bytes.  With these every structure of
 * spec/lsa-api.md has its Windows x64 size and offsets; the asserts below and in the
 * other headers turn a drift into a build error.
 */
#ifndef LSA_NTDEF_H
#define LSA_NTDEF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__cplusplus) && !defined(_Static_assert)
#define _Static_assert static_assert
#endif

/* Calling-convention and SAL annotations: meaningful on Windows only. */
#ifndef NTAPI
#define NTAPI
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef SEC_ENTRY
#define SEC_ENTRY
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#endif

typedef void VOID, *PVOID, *LPVOID;
typedef const void *PCVOID, *LPCVOID;
typedef char CHAR, *PCHAR, *PSTR, *LPSTR;
typedef const char *PCSTR, *LPCSTR;
typedef uint8_t UCHAR, *PUCHAR, BYTE, *PBYTE, BOOLEAN, *PBOOLEAN;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t USHORT, *PUSHORT, WORD, *PWORD;
typedef int32_t LONG, *PLONG, INT, *PINT, BOOL, *PBOOL;
typedef uint32_t ULONG, *PULONG, DWORD, *PDWORD, UINT, *PUINT;
typedef int64_t LONGLONG, *PLONGLONG, LONG64, *PLONG64;
typedef uint64_t ULONGLONG, *PULONGLONG, ULONG64, *PULONG64, DWORD64;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef size_t SIZE_T, *PSIZE_T;

typedef uint16_t WCHAR, *PWCHAR, *PWSTR, *LPWSTR;
typedef const uint16_t *PCWSTR, *LPCWSTR;

typedef void *HANDLE, **PHANDLE;
typedef int32_t NTSTATUS, *PNTSTATUS;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

/* 100-ns ticks since 1601-01-01 UTC for times. */
typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LUID {
    ULONG LowPart;
    LONG HighPart;
} LUID, *PLUID;

typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID, *PGUID;

/* Counted strings: Length and MaximumLength in bytes, no terminator counted. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;

typedef UNICODE_STRING LSA_UNICODE_STRING, *PLSA_UNICODE_STRING;
typedef STRING LSA_STRING, *PLSA_STRING;

_Static_assert(sizeof(ULONG) == 4, "ULONG is 32-bit on Windows x64");
_Static_assert(sizeof(LONG) == 4, "LONG is 32-bit on Windows x64");
_Static_assert(sizeof(WCHAR) == 2, "WCHAR is UTF-16");
_Static_assert(sizeof(PVOID) == 8, "pam-lsa targets 64-bit Linux (Windows x64 layouts)");
_Static_assert(sizeof(LARGE_INTEGER) == 8 && _Alignof(LARGE_INTEGER) == 8, "LARGE_INTEGER");
_Static_assert(sizeof(LUID) == 8 && _Alignof(LUID) == 4, "LUID is 8 bytes, 4-aligned");
_Static_assert(sizeof(GUID) == 16, "GUID");
_Static_assert(sizeof(UNICODE_STRING) == 16, "UNICODE_STRING x64 size");
_Static_assert(offsetof(UNICODE_STRING, Buffer) == 8, "UNICODE_STRING.Buffer x64 offset");
_Static_assert(sizeof(STRING) == 16, "STRING x64 size");
_Static_assert(offsetof(STRING, Buffer) == 8, "STRING.Buffer x64 offset");

#ifdef __cplusplus
}
#endif

#endif /* LSA_NTDEF_H */
