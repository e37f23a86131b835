#include "model_params.hpp"

#include <variant>

#include "replay.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/elm_weights.hpp"

namespace spikeq::io::yaml {
namespace {

using neurons::izhikevich;
using neurons::lif_cond_exp;
using neurons::lif_psc_alpha;
using neurons::lif_psc_delta;
using neurons::lif_psc_exp;

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
constexpr auto mV = Dimension::voltage;
constexpr auto pA = Dimension::current;
constexpr auto nS = Dimension::conductance;
constexpr auto pF = Dimension::capacitance;

izhikevich::params read_izhikevich(const ParamsReader& r) {
  izhikevich::params p;
  if (auto preset = r.get("preset")) {
    using P = izhikevich::Preset;
    p = izhikevich::params::preset(read_choice<P>(
        *preset, {{"RS", P::RS}, {"IB", P::IB}, {"CH", P::CH}, {"FS", P::FS},
                  {"LTS", P::LTS}, {"TC", P::TC}, {"RZ", P::RZ}}));
  }
  r.value("a", Dimension::none, p.a);
  r.value("b", Dimension::none, p.b);
  r.value("c", mV, p.c);
  r.value("d", Dimension::none, p.d);
  r.value("I_e", pA, p.I_e);
  r.value("v_init", mV, p.v_init);
  r.optional_value("u_init", Dimension::none, p.u_init);
  r.scalar("v_peak", mV, p.v_peak);
  if (auto s = r.get("scheme")) {
    p.scheme = read_choice<izhikevich::Scheme>(
        *s, {{"published", izhikevich::Scheme::published}, {"euler", izhikevich::Scheme::euler}});
  }
  return p;
}

/// The fields lif_psc_exp, lif_psc_alpha and lif_psc_delta share.
template <typename P>
void read_lif_common(const ParamsReader& r, P& p) {
  r.scalar("E_L", mV, p.E_L);
  r.scalar("C_m", pF, p.C_m);
  r.scalar("tau_m", T, p.tau_m);
  r.scalar("t_ref", T, p.t_ref);
  r.value("V_th", mV, p.V_th);
  r.value("V_reset", mV, p.V_reset);
  r.value("I_e", pA, p.I_e);
  r.value("V_init", mV, p.V_init);
}

template <typename P>
P read_lif_psc(const ParamsReader& r) {
  P p;
  read_lif_common(r, p);
  if constexpr (requires { p.tau_syn_ex; }) {
    r.scalar("tau_syn_ex", T, p.tau_syn_ex);
    r.scalar("tau_syn_in", T, p.tau_syn_in);
  }
  return p;
}

lif_cond_exp::params read_lif_cond_exp(const ParamsReader& r) {
  lif_cond_exp::params p;
  r.scalar("E_L", mV, p.E_L);
  r.scalar("C_m", pF, p.C_m);
  r.scalar("g_L", nS, p.g_L);
  r.scalar("t_ref", T, p.t_ref);
  r.scalar("E_ex", mV, p.E_ex);
  r.scalar("E_in", mV, p.E_in);
  r.scalar("tau_syn_ex", T, p.tau_syn_ex);
  r.scalar("tau_syn_in", T, p.tau_syn_in);
  r.value("V_th", mV, p.V_th);
  r.value("V_reset", mV, p.V_reset);
  r.value("I_e", pA, p.I_e);
  r.value("V_init", mV, p.V_init);
  r.value("g_ex_init", nS, p.g_ex_init);
  r.value("g_in_init", nS, p.g_in_init);
  if (auto c = r.get("integrator")) {
    p.integrator = read_choice<neurons::CondIntegrator>(
        *c, {{"exponential", neurons::CondIntegrator::exponential},
             {"euler", neurons::CondIntegrator::euler}});
  }
  return p;
}

neurons::spike_source_array::params read_spike_source_array(const ParamsReader& r,
                                                            const Cursor& model_cursor,
                                                            std::uint32_t size,
                                                            const Scope& scope) {
  neurons::spike_source_array::params p;
  const auto times = r.get("times");
  if (!times) model_cursor.fail("model spike_source_array needs params.times, one list of spike times per neuron");
  if (!times->node().is_sequence() || times->node().items.size() != size) {
    times->fail("expected " + std::to_string(size) + " lists of spike times, one per neuron" +
                (times->node().is_sequence()
                     ? " (got " + std::to_string(times->node().items.size()) + ")"
                     : std::string{}));
  }
  for (std::size_t k = 0; k < size; ++k) {
    p.times.push_back(read_quantity_list(times->item(k), T, scope));
  }
  return p;
}

/// `weights` is a path relative to the file that names it.
neurons::elm::params read_elm(const ParamsReader& r, const Cursor& model_cursor,
                              const Scope& scope) {
  using E = neurons::elm;
  E::params p;
  const auto w = r.get("weights");
  if (!w) {
    model_cursor.fail("model elm needs params.weights: the trained model's HDF5 file");
  }
  if (auto c = r.get("version")) {
    p.version = read_choice<neurons::ElmVersion>(
        *c, {{"v1", neurons::ElmVersion::v1}, {"v2", neurons::ElmVersion::v2}});
  }
  if (auto c = r.get("spike_mode")) {
    p.spike_mode = read_choice<E::SpikeMode>(
        *c, {{"threshold", E::SpikeMode::threshold}, {"bernoulli", E::SpikeMode::bernoulli}});
  }
  if (auto c = r.get("threshold")) p.threshold = read_probability(*c, scope);
  if (auto c = r.get("precision")) {
    p.precision = read_choice<E::Precision>(
        *c, {{"float32", E::Precision::float32}, {"float64", E::Precision::float64}});
  }
  try {
    p.weights = read_elm_weights(read_path(*w));
  } catch (const Error& e) {
    w->fail(e.what());
  }
  return p;
}

}  // namespace

std::vector<std::string> model_names() {
  return {"izhikevich", "lif_psc_exp", "lif_psc_alpha", "lif_psc_delta",
          "lif_cond_exp", "spike_source_array", "poisson_source", "elm", "spike_replay"};
}

NeuronModel read_neuron_model(const Cursor& model_cursor, const std::string& model,
                              const std::optional<Cursor>& params, std::uint32_t size,
                              const Scope& scope) {
  const std::vector<std::string> lif{"E_L", "C_m", "tau_m", "t_ref", "V_th", "V_reset", "I_e",
                                     "V_init"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = lif;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  if (model == "izhikevich") {
    return read_izhikevich(ParamsReader(params, {"preset", "a", "b", "c", "d", "I_e", "v_init",
                                                 "u_init", "v_peak", "scheme"},
                                        model, scope));
  }
  if (model == "lif_psc_exp") {
    return read_lif_psc<lif_psc_exp::params>(
        ParamsReader(params, with({"tau_syn_ex", "tau_syn_in"}), model, scope));
  }
  if (model == "lif_psc_alpha") {
    return read_lif_psc<lif_psc_alpha::params>(
        ParamsReader(params, with({"tau_syn_ex", "tau_syn_in"}), model, scope));
  }
  if (model == "lif_psc_delta") {
    return read_lif_psc<lif_psc_delta::params>(ParamsReader(params, lif, model, scope));
  }
  if (model == "lif_cond_exp") {
    return read_lif_cond_exp(ParamsReader(
        params, {"E_L", "C_m", "g_L", "t_ref", "E_ex", "E_in", "tau_syn_ex", "tau_syn_in", "V_th",
                 "V_reset", "I_e", "V_init", "g_ex_init", "g_in_init", "integrator"},
        model, scope));
  }
  if (model == "spike_source_array") {
    return read_spike_source_array(ParamsReader(params, {"times"}, model, scope), model_cursor,
                                   size, scope);
  }
  if (model == "poisson_source") {
    neurons::poisson_source::params p;
    ParamsReader(params, {"rate"}, model, scope).value("rate", Dimension::rate, p.rate);
    return p;
  }
  if (model == "elm") {
    return read_elm(ParamsReader(params, {"weights", "version", "spike_mode", "threshold",
                                          "precision"},
                                 model, scope),
                    model_cursor, scope);
  }
  if (model == "spike_replay") {
    if (!params) model_cursor.fail("model spike_replay needs params.file: the recorded spikes");
    neurons::spike_replay::params p;
    p.source = read_replay_source(*params, scope, "model spike_replay");
    return p;
  }
  fail_choice(model_cursor, model, model_names());
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
        return std::vector<std::string>(M::recordables.begin(), M::recordables.end());
      },
      model);
}

std::string units_of(const NeuronModel& model, const std::string& variable) {
  if (std::holds_alternative<izhikevich::params>(model)) {
    if (variable == "v" || variable == "c") return "mV";
    return variable == "I_e" ? "pA" : "";
  }
  if (std::holds_alternative<neurons::elm::params>(model)) return variable == "V_m" ? "mV" : "";
  if (variable.starts_with("V")) return "mV";
  if (variable.starts_with("g_")) return "nS";
  if (variable.starts_with("dI_")) return "pA/ms";
  if (variable.starts_with("I_")) return "pA";
  return "";
}

}  // namespace spikeq::io::yaml
