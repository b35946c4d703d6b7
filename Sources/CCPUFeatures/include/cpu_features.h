// Run-time CPU feature check for SmileKernels (compiled for Haswell: AVX2 + FMA), and a prefetch hint.
#ifndef SMILE_CPU_FEATURES_H
#define SMILE_CPU_FEATURES_H

/// 1 when this CPU and OS support AVX2 and FMA (so SmileKernels' code may run), else 0.
int smile_cpu_has_avx2_fma(void);

/// Hints the CPU to fetch the cache line at `address` into all cache levels (Swift has no prefetch).
static inline void smile_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
