// Keeping freed memory in the process for the next photo (glibc's mallopt, which Swift's Glibc
// module does not import).
#ifndef SMILE_MALLOC_TUNING_H
#define SMILE_MALLOC_TUNING_H

#include <stddef.h>

/// Asks glibc's malloc to keep freed blocks below `limit` bytes for reuse: one arena for all
/// threads, blocks below `limit` from the heap rather than fresh mmaps, and no returning of the
/// heap's free top below `limit` to the kernel. Returns 1 when every setting was taken (0 where
/// malloc is not glibc's, which does nothing).
int smile_keep_freed_memory(size_t limit);

#endif
