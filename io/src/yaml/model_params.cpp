#include "model_params.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "replay.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/elm_weights.hpp"

namespace spikeq::io::yaml {
namespace {

using neurons::izhikevich;

/// Reads the keys of one `params:` map; unknown keys are reported against `allowed`.
class ParamsReader {
 public:
  ParamsReader(const std::optional<Cursor>& params, std::vector<std::string> allowed,
               const std::string& model, const Scope& scope) : scope_(scope) {
    if (params) reader_.emplace(*params, std::move(allowed), "model " + model);
  }

  void scalar(const char* key, Dimension dim, double& out) const {
    if (auto c = get(key)) out = read_quantity(*c, dim, scope_);
  }
  void value(const char* key, Dimension dim, Value& out) const {
    if (auto c = get(key)) out = read_value(*c, dim, scope_);
  }
  void optional_value(const char* key, Dimension dim, std::optional<Value>& out) const {
    if (auto c = get(key)) out = read_value(*c, dim, scope_);
  }
  [[nodiscard]] std::optional<Cursor> get(const char* key) const {
    return reader_ ? reader_->get(key) : std::nullopt;
  }

 private:
  std::optional<MapReader> reader_;
  const Scope& scope_;
};

constexpr auto T = Dimension::time;

/// Reads entry I of a model's parameter table (custom entries are the model's own).
/// Resolved at compile time, so no entry's reader sees another kind's member.
template <typename M, std::size_t I>
void read_entry(const ParamsReader& r, typename M::params& p) {
  using neurons::ParamKind;
  static constexpr auto q = M::parameters[I];
  const std::string key(q.key);
  if constexpr (q.kind == ParamKind::scalar) {
    r.scalar(key.c_str(), q.dimension, p.*q.scalar);
  } else if constexpr (q.kind == ParamKind::per_neuron) {
    r.value(key.c_str(), q.dimension, p.*q.value);
  } else if constexpr (q.kind == ParamKind::optional_per_neuron) {
    r.optional_value(key.c_str(), q.dimension, p.*q.optional);
  } else if constexpr (q.kind == ParamKind::choice) {
    if (auto c = r.get(key.c_str())) q.set_choice(p, static_cast<int>(read_choice_index(*c, q.choices)));
  }
}

/// Reads every key of a model's parameter table, in table order.
template <typename M>
void read_table(const ParamsReader& r, typename M::params& p) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (read_entry<M, I>(r, p), ...);
  }(std::make_index_sequence<M::parameters.size()>{});
}

/// What a model's custom keys need besides the params map.
struct ModelContext {
  const Cursor& model_cursor;
  std::uint32_t size;
  const Scope& scope;
};

// The custom keys of each model: `before` runs ahead of the table (a preset replaces
// every default), `after` once the table is read. Models without custom keys use neither.
void before_table(const ParamsReader& r, izhikevich::params& p, const ModelContext&) {
  if (auto preset = r.get("preset")) {
    p = izhikevich::params::preset(
        static_cast<izhikevich::Preset>(read_choice_index(*preset, izhikevich::preset_names)));
  }
}

void before_table(const ParamsReader& r, neurons::elm::params&, const ModelContext& ctx) {
  if (!r.get("weights")) {
    ctx.model_cursor.fail("model elm needs params.weights: the trained model's HDF5 file");
  }
}

void after_table(const ParamsReader& r, neurons::spike_source_array::params& p,
                 const ModelContext& ctx) {
  const auto times = r.get("times");
  if (!times) ctx.model_cursor.fail("model spike_source_array needs params.times, one list of spike times per neuron");
  if (!times->node().is_sequence() || times->node().items.size() != ctx.size) {
    times->fail("expected " + std::to_string(ctx.size) + " lists of spike times, one per neuron" +
                (times->node().is_sequence()
                     ? " (got " + std::to_string(times->node().items.size()) + ")"
                     : std::string{}));
  }
  for (std::size_t k = 0; k < ctx.size; ++k) {
    p.times.push_back(read_quantity_list(times->item(k), T, ctx.scope));
  }
}

/// `weights` is a path relative to the file that names it.
void after_table(const ParamsReader& r, neurons::elm::params& p, const ModelContext& ctx) {
  if (auto c = r.get("threshold")) p.threshold = read_probability(*c, ctx.scope);
  const auto w = r.get("weights");
  try {
    p.weights = read_elm_weights(read_path(*w));
  } catch (const Error& e) {
    w->fail(e.what());
  }
}

void before_table(const ParamsReader&, auto&, const ModelContext&) {}
void after_table(const ParamsReader&, auto&, const ModelContext&) {}

template <typename M>
std::vector<std::string> keys_of() {
  std::vector<std::string> keys;
  for (const auto& q : M::parameters) keys.emplace_back(q.key);
  return keys;
}

/// A model's params from its table and custom keys.
template <typename M>
typename M::params read_model(const std::optional<Cursor>& params, const ModelContext& ctx) {
  const std::string model(M::name);
  if constexpr (std::is_same_v<M, neurons::spike_replay>) {
    // The params map is the replay source itself: file, format and the replay options.
    if (!params) ctx.model_cursor.fail("model spike_replay needs params.file: the recorded spikes");
    neurons::spike_replay::params p;
    p.source = read_replay_source(*params, ctx.scope, "model spike_replay");
    return p;
  } else {
    const ParamsReader r(params, keys_of<M>(), model, ctx.scope);
    typename M::params p{};
    before_table(r, p, ctx);
    read_table<M>(r, p);
    after_table(r, p, ctx);
    return p;
  }
}

}  // namespace

std::vector<std::string> model_names() {
  return {neurons::model_names.begin(), neurons::model_names.end()};
}

NeuronModel read_neuron_model(const Cursor& model_cursor, const std::string& model,
                              const std::optional<Cursor>& params, std::uint32_t size,
                              const Scope& scope) {
  const ModelContext ctx{model_cursor, size, scope};
  std::optional<NeuronModel> out;
  neurons::for_each_model(neurons::Models{}, [&]<typename M>(std::type_identity<M>) {
    if (!out && model == M::name) out.emplace(read_model<M>(params, ctx));
  });
  if (!out) fail_choice(model_cursor, model, model_names());
  return std::move(*out);
}

std::vector<ReceptorDimension> receptors_of(const NeuronModel& model) {
  return std::visit(
      [](const auto& p) {
        using M = model_of_t<std::decay_t<decltype(p)>>;
        std::vector<ReceptorDimension> out;
        for (const auto& r : M::receptors) {
          Dimension d = Dimension::current;
          if (r.kind == neurons::ReceptorKind::voltage_jump) d = Dimension::voltage;
          if (r.kind == neurons::ReceptorKind::conductance_exp) d = Dimension::conductance;
          if (r.kind == neurons::ReceptorKind::input_slot) d = Dimension::none;
          out.push_back({std::string(r.name), d});
        }
        return out;
      },
      model);
}

}  // namespace spikeq::io::yaml

namespace spikeq::io::yaml {

std::vector<std::string> recordables_of(const NeuronModel& model) {
  return std::visit(
      [](const auto& p) {
        using M = model_of_t<std::decay_t<decltype(p)>>;
        std::vector<std::string> out;
        for (const auto& r : M::recordables) out.emplace_back(r.name);
        return out;
      },
      model);
}

std::string units_of(const NeuronModel& model, const std::string& variable) {
  return std::visit(
      [&](const auto& p) {
        using M = model_of_t<std::decay_t<decltype(p)>>;
        for (const auto& r : M::recordables) {
          if (r.name == variable) return std::string(r.unit);
        }
        return std::string{};
      },
      model);
}

}  // namespace spikeq::io::yaml
