// CPrefetch: the compiler's cache prefetch hint, which Swift does not expose.
// Header only: nothing is linked.
#ifndef NEWSIDX_CPREFETCH_H
#define NEWSIDX_CPREFETCH_H

/// Asks for the cache line at `address` to be loaded for reading, without waiting for it.
static inline void newsidx_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
