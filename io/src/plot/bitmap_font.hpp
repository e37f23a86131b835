#pragma once
// A small proportional bitmap font for printable ASCII, drawn for this project: glyphs
// are 5 columns wide and 9 rows tall (7 above the baseline, 2 for descenders). The PNG
// back end scales and smooths it; see text_mask.hpp.
#include <array>
#include <cstdint>

namespace spikeq::io::plot::font {

inline constexpr int kColumns = 5;
inline constexpr int kRows = 9;
inline constexpr int kAscent = 7;  ///< rows above the baseline: capitals and digits
inline constexpr int kSpaceAdvance = 3;

struct Glyph {
  std::array<std::uint8_t, kRows> rows{};  ///< bit c set: column c is inked
  int left = 0;                            ///< first column drawn
  int width = 0;                           ///< columns drawn from `left`
  int advance = 0;                         ///< pen movement: width plus one blank column
};

/// The glyph of a printable ASCII character; '?' for anything else.
[[nodiscard]] const Glyph& glyph(unsigned char c);

}  // namespace spikeq::io::plot::font
