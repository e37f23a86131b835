#include "svg_canvas.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace spikeq::io::plot {
namespace {

// Escapes text content and attribute values.
void append_escaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
}

const char* anchor_name(Anchor a) {
  switch (a) {
    case Anchor::middle:
      return "middle";
    case Anchor::end:
      return "end";
    default:
      return "start";
  }
}

}  // namespace

SvgCanvas::SvgCanvas(int width, int height, Color background) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on chained string +.
  out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"";
  out_ += std::to_string(width);
  out_ += "\" height=\"";
  out_ += std::to_string(height);
  out_ += "\" viewBox=\"0 0 ";
  out_ += std::to_string(width);
  out_ += ' ';
  out_ += std::to_string(height);
  out_ += "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
  fill_rect(0, 0, width, height, background);
}

// Fixed two decimals at most, and locale independent (unlike printf): a decimal comma
// would break the document.
void SvgCanvas::number(double v) {
  char buf[32];
  if (!std::isfinite(v)) v = 0.0;
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  if (ec != std::errc{}) {
    out_ += '0';
    return;
  }
  char* p = end;
  while (p[-1] == '0') --p;
  if (p[-1] == '.') --p;
  if (p - buf == 2 && buf[0] == '-' && buf[1] == '0') {
    out_ += '0';
    return;
  }
  out_.append(buf, p);
}

void SvgCanvas::color(Color c) {
  constexpr char kHex[] = "0123456789abcdef";
  out_ += '#';
  for (const std::uint8_t v : {c.r, c.g, c.b}) {
    out_ += kHex[v >> 4];
    out_ += kHex[v & 15];
  }
}

void SvgCanvas::fill_rect(double x, double y, double w, double h, Color c) {
  out_ += "<rect x=\"";
  number(x);
  out_ += "\" y=\"";
  number(y);
  out_ += "\" width=\"";
  number(w);
  out_ += "\" height=\"";
  number(h);
  out_ += "\" fill=\"";
  color(c);
  out_ += "\"/>\n";
}

void SvgCanvas::line(Point a, Point b, double width, Color c) {
  out_ += "<line x1=\"";
  number(a.x);
  out_ += "\" y1=\"";
  number(a.y);
  out_ += "\" x2=\"";
  number(b.x);
  out_ += "\" y2=\"";
  number(b.y);
  out_ += "\" stroke=\"";
  color(c);
  out_ += "\" stroke-width=\"";
  number(width);
  out_ += "\" stroke-linecap=\"square\"/>\n";
}

void SvgCanvas::point_list(std::span<const Point> points) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i > 0) out_ += ' ';
    number(points[i].x);
    out_ += ',';
    number(points[i].y);
  }
}

void SvgCanvas::fill(Color c, double opacity) {
  color(c);
  out_ += '"';
  if (opacity < 1.0) {
    out_ += " fill-opacity=\"";
    number(opacity);
    out_ += '"';
  }
}

void SvgCanvas::polyline(std::span<const Point> points, double width, Color c) {
  if (points.empty()) return;
  out_ += "<polyline fill=\"none\" stroke=\"";
  color(c);
  out_ += "\" stroke-width=\"";
  number(width);
  out_ += "\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"";
  point_list(points);
  out_ += "\"/>\n";
}

void SvgCanvas::fill_polygon(std::span<const Point> points, Color c, double opacity) {
  if (points.size() < 3) return;
  out_ += "<polygon fill=\"";
  fill(c, opacity);
  out_ += " fill-rule=\"evenodd\" points=\"";
  point_list(points);
  out_ += "\"/>\n";
}

// One group per population carries the colour and opacity; each spike stays its own
// <circle> so that it can be inspected or restyled.
void SvgCanvas::begin_dots(double radius, Color c, double opacity, Box clip) {
  dot_radius_ = radius;
  const std::string id = "dots" + std::to_string(clip_paths_++);
  out_ += "<clipPath id=\"";
  out_ += id;
  out_ += "\"><rect x=\"";
  number(clip.x);
  out_ += "\" y=\"";
  number(clip.y);
  out_ += "\" width=\"";
  number(clip.w);
  out_ += "\" height=\"";
  number(clip.h);
  out_ += "\"/></clipPath>\n<g clip-path=\"url(#";
  out_ += id;
  out_ += ")\" fill=\"";
  fill(c, opacity);
  out_ += ">\n";
}

void SvgCanvas::add_dots(std::span<const Point> centres) {
  for (const Point& p : centres) {
    out_ += "<circle cx=\"";
    number(p.x);
    out_ += "\" cy=\"";
    number(p.y);
    out_ += "\" r=\"";
    number(dot_radius_);
    out_ += "\"/>\n";
  }
}

void SvgCanvas::end_dots() { out_ += "</g>\n"; }

void SvgCanvas::text(Point at, std::string_view s, const TextStyle& style) {
  out_ += "<text x=\"";
  number(at.x);
  out_ += "\" y=\"";
  number(at.y);
  out_ += "\" font-size=\"";
  number(style.size);
  out_ += "\" fill=\"";
  color(style.color);
  out_ += '"';
  if (style.anchor != Anchor::start) {
    out_ += " text-anchor=\"";
    out_ += anchor_name(style.anchor);
    out_ += '"';
  }
  if (style.bold) out_ += " font-weight=\"bold\"";
  if (style.vertical) {
    out_ += " transform=\"rotate(-90 ";
    number(at.x);
    out_ += ' ';
    number(at.y);
    out_ += ")\"";
  }
  out_ += '>';
  append_escaped(out_, s);
  out_ += "</text>\n";
}

// Estimated advance widths of a typical sans-serif font, in em; the layout only needs
// them to size margins.
double SvgCanvas::text_width(std::string_view s, double size) const {
  double em = 0.0;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 && u < 0xC0) continue;
    if (c == ' ') {
      em += 0.32;
    } else if (c >= '0' && c <= '9') {
      em += 0.64;
    } else if (c == 'i' || c == 'l' || c == 'j' || c == '.' || c == ',' || c == ':' || c == ';' ||
               c == '\'' || c == '|' || c == '!') {
      em += 0.3;
    } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W') {
      em += 0.95;
    } else if (c >= 'A' && c <= 'Z') {
      em += 0.72;
    } else {
      em += 0.6;
    }
  }
  return em * size;
}

double SvgCanvas::cap_height(double size) const { return 0.72 * size; }

std::string SvgCanvas::finish() && {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace spikeq::io::plot
