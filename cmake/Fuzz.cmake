# SPIKEQ_FUZZ: the libFuzzer harnesses of tests/fuzz (run by scripts/fuzz.sh). Every spikeq
# target gets the fuzzer's coverage instrumentation (fuzzer-no-link) and ASan + UBSan, so a
# fault inside a reader is caught where it happens and the fuzzer sees the branches it
# takes; only the harness executables link libFuzzer itself (tests/fuzz/CMakeLists.txt).
if(NOT SPIKEQ_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "SPIKEQ_FUZZ needs clang for libFuzzer, found ${CMAKE_CXX_COMPILER_ID}: "
                      "configure a fresh build folder with CC=clang CXX=clang++ (scripts/fuzz.sh does)")
endif()
if(SPIKEQ_SANITIZE)
  message(FATAL_ERROR "SPIKEQ_FUZZ brings its own sanitizers (address,undefined); leave SPIKEQ_SANITIZE empty")
endif()
target_compile_options(spikeq_build_options INTERFACE
  -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  # After the build type's flags, so they win: -O1 builds about a third faster than -O2 and
  # runs nearly as fast under ASan; line tables are all a stack trace needs. Configure with
  # CMAKE_BUILD_TYPE=Debug to keep assertions (scripts/fuzz.sh does).
  -O1 -gline-tables-only
  # The instrumented loops cannot vectorise, and clang says so for each `omp simd` loop.
  -Wno-pass-failed)
target_link_options(spikeq_build_options INTERFACE -fsanitize=address,undefined)
