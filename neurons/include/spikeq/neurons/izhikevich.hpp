#pragma once
// Izhikevich (2003) "Simple model of spiking neurons", IEEE TNN 14:1569.
//   v' = 0.04 v^2 + 5 v + 140 - u + I,   u' = a (b v - u),
//   if v >= v_peak: v <- c, u <- u + d.
// Schemes:
//   published: v advances in two half-steps of dt/2, then u by a full step using the
//              new v (the paper's listing; "for numerical stability" at dt = 1 ms).
//   euler:     forward Euler on (v, u) together (NEST's consistent_integration).
// Synaptic input is a current pulse lasting one step, as `I += S(:, fired)` in the
// paper: with a delay of one step the paper's network is reproduced exactly.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spikeq/core/detail/rng.hpp"
#include "spikeq/core/values.hpp"
#include "spikeq/neurons/checks.hpp"
#include "spikeq/neurons/model.hpp"
#include "spikeq/neurons/parameters.hpp"

namespace spikeq::neurons {

struct izhikevich {
  static constexpr std::string_view name = "izhikevich";

  enum class Scheme { published, euler };
  /// Parameter sets of the paper's Fig. 2.
  enum class Preset { RS, IB, CH, FS, LTS, TC, RZ };

  struct params {
    Value a = 0.02;
    Value b = 0.2;
    Value c = -65.0;     // mV
    Value d = 8.0;
    Value I_e = 0.0;     // constant bias current
    Value v_init = -65.0;  // mV
    std::optional<Value> u_init;  // default: b * v_init
    double v_peak = 30.0;  // mV
    Scheme scheme = Scheme::published;

    /// The heterogeneous populations of the paper's 1000-neuron network. Each neuron i
    /// draws one r ~ U(0, 1), and it shapes two parameters at once:
    ///   excitatory: a = 0.02, b = 0.2, c = -65 + 15 r^2, d = 8 - 6 r^2 (RS to CH);
    ///   inhibitory: a = 0.02 + 0.08 r, b = 0.25 - 0.05 r, c = -65, d = 2 (FS to LTS).
    /// r comes from the counter-based RNG keyed by (seed, "variate:<population>:r", i):
    /// the same numbers as a YAML model's `variates: {r: {uniform: [0, 1]}}` on a
    /// population of that name, on every platform.
    static params paper_2003(bool excitatory, std::uint32_t n, std::uint64_t seed,
                             std::string_view population) {
      params r = preset(Preset::RS);
      const std::uint32_t stream =
          detail::stream_id(std::string("variate:") + std::string(population) + ":r");
      std::vector<double> first(n), second(n);
      for (std::uint32_t i = 0; i < n; ++i) {
        const auto bits = detail::CounterRng(seed, stream, i).block(0);
        const double x = detail::to_unit_open(bits.v[0], bits.v[1]);
        first[i] = excitatory ? -65.0 + 15.0 * (x * x) : 0.02 + 0.08 * x;
        second[i] = excitatory ? 8.0 - 6.0 * (x * x) : 0.25 - 0.05 * x;
      }
      if (excitatory) {
        r.c = std::move(first);
        r.d = std::move(second);
      } else {
        r.a = std::move(first);
        r.b = std::move(second);
        r.c = -65.0;
        r.d = 2.0;
      }
      return r;
    }

    static params preset(Preset p) {
      params r;
      switch (p) {
        case Preset::RS: r.a = 0.02; r.b = 0.2; r.c = -65.0; r.d = 8.0; break;
        case Preset::IB: r.a = 0.02; r.b = 0.2; r.c = -55.0; r.d = 4.0; break;
        case Preset::CH: r.a = 0.02; r.b = 0.2; r.c = -50.0; r.d = 2.0; break;
        case Preset::FS: r.a = 0.1; r.b = 0.2; r.c = -65.0; r.d = 2.0; break;
        case Preset::LTS: r.a = 0.02; r.b = 0.25; r.c = -65.0; r.d = 2.0; break;
        case Preset::TC: r.a = 0.02; r.b = 0.25; r.c = -65.0; r.d = 0.05; break;
        case Preset::RZ: r.a = 0.1; r.b = 0.26; r.c = -65.0; r.d = 2.0; break;
      }
      return r;
    }
  };

  struct derived {
    double h;
    double v_peak;
    Scheme scheme;
  };

  enum Real { v, u, a, b, c, d, I_e, n_real_ };
  static constexpr int n_real = n_real_;
  static constexpr int n_int = 0;
  static constexpr std::array<std::string_view, n_real> real_names{"v", "u", "a", "b",
                                                                   "c", "d", "I_e"};
  static constexpr std::array<ReceptorInfo, 1> receptors{
      ReceptorInfo{"I", ReceptorKind::current_pulse, "pA"}};
  static constexpr std::array<Recordable, n_real> recordables{
      Recordable{"v", "mV"}, {"u", ""}, {"a", ""}, {"b", ""}, {"c", "mV"}, {"d", ""},
      {"I_e", "pA"}};
  static constexpr bool vectorize = true;
  using view = Columns<n_real, n_int>;

  static constexpr std::array<std::string_view, 7> preset_names{"RS", "IB", "CH", "FS",
                                                                "LTS", "TC", "RZ"};
  static constexpr std::array<std::string_view, 2> scheme_names{"published", "euler"};
  static constexpr std::array<Param<params>, 10> parameters{
      custom<params>("preset", "", "none",
                     "sets a, b, c, d to the paper's Fig. 2 values first; the other keys "
                     "apply on top",
                     preset_names),
      per_neuron("a", &params::a, Dimension::none, "time scale of u (per ms)"),
      per_neuron("b", &params::b, Dimension::none, "sensitivity of u to v"),
      per_neuron("c", &params::c, Dimension::voltage, "after-spike reset of v"),
      per_neuron("d", &params::d, Dimension::none, "after-spike increment of u"),
      per_neuron("I_e", &params::I_e, Dimension::current, "constant bias current"),
      per_neuron("v_init", &params::v_init, Dimension::voltage, "initial v"),
      optional_per_neuron("u_init", &params::u_init, Dimension::none, "b * v_init",
                          "initial u"),
      scalar("v_peak", &params::v_peak, Dimension::voltage, Check::finite,
             "spike cut-off: v >= v_peak is a spike"),
      choice<&params::scheme>("scheme", scheme_names,
                              "published (two half steps of v, as in the paper) or euler")};

  static derived derive(const params& p, double dt, const std::string& pop) {
    check_parameters(parameters, p, pop);
    return derived{dt, p.v_peak, p.scheme};
  }

  template <typename Filler>
  static void init(const params& p, const derived&, Filler& fill) {
    fill.real(a, p.a, "a");
    fill.real(b, p.b, "b");
    fill.real(c, p.c, "c");
    fill.real(d, p.d, "d");
    fill.real(I_e, p.I_e, "I_e");
    fill.real(v, p.v_init, "v_init");
    if (p.u_init) {
      fill.real(u, *p.u_init, "u_init");
    } else {
      auto& uu = fill.column(u);
      const auto& vv = fill.column(v);
      const auto& bb = fill.column(b);
      for (std::size_t i = 0; i < uu.size(); ++i) uu[i] = bb[i] * vv[i];
    }
  }

  template <typename Input>
  SPIKEQ_HD static bool step(const derived& dd, const view& s, std::uint32_t i,
                             const Input& in, double i_ext, const StepContext&) {
    double vv = s.real[v][i];
    double uu = s.real[u][i];
    const double I = in[0] + s.real[I_e][i] + i_ext;
    const double aa = s.real[a][i];
    const double bb = s.real[b][i];
    if (dd.scheme == Scheme::published) {
      const double half = 0.5 * dd.h;
      vv += half * (0.04 * vv * vv + 5.0 * vv + 140.0 - uu + I);
      vv += half * (0.04 * vv * vv + 5.0 * vv + 140.0 - uu + I);
      uu += dd.h * aa * (bb * vv - uu);
    } else {
      const double dv = dd.h * (0.04 * vv * vv + 5.0 * vv + 140.0 - uu + I);
      const double du = dd.h * aa * (bb * vv - uu);
      vv += dv;
      uu += du;
    }
    const double reset_v = s.real[c][i];
    const double jump_u = s.real[d][i];
    const bool fired = vv >= dd.v_peak;
    s.real[v][i] = fired ? reset_v : vv;
    s.real[u][i] = fired ? uu + jump_u : uu;
    return fired;
  }

  SPIKEQ_HD static double read(const derived&, const view& s, int var, std::uint32_t i) {
    return s.real[var][i];
  }
};

}  // namespace spikeq::neurons
