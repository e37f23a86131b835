# Optional CUDA: the cuda backend (backends/cuda) and the device compile check
# (tests/device), built when a CUDA compiler is found. Without one, everything else builds
# and tests unchanged, the cuda-emulated backend included.
#   SPIKEQ_CUDA=AUTO  use CUDA when a compiler is found (default)
#   SPIKEQ_CUDA=ON    require it: configuring fails without a CUDA compiler
#   SPIKEQ_CUDA=OFF   never look for one
# Sets SPIKEQ_HAVE_CUDA (ON/OFF) and, when OFF, SPIKEQ_CUDA_MISSING (why, for the skipped
# test). A machine without nvcc configures and builds everything else unchanged.
set(SPIKEQ_CUDA AUTO CACHE STRING
    "Build the cuda backend: AUTO (when a CUDA compiler is found), ON or OFF")
set_property(CACHE SPIKEQ_CUDA PROPERTY STRINGS AUTO ON OFF)

string(TOUPPER "${SPIKEQ_CUDA}" _spikeq_cuda_mode)
set(SPIKEQ_HAVE_CUDA OFF)
set(SPIKEQ_CUDA_MISSING "")
if(_spikeq_cuda_mode STREQUAL "OFF")
  set(SPIKEQ_CUDA_MISSING "SPIKEQ_CUDA=OFF")
elseif(_spikeq_cuda_mode STREQUAL "AUTO" OR _spikeq_cuda_mode STREQUAL "ON")
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # Ampere and Hopper unless the user chose; see tests/device/CMakeLists.txt.
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    if(CMAKE_CUDA_COMPILER_VERSION VERSION_LESS 12.0)
      # The shared headers are C++20.
      set(SPIKEQ_CUDA_MISSING "CUDA ${CMAKE_CUDA_COMPILER_VERSION} is older than 12.0")
      if(_spikeq_cuda_mode STREQUAL "ON")
        message(FATAL_ERROR "SPIKEQ_CUDA=ON, but ${SPIKEQ_CUDA_MISSING} (C++20 needs 12.0)")
      endif()
      message(STATUS "spikeq: ${SPIKEQ_CUDA_MISSING}; no cuda backend (cuda-emulated runs its kernels on the CPU)")
    else()
      if(NOT "cuda_std_20" IN_LIST CMAKE_CUDA_COMPILE_FEATURES)
        # CMake before 3.26 knows no C++20 flag for nvcc; 3.26 sets these for nvcc >= 12.
        set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
        set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
        set(CMAKE_CUDA20_COMPILE_FEATURES cuda_std_20)
        list(APPEND CMAKE_CUDA_COMPILE_FEATURES cuda_std_20)
      endif()
      find_package(CUDAToolkit REQUIRED)  # CUDA::cudart, for the cuda backend
      set(SPIKEQ_HAVE_CUDA ON)
      message(STATUS "spikeq: the cuda backend and device checks with ${CMAKE_CUDA_COMPILER} "
                     "(${CMAKE_CUDA_COMPILER_VERSION})")
    endif()
  elseif(_spikeq_cuda_mode STREQUAL "ON")
    message(FATAL_ERROR "SPIKEQ_CUDA=ON, but no CUDA compiler was found: set "
                        "CMAKE_CUDA_COMPILER (e.g. /usr/local/cuda/bin/nvcc) or install the "
                        "CUDA toolkit, or configure with -DSPIKEQ_CUDA=AUTO or OFF")
  else()
    set(SPIKEQ_CUDA_MISSING "no CUDA compiler found")
    message(STATUS "spikeq: no CUDA compiler found; no cuda backend (cuda-emulated runs its kernels on the CPU)")
  endif()
else()
  message(FATAL_ERROR "SPIKEQ_CUDA must be AUTO, ON or OFF (got '${SPIKEQ_CUDA}')")
endif()
unset(_spikeq_cuda_mode)

# spikeq_cuda_options(<target>)
#   The settings of every CUDA target of spikeq: Ampere and Hopper, C++20, the host's
#   arithmetic (--fmad=false: no contraction into FMA, as the C++ build's
#   -ffp-contract=off, which the host compiler gets too: the host half of the cuda backend
#   computes modulator levels the kernels read), and every warning an error: nvcc's, cudafe's, ptxas' and the host
#   compiler's. The host compiler gets the warnings of cmake/CompilerOptions.cmake (and
#   -fopenmp-simd for the pragmas), except -Wparentheses, which fires on cudafe's rewrite
#   of pointer-to-member declarations (`double P::*x` becomes `double (P::*x)`).
function(spikeq_cuda_options target)
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES OR CMAKE_CUDA_ARCHITECTURES STREQUAL "")
    set_target_properties(${target} PROPERTIES CUDA_ARCHITECTURES "80;90")
  endif()
  set_target_properties(${target} PROPERTIES
    CUDA_STANDARD 20  # this file teaches CMake < 3.26 its flag
    CUDA_STANDARD_REQUIRED ON
    CUDA_EXTENSIONS OFF
    POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE
    --fmad=false
    "SHELL:-Werror all-warnings"
    "SHELL:-Xcompiler -Wall,-Wextra,-Wno-missing-field-initializers,-Wno-parentheses,-fopenmp-simd,-ffp-contract=off")
endfunction()
