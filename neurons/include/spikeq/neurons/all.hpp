#pragma once
// Every neuron model spikeq knows, and the variant that names one in a network; both come
// from the registry.
#include "spikeq/neurons/registry.hpp"
