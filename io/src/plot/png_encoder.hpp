#pragma once
// PNG encoding of an RGB image: zlib for the deflate stream and the chunk CRCs.
#include <string>

#include "rgb_image.hpp"

namespace spikeq::io::plot {

/// The complete PNG file. Throws std::runtime_error if zlib fails (out of memory).
[[nodiscard]] std::string encode_png(const RgbImage& image);

}  // namespace spikeq::io::plot
