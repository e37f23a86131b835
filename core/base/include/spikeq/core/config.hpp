#pragma once
// Build-wide macros shared by host and device code.

#if defined(__CUDACC__)
#define SPIKEQ_HD __host__ __device__
#else
#define SPIKEQ_HD
#endif

#define SPIKEQ_VERSION_MAJOR 0
#define SPIKEQ_VERSION_MINOR 1
#define SPIKEQ_VERSION_PATCH 0
