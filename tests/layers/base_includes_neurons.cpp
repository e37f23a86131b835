// Must not compile: base sees no other layer (tests/layers/CMakeLists.txt).
#include "spikeq/neurons/model.hpp"
