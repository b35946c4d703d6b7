#include "malloc_tuning.h"

#include <limits.h>

#if defined(__GLIBC__)
#include <malloc.h>

int smile_keep_freed_memory(size_t limit) {
    const int value = limit > INT_MAX ? INT_MAX : (int)limit;
    return mallopt(M_ARENA_MAX, 1) == 1 && mallopt(M_MMAP_THRESHOLD, value) == 1 && mallopt(M_TRIM_THRESHOLD, value) == 1;
}
#else
int smile_keep_freed_memory(size_t limit) {
    (void)limit;
    return 0;
}
#endif
