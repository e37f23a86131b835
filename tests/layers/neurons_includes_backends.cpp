// Must not compile: neurons sits below backends (tests/layers/CMakeLists.txt).
#include "spikeq/backends/backend.hpp"
