#pragma once
// The spikeq C++ API: describe a Network, build a Simulation, run it, read recordings.
#include "spikeq/core/errors.hpp"
#include "spikeq/core/inputs.hpp"
#include "spikeq/core/memory.hpp"
#include "spikeq/core/network.hpp"
#include "spikeq/core/recording.hpp"
#include "spikeq/core/replay.hpp"
#include "spikeq/core/simulation.hpp"
#include "spikeq/core/time.hpp"
#include "spikeq/core/units.hpp"
#include "spikeq/core/values.hpp"
#include "spikeq/neurons/all.hpp"
#include "spikeq/synapses/connection.hpp"
