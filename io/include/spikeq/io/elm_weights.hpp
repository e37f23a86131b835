#pragma once
// Reading a trained ELM neuron from its HDF5 weight file: the layout of the reference
// export (/config attributes, /params, /routing), described in docs/models/elm_neuronio.md.
// A missing or mis-shaped dataset or attribute is an io::FileError naming the file and
// the object.
#include <memory>
#include <string>

#include "spikeq/neurons/elm_weights.hpp"

namespace spikeq::io {

/// The weights of `path`, checked (ElmWeights::check), ready to share between populations.
std::shared_ptr<const neurons::ElmWeights> read_elm_weights(const std::string& path);

}  // namespace spikeq::io
