#include "png_encoder.hpp"

#include <zlib.h>

#include <cstring>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace spikeq::io::plot {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

// A chunk is length, type, data, and the CRC-32 of type and data.
void put_chunk(std::string& out, std::string_view type, const std::string& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.append(type);
  out.append(data);
  const auto* bytes = reinterpret_cast<const Bytef*>(out.data() + start);
  put_u32(out, static_cast<std::uint32_t>(
                   crc32(crc32(0L, Z_NULL, 0), bytes, static_cast<uInt>(out.size() - start))));
}

}  // namespace

std::string encode_png(const RgbImage& image) {
  const auto w = static_cast<std::size_t>(image.width());
  const auto h = static_cast<std::size_t>(image.height());

  // Each scanline starts with its filter type; 0 (none) already compresses a mostly
  // white figure well, and keeps the encoder trivial.
  std::vector<Bytef> raw(h * (1 + 3 * w));
  for (std::size_t y = 0; y < h; ++y) {
    Bytef* row = &raw[y * (1 + 3 * w)];
    row[0] = 0;
    std::memcpy(row + 1, &image.bytes()[y * 3 * w], 3 * w);
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, raw.data(),
                static_cast<uLong>(raw.size()), 6) != Z_OK) {
    throw std::runtime_error("PNG encoding: zlib compression failed");
  }
  packed.resize(packed_size);

  std::string header;
  put_u32(header, static_cast<std::uint32_t>(w));
  put_u32(header, static_cast<std::uint32_t>(h));
  header += std::string{'\x08', '\x02', '\x00', '\x00', '\x00'};  // 8-bit RGB, no interlace

  std::string png("\x89PNG\r\n\x1a\n", 8);
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", packed);
  put_chunk(png, "IEND", {});
  return png;
}

}  // namespace spikeq::io::plot
