#include "text_mask.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "bitmap_font.hpp"

namespace spikeq::io::plot {
namespace {

// One glyph per character; a UTF-8 sequence becomes one '?' (the font is ASCII only).
template <class F>
void for_each_glyph(std::string_view s, F&& f) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 && c < 0xC0) continue;  // UTF-8 continuation byte
    f(font::glyph(c >= 0x80 ? static_cast<unsigned char>('?') : c));
  }
}

struct Bitmap {
  int width = 0, height = 0;
  std::vector<std::uint8_t> bits;

  Bitmap(int w, int h) : width(w), height(h), bits(static_cast<std::size_t>(w) * h, 0) {}
  [[nodiscard]] std::uint8_t at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width || y >= height) return 0;
    return bits[static_cast<std::size_t>(y) * width + x];
  }
  void set(int x, int y, std::uint8_t v) { bits[static_cast<std::size_t>(y) * width + x] = v; }
};

// The Scale2x (EPX) rule: a corner of an enlarged pixel takes its neighbours' value where
// two of them agree across that corner, which turns staircases into diagonals.
Bitmap scale2x(const Bitmap& in) {
  Bitmap out(in.width * 2, in.height * 2);
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      const std::uint8_t p = in.at(x, y), a = in.at(x, y - 1), b = in.at(x + 1, y),
                         c = in.at(x - 1, y), d = in.at(x, y + 1);
      out.set(2 * x, 2 * y, (c == a && c != d && a != b) ? a : p);
      out.set(2 * x + 1, 2 * y, (a == b && a != c && b != d) ? b : p);
      out.set(2 * x, 2 * y + 1, (d == c && d != b && c != a) ? c : p);
      out.set(2 * x + 1, 2 * y + 1, (b == d && b != a && d != c) ? d : p);
    }
  }
  return out;
}

Bitmap glyph_bitmap(std::string_view s) {
  Bitmap bm(std::max(1, text_columns(s)), font::kRows);
  int pen = 0;
  for_each_glyph(s, [&](const font::Glyph& g) {
    for (int r = 0; r < font::kRows; ++r) {
      for (int c = 0; c < g.width; ++c) {
        if ((g.rows[static_cast<std::size_t>(r)] >> (g.left + c)) & 1u) bm.set(pen + c, r, 1);
      }
    }
    pen += g.advance;
  });
  return bm;
}

}  // namespace

double font_scale(double size) {
  const double s = std::round(size * 0.72 / font::kAscent * 2.0) / 2.0;
  return std::max(1.0, s);
}

int text_columns(std::string_view s) {
  int columns = 0;
  for_each_glyph(s, [&](const font::Glyph& g) { columns += g.advance; });
  return std::max(0, columns - 1);
}

TextMask render_text(std::string_view s, double scale, bool bold) {
  constexpr int kSuper = 4;  // two Scale2x passes
  Bitmap fine = scale2x(scale2x(glyph_bitmap(s)));
  if (bold) {
    // Thicken vertical strokes by half a font pixel to the right.
    Bitmap thick(fine.width + kSuper / 2, fine.height);
    for (int y = 0; y < fine.height; ++y) {
      for (int x = 0; x < thick.width; ++x) {
        std::uint8_t v = 0;
        for (int k = 0; k <= kSuper / 2; ++k) v |= fine.at(x - k, y);
        thick.set(x, y, v);
      }
    }
    fine = std::move(thick);
  }

  TextMask mask;
  // Shift down so that the baseline falls on a pixel boundary at fractional scales.
  const double ascent = font::kAscent * scale;
  const double shift = std::ceil(ascent) - ascent;
  mask.baseline = static_cast<int>(std::ceil(ascent));
  mask.width = static_cast<int>(std::ceil(fine.width * scale / kSuper));
  mask.height = static_cast<int>(std::ceil(font::kRows * scale + shift));
  mask.coverage.assign(static_cast<std::size_t>(mask.width) * mask.height, 0.0f);

  // Supersample each output pixel 4x4 in the enlarged glyphs.
  constexpr int kSamples = 4;
  const double step = kSuper / scale;  // enlarged pixels per output pixel
  for (int y = 0; y < mask.height; ++y) {
    for (int x = 0; x < mask.width; ++x) {
      int hits = 0;
      for (int j = 0; j < kSamples; ++j) {
        const int fy = static_cast<int>(std::floor((y - shift + (j + 0.5) / kSamples) * step));
        for (int i = 0; i < kSamples; ++i) {
          const int fx = static_cast<int>(std::floor((x + (i + 0.5) / kSamples) * step));
          hits += fine.at(fx, fy);
        }
      }
      mask.coverage[static_cast<std::size_t>(y) * mask.width + x] =
          static_cast<float>(hits) / (kSamples * kSamples);
    }
  }
  return mask;
}

}  // namespace spikeq::io::plot
