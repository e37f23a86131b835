// Must not compile: plasticity sits below backends (tests/layers/CMakeLists.txt).
#include "spikeq/backends/plastic_kernels.hpp"
