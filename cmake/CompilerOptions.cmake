# Compiler settings shared by every spikeq target, collected on one interface target.
add_library(spikeq_build_options INTERFACE)

target_compile_options(spikeq_build_options INTERFACE
  -Wall -Wextra -Wpedantic
  # Designated initialisers that rely on default members ({.weight = 2}) are the API style.
  -Wno-missing-field-initializers
  # Bit-identical results across backends and builds: never fuse a*b+c behind our back.
  -ffp-contract=off
  # We never read floating-point exception flags; without this GCC keeps branches for
  # selects like `v = refractory ? v : v_free` and the neuron loops do not vectorise.
  # It changes no result (unlike -ffast-math, which is never used).
  -fno-trapping-math
  # Lets `#pragma omp simd` vectorise the neuron loops without an OpenMP runtime.
  -fopenmp-simd)

if(SPIKEQ_WERROR)
  target_compile_options(spikeq_build_options INTERFACE -Werror)
endif()

if(SPIKEQ_NATIVE)
  target_compile_options(spikeq_build_options INTERFACE -march=native)
endif()

if(SPIKEQ_SANITIZE)
  target_compile_options(spikeq_build_options INTERFACE
    -fsanitize=${SPIKEQ_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all
    # GCC 12 reports false maybe-uninitialized warnings for std::variant under -fsanitize.
    -Wno-maybe-uninitialized)
  target_link_options(spikeq_build_options INTERFACE -fsanitize=${SPIKEQ_SANITIZE})
endif()
