#pragma once
// Prints a measurement as `key value` lines, the format of the Brian2 peers.
#include <cstdio>

#include "measure.hpp"
#include "options.hpp"

namespace spikeq_bench {

void print_report(std::FILE* out, const Measurement& m, const Options& options);

}  // namespace spikeq_bench
