// Marks arithmetic that is shared between the CPU path and CUDA kernels.
// Per-element math lives in SML_HD inline functions so that CPU unit tests
// cover exactly the arithmetic a GPU runs.
#pragma once

#if defined(__CUDACC__)
#define SML_HD __host__ __device__
#else
#define SML_HD
#endif
