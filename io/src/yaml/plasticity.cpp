// plasticity: the learning rule of a projection (stdp or the error rule), its weight
// bounds, its third factor and how changes reach the weights (update).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>
#include <variant>

#include "load_state.hpp"
#include "suggest.hpp"

namespace spikeq::io::yaml {

using spikeq::detail::format_number;

double read_quantity_or_infinity(const Cursor& c, Dimension dim, const Scope& scope) {
  if (c.node().is_scalar()) {
    std::string t = c.node().scalar;
    t.erase(0, t.find_first_not_of(" \t"));
    t.erase(t.find_last_not_of(" \t") + 1);
    for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool negative = false;
    if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
      negative = t[0] == '-';
      t.erase(0, 1);
    }
    if (t == "inf" || t == ".inf" || t == "infinity") {
      return negative ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    }
  }
  return read_quantity(c, dim, scope);
}

namespace {

/// A rule of the registry (plasticity::rule_registry), by its index in plasticity::Rule.
using RuleKind = std::size_t;
template <typename R, typename... Rs>
constexpr RuleKind index_in(const std::variant<Rs...>*) {
  constexpr bool same[] = {std::is_same_v<R, Rs>...};
  for (RuleKind k = 0; k < sizeof...(Rs); ++k) {
    if (same[k]) return k;
  }
  return sizeof...(Rs);
}
template <typename R>
constexpr RuleKind kind_of = index_in<R>(static_cast<const plasticity::Rule*>(nullptr));

const std::vector<std::string> kCommonKeys{"rule", "w_min", "w_max", "dendritic_delay", "update",
                                           "projection"};

std::vector<std::string> keys_of(RuleKind kind) {
  const plasticity::RuleInfo& r = plasticity::rule_registry[kind];
  return {r.keys, r.keys + r.key_count};
}

bool contains(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

/// `rule:` one of the registry's names (stdp when absent).
RuleKind read_rule_kind(const Cursor& c) {
  std::vector<std::string_view> names;
  for (const plasticity::RuleInfo& r : plasticity::rule_registry) names.push_back(r.name);
  return read_choice_index(c, names);
}

double positive_time(const Cursor& c, const Scope& scope, const char* name) {
  const double v = read_quantity(c, Dimension::time, scope);
  if (!(v > 0.0)) c.fail(std::string(name) + " must be > 0 ms (got " + format_number(v) + ")");
  return v;
}

/// `update:` immediate (default), {interval: T, bias: b, decay: d} or {tau_c: T}. The
/// error rule has no eligibility trace and no accumulator: only `interval` applies.
plasticity::Application read_update(const Cursor& c, RuleKind kind, Dimension weight,
                                    const Scope& scope) {
  const std::string forms = kind == kind_of<plasticity::Stdp>
                                ? "immediate, {interval: T, bias: b, decay: d} or {tau_c: T}"
                                : "immediate or {interval: T} (this rule has no "
                                  "eligibility trace)";
  if (c.node().is_scalar()) {
    if (c.node().scalar == "immediate") return plasticity::Immediate{};
    c.fail("expected " + forms + ", got '" + c.node().scalar + "'" +
           did_you_mean(c.node().scalar, {"immediate"}));
  }
  if (!c.node().is_map()) c.fail("expected " + forms + ", got " + c.node().kind_name());
  if (kind == kind_of<plasticity::VogelsSprekeler>) {
    c.fail("the Vogels-Sprekeler rule changes weights at once: leave out 'update' or give "
           "'immediate'");
  }
  if (kind != kind_of<plasticity::Stdp>) {  // the error and Hebbian rules
    const std::string rule =
        kind == kind_of<plasticity::ErrorRule> ? "error" : std::string(plasticity::rule_registry[kind].name);
    const MapReader r(c, {"interval"}, "the update of the " + rule + " rule");
    return plasticity::Interval{positive_time(r.require("interval"), scope, "interval"), 0.0, 0.0};
  }
  const MapReader r(c, {"interval", "bias", "decay", "tau_c"}, "an update");
  if (auto tau_c = r.get("tau_c")) {
    for (const char* key : {"interval", "bias", "decay"}) {
      if (auto other = r.get(key)) {
        other->fail(std::string("'") + key +
                    "' belongs to an interval update, 'tau_c' to an eligibility trace: give one "
                    "of {interval: T, bias: b, decay: d} or {tau_c: T}");
      }
    }
    return plasticity::Eligibility{positive_time(*tau_c, scope, "tau_c")};
  }
  plasticity::Interval out;
  out.interval = positive_time(r.require("interval"), scope, "interval");
  if (auto b = r.get("bias")) out.bias = read_quantity(*b, weight, scope);
  if (auto d = r.get("decay")) out.decay = read_quantity(*d, Dimension::none, scope);
  return out;
}

// One reader per rule of the registry: a rule without one does not compile.
void read_rule(const MapReader& r, plasticity::Stdp& out, Dimension weight, LoadState& s) {
  const Scope& ps = s.parameters;
  if (auto p = r.get("pairing")) {
    out.pairing = read_choice<plasticity::Pairing>(
        *p, {{"all_to_all", plasticity::Pairing::all_to_all},
             {"nearest", plasticity::Pairing::nearest}});
  }
  if (auto d = r.get("weight_dependence")) {
    out.dependence = read_choice<plasticity::WeightDependence>(
        *d, {{"additive", plasticity::WeightDependence::additive},
             {"multiplicative", plasticity::WeightDependence::multiplicative},
             {"power_law", plasticity::WeightDependence::power_law}});
  }
  // Additive changes are weights; multiplicative and power-law ones scale (bounded)
  // weights, so their amplitudes are plain numbers.
  const Dimension amplitude =
      out.dependence == plasticity::WeightDependence::additive ? weight : Dimension::none;
  if (auto a = r.get("A_plus")) out.A_plus = read_quantity(*a, amplitude, ps);
  if (auto a = r.get("A_minus")) out.A_minus = read_quantity(*a, amplitude, ps);
  if (auto t = r.get("tau_plus")) out.tau_plus = positive_time(*t, ps, "tau_plus");
  if (auto t = r.get("tau_minus")) out.tau_minus = positive_time(*t, ps, "tau_minus");
  for (const char* key : {"mu_plus", "mu_minus"}) {
    const auto mu = r.get(key);
    if (!mu) continue;
    if (out.dependence != plasticity::WeightDependence::power_law) {
      mu->fail(std::string(key) + " applies to weight_dependence: power_law only");
    }
    const double v = read_quantity(*mu, Dimension::none, ps);
    if (!(v >= 0.0)) mu->fail(std::string(key) + " must be >= 0 (got " + format_number(v) + ")");
    (std::string_view(key) == "mu_plus" ? out.mu_plus : out.mu_minus) = v;
  }
}

void read_rule(const MapReader& r, plasticity::ErrorRule& out, Dimension, LoadState& s) {
  const Scope& ps = s.parameters;
  if (auto e = r.get("eta")) out.eta = read_quantity(*e, Dimension::none, ps);
  if (auto t = r.get("tau_pre")) out.tau_pre = positive_time(*t, ps, "tau_pre");
  if (auto t = r.get("tau_post")) out.tau_post = positive_time(*t, ps, "tau_post");
  const Cursor target = r.require("target");
  out.target = read_string(target);
  s.modulator_uses.push_back({out.target, target});
  if (auto g = r.get("gate")) {
    out.gate = read_string(*g);
    s.modulator_uses.push_back({out.gate, *g});
  }
}

template <plasticity::hebbian::HebbianRule Form>
void read_rule(const MapReader& r, plasticity::Hebbian<Form>& out, Dimension weight, LoadState& s) {
  const Scope& ps = s.parameters;
  if (auto e = r.get("eta")) out.eta = read_quantity(*e, Dimension::none, ps);
  if (auto t = r.get("tau_pre")) out.tau_pre = positive_time(*t, ps, "tau_pre");
  if (auto t = r.get("tau_post")) out.tau_post = positive_time(*t, ps, "tau_post");
  if (auto sc = r.get("scale")) {
    out.scale = read_quantity(*sc, weight, ps);
    if (!(out.scale > 0.0)) sc->fail("scale must be a weight > 0 (got " + format_number(out.scale) + ")");
  }
}

void read_rule(const MapReader& r, plasticity::VogelsSprekeler& out, Dimension weight,
               LoadState& s) {
  const Scope& ps = s.parameters;
  if (auto e = r.get("eta")) out.eta = read_quantity(*e, weight, ps);
  if (auto t = r.get("tau")) out.tau = positive_time(*t, ps, "tau");
  if (auto rho = r.get("rho0")) {
    out.rho0 = read_quantity(*rho, Dimension::rate, ps);
    if (!(out.rho0 >= 0.0)) rho->fail("rho0 must be a rate >= 0 Hz");
  }
}

/// The default parameters of rule `kind`, to be read into.
plasticity::Rule default_rule(RuleKind kind) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    plasticity::Rule out;
    ((kind == I ? (void)out.emplace<I>() : void()), ...);
    return out;
  }(std::make_index_sequence<std::variant_size_v<plasticity::Rule>>{});
}

}  // namespace

plasticity::PlasticitySpec read_plasticity(const Cursor& c, Dimension weight, LoadState& s) {
  if (!c.node().is_map()) {
    c.fail(std::string("expected a map of plasticity settings (rule, A_plus, ...), got ") +
           c.node().kind_name());
  }
  RuleKind kind = kind_of<plasticity::Stdp>;
  if (const Node* rule = c.node().find("rule")) {
    kind = read_rule_kind(Cursor(*rule, c.path() + ".rule"));
  }
  const bool stdp = kind == kind_of<plasticity::Stdp>;
  const std::vector<std::string> own = keys_of(kind);
  const std::string what = std::string(plasticity::rule_registry[kind].label) + " plasticity";
  // A key of another rule is a likely confusion of rules: say so rather than only
  // listing the keys this rule knows.
  for (const Entry& e : c.node().entries) {
    if (contains(own, e.key) || contains(kCommonKeys, e.key)) continue;
    for (RuleKind other = 0; other < plasticity::rule_registry.size(); ++other) {
      if (other == kind || !contains(keys_of(other), e.key)) continue;
      SourceLocation where = e.key_location;
      where.path = c.path() + "." + e.key;
      throw ModelError(where, "unknown key '" + e.key + "' for " + what + ": '" + e.key +
                                  "' is a key of rule '" +
                                  std::string(plasticity::rule_registry[other].name) + "'" +
                                  (stdp ? " (rule: stdp is the default)" : ""));
    }
  }
  std::vector<std::string> keys = kCommonKeys;
  keys.insert(keys.end(), own.begin(), own.end());
  const MapReader r(c, keys, what);
  const Scope& ps = s.parameters;

  plasticity::PlasticitySpec spec;
  spec.rule = default_rule(kind);
  std::visit([&](auto& rule) { read_rule(r, rule, weight, s); }, spec.rule);
  if (stdp) {
    if (auto m = r.get("modulator")) {
      spec.modulator = read_string(*m);
      s.modulator_uses.push_back({spec.modulator, *m});
    }
  }
  if (auto w = r.get("w_min")) spec.w_min = read_quantity_or_infinity(*w, weight, ps);
  if (auto w = r.get("w_max")) spec.w_max = read_quantity_or_infinity(*w, weight, ps);
  if (spec.w_min > spec.w_max) {  // one of them was given: the defaults are 0 and inf
    (r.has("w_max") ? r.require("w_max") : r.require("w_min"))
        .fail("w_min (" + format_number(spec.w_min) + ") must not exceed w_max (" +
              format_number(spec.w_max) + ")");
  }
  if (auto d = r.get("dendritic_delay")) {
    spec.dendritic_delay = read_quantity(*d, Dimension::time, ps);
    if (!(spec.dendritic_delay >= 0.0)) {
      d->fail("dendritic_delay must be >= 0 ms (got " + format_number(spec.dendritic_delay) + ")");
    }
  }
  if (auto u = r.get("update")) spec.apply = read_update(*u, kind, weight, ps);
  if (auto p = r.get("projection")) {
    spec.projection = read_string(*p);
    s.subspace_uses.push_back({spec.projection, *p});
  }
  return spec;
}

void check_names_used(const std::vector<LoadState::ModulatorUse>& uses,
                      const std::vector<std::string>& known, const std::string& kind,
                      const std::string& section) {
  for (const LoadState::ModulatorUse& use : uses) {
    if (std::find(known.begin(), known.end(), use.name) != known.end()) continue;
    use.at.fail("no " + kind + " named '" + use.name + "'" + did_you_mean(use.name, known) +
                (known.empty() ? " (the model declares none under '" + section + "')"
                               : " (" + section + ": " + quoted_list(known) + ")"));
  }
}

void check_modulator_uses(const LoadState& s) {
  std::vector<std::string> known;
  for (const ModulatorSpec& m : s.model.network.modulators()) known.push_back(m.name);
  check_names_used(s.modulator_uses, known, "modulator", "modulators");
}

}  // namespace spikeq::io::yaml
