#include "replay.hpp"

#include <filesystem>

#include "spikeq/core/errors.hpp"
#include "spikeq/io/replay.hpp"

namespace spikeq::io::yaml {
namespace {

const std::vector<std::string> kReplayKeys{"file",     "format",    "population", "samples",
                                           "gap",      "sample_length", "time_unit", "units",
                                           "neurons",  "time_scale", "offset",    "window",
                                           "repeat",   "period"};

}  // namespace

ReplayOptions read_replay_options(const Cursor& c, const Scope& scope, std::string_view what) {
  constexpr auto T = Dimension::time;
  const MapReader r(c, kReplayKeys, what);
  ReplayOptions o;
  const Cursor file = r.require("file");
  o.path = read_path(file);
  const std::string ext = std::filesystem::path(o.path).extension().string();
  o.format = ext == ".csv" || ext == ".txt" ? ReplayFormat::csv : ReplayFormat::sonata;
  if (auto f = r.get("format")) {
    o.format = read_choice<ReplayFormat>(*f, {{"sonata", ReplayFormat::sonata},
                                              {"shd", ReplayFormat::shd},
                                              {"nwb", ReplayFormat::nwb},
                                              {"csv", ReplayFormat::csv}});
  }
  if (auto x = r.get("population")) o.population = read_string(*x);
  if (auto x = r.get("samples")) {
    for (std::uint32_t s : read_id_list(*x)) o.samples.push_back(s);
  }
  if (auto x = r.get("gap")) o.gap = read_quantity(*x, T, scope);
  if (auto x = r.get("sample_length")) o.sample_length = read_quantity(*x, T, scope);
  if (auto x = r.get("time_unit")) o.time_unit = read_quantity(*x, T, scope);
  if (auto x = r.get("units")) {
    for (std::uint32_t u : read_id_list(*x)) o.units.push_back(u);
  }
  if (auto x = r.get("neurons")) o.neurons = read_id_list(*x);
  if (auto x = r.get("time_scale")) o.time_scale = read_quantity(*x, Dimension::none, scope);
  if (auto x = r.get("offset")) o.offset = read_quantity(*x, T, scope);
  if (auto x = r.get("window")) {
    const auto w = read_quantity_list(*x, T, scope);
    if (w.size() != 2) x->fail("expected [start, stop]");
    o.window_start = w[0];
    o.window_stop = w[1];
  }
  if (auto x = r.get("repeat")) o.repeat = static_cast<std::uint32_t>(read_integer(*x, 0, 0xffffffffu));
  if (auto x = r.get("period")) o.period = read_quantity(*x, T, scope);
  return o;
}

std::shared_ptr<const ReplaySource> read_replay_source(const Cursor& c, const Scope& scope,
                                                       std::string_view what) {
  ReplayOptions o = read_replay_options(c, scope, what);
  try {
    return open_replay(std::move(o));
  } catch (const Error& e) {
    MapReader(c, kReplayKeys, what).require("file").fail(e.what());
  }
}

void read_clamps(const Cursor& c, LoadState& s) {
  if (!c.node().is_sequence()) c.fail("expected a list of clamps");
  for (std::size_t k = 0; k < c.node().items.size(); ++k) {
    const Cursor item = c.item(k);
    const MapReader r(item, {"population", "start", "stop", "source"}, "a clamp");
    const PopulationId p = s.population(r.require("population"));
    const double start = read_quantity(r.require("start"), Dimension::time, s.parameters);
    const Cursor stop_c = r.require("stop");
    const double stop = read_quantity(stop_c, Dimension::time, s.parameters);
    auto source = read_replay_source(r.require("source"), s.parameters, "a clamp source");
    try {
      s.model.network.clamp(p, std::move(source), start, stop);
    } catch (const Error& e) {
      item.fail(e.what());
    }
  }
}

}  // namespace spikeq::io::yaml
