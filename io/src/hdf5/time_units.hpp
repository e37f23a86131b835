#pragma once
// spikeq works in ms; SONATA files say their time unit in a `units` attribute.
#include "errors.hpp"

namespace spikeq::io::hdf5 {

/// The factor that turns the times of `object` into ms: 1 for "ms" or no attribute
/// (SONATA's default), 1000 for "s"; any other unit fails naming the attribute.
double to_ms_factor(hid_t object, const Where& where);

}  // namespace spikeq::io::hdf5
