/*
 * lsa_visibility.h - export control for liblsa (internal).
 *
 * liblsa is built with -fvisibility=hidden, so only what is marked LSA_PUBLIC
 * (the Windows client API and the lsa_ extensions) is exported.
 */
#ifndef LSA_VISIBILITY_H
#define LSA_VISIBILITY_H

#define LSA_PUBLIC __attribute__((visibility("default")))

#endif /* LSA_VISIBILITY_H */
