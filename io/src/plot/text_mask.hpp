#pragma once
// Renders a string in the bitmap font at any scale as anti-aliased coverage. The glyphs
// are enlarged 4x with two passes of Scale2x, which rounds their diagonal staircases,
// then sampled down to the requested scale; that reads far better than blocky pixels.
#include <string_view>
#include <vector>

namespace spikeq::io::plot {

struct TextMask {
  int width = 0;
  int height = 0;
  int baseline = 0;             ///< first row below the baseline
  std::vector<float> coverage;  ///< row-major, 0 to 1
};

/// Font pixels per output pixel for a CSS-like font size: capitals come out about 0.72
/// of the size tall, as in common sans-serif fonts. Snapped to halves, at least 1.
[[nodiscard]] double font_scale(double size);

/// Width of the string in font pixels (scale 1), without the trailing blank column.
[[nodiscard]] int text_columns(std::string_view s);

[[nodiscard]] TextMask render_text(std::string_view s, double scale, bool bold);

}  // namespace spikeq::io::plot
