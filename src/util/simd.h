/* src/util/simd.h — QALA_VECTOR_CLONES: a hot column loop built three times, for AVX-512
 * (x86-64-v4), AVX2 (x86-64-v3) and the baseline, the best of them chosen when libqala is
 * loaded (GCC's target_clones, through glibc's ifunc). Debian's packages target the
 * baseline (SSE2, two doubles a vector); the clones let the same binary use the wide
 * vectors of the machine it runs on.
 *
 * The results do not depend on the clone: qala is built as ISO C (-std=c17), where GCC
 * does not contract a*b + c into a fused multiply-add, so every clone rounds the same
 * operations the same way, only more of them at a time (the tests pass on each: valgrind
 * runs the AVX2 clone, since it does not emulate AVX-512). Elsewhere (clang, other
 * processors) the macro is empty and the baseline loop is built once.
 */
#ifndef QALA_UTIL_SIMD_H
#define QALA_UTIL_SIMD_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(QALA_NO_VECTOR_CLONES)
#define QALA_VECTOR_CLONES                                                                   \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define QALA_VECTOR_CLONES
#endif

#endif
