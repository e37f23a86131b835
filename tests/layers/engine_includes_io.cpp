// Must not compile: the engine sits below io (tests/layers/CMakeLists.txt).
#include "spikeq/io/sonata.hpp"
