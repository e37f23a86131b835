// Must not compile: backends sits below the engine (tests/layers/CMakeLists.txt).
#include "spikeq/core/simulation.hpp"
