// The model catalog: the registry's models with their parameter tables, as data and as
// the Markdown and text that the docs and `spikeq models` print.
#include "spikeq/io/model_catalog.hpp"

#include <algorithm>
#include <span>
#include <sstream>
#include <string_view>
#include <type_traits>
#include <utility>

#include "spikeq/neurons/registry.hpp"

namespace spikeq::io {
namespace {

std::string dimension_word(Dimension d) {
  switch (d) {
    case Dimension::none: return "plain";
    case Dimension::time: return "time";
    case Dimension::voltage: return "voltage";
    case Dimension::current: return "current";
    case Dimension::conductance: return "conductance";
    case Dimension::capacitance: return "capacitance";
    case Dimension::rate: return "rate";
  }
  return "?";
}

/// "`published` or `euler`" for a choice of names.
std::string names_text(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (k > 0) out.append(k + 1 == names.size() ? " or " : ", ");
    out.append("`").append(names[k]).append("`");
  }
  return out;
}

template <typename P>
std::string type_of(const neurons::Param<P>& q) {
  if (!q.choices.empty()) return names_text(q.choices);
  return q.kind == neurons::ParamKind::custom ? std::string(q.type_text)
                                              : dimension_word(q.dimension);
}

std::string with_unit(double v, Dimension d) {
  std::string text = spikeq::detail::format_number(v);
  const std::string_view unit = dimension_unit(d);
  if (!unit.empty()) text.append(" ").append(unit);
  return text;
}

/// The default of entry I of a model's table: the params struct's own member initialiser
/// ("-70 mV", "published"), or the table's text where there is none to show.
template <typename M, std::size_t I>
std::string default_of() {
  using neurons::ParamKind;
  static constexpr auto q = M::parameters[I];
  const typename M::params defaults{};
  if constexpr (q.kind == ParamKind::scalar) {
    return with_unit(defaults.*q.scalar, q.dimension);
  } else if constexpr (q.kind == ParamKind::per_neuron) {
    const Value& v = defaults.*q.value;
    return v.is_constant() ? with_unit(v.constant(), q.dimension) : std::string("per neuron");
  } else if constexpr (q.kind == ParamKind::choice) {
    return std::string(q.choices[static_cast<std::size_t>(q.get_choice(defaults))]);
  } else if constexpr (q.kind == ParamKind::custom && q.scalar != nullptr) {
    return with_unit(defaults.*q.scalar, q.dimension);
  } else {
    return std::string(q.default_text);
  }
}

template <typename M>
ModelInfo info_of() {
  ModelInfo m;
  m.name = std::string(M::name);
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (m.parameters.push_back({std::string(M::parameters[I].key), type_of(M::parameters[I]),
                             default_of<M, I>(), M::parameters[I].varies_per_neuron(),
                             std::string(M::parameters[I].description)}),
     ...);
  }(std::make_index_sequence<M::parameters.size()>{});
  for (const auto& r : M::recordables) {
    m.recordables.push_back({std::string(r.name), std::string(r.unit)});
  }
  for (const auto& r : M::receptors) {
    m.receptors.push_back(std::string(r.name) + " (" + std::string(r.weight_unit) + ")");
  }
  return m;
}

}  // namespace

std::vector<ModelInfo> model_catalog() {
  std::vector<ModelInfo> out;
  neurons::for_each_model(neurons::Models{}, [&]<typename M>(std::type_identity<M>) {
    out.push_back(info_of<M>());
  });
  return out;
}

std::string model_catalog_markdown() {
  std::ostringstream s;
  bool first = true;
  for (const ModelInfo& m : model_catalog()) {
    if (!first) s << "\n";
    first = false;
    s << "**`" << m.name << "`**\n\n";
    s << "| key | type | default | per neuron | meaning |\n|---|---|---|---|---|\n";
    for (const ParameterInfo& p : m.parameters) {
      s << "| `" << p.key << "` | " << p.type << " | " << p.default_value << " | "
        << (p.per_neuron ? "yes" : "no") << " | " << p.description << " |\n";
    }
    s << "\nRecordables: ";
    if (m.recordables.empty()) s << "none";
    for (std::size_t k = 0; k < m.recordables.size(); ++k) {
      const RecordableInfo& r = m.recordables[k];
      s << (k ? ", " : "") << "`" << r.name << "`" << (r.unit.empty() ? "" : " (" + r.unit + ")");
    }
    s << ". Receptors: ";
    if (m.receptors.empty()) s << "none";
    for (std::size_t k = 0; k < m.receptors.size(); ++k) s << (k ? ", " : "") << m.receptors[k];
    s << ".\n";
  }
  return s.str();
}

std::string model_summary_text(const ModelInfo& m) {
  std::ostringstream s;
  s << m.name << "\n";
  std::size_t key_width = 0, default_width = 0;
  for (const ParameterInfo& p : m.parameters) {
    key_width = std::max(key_width, p.key.size());
    default_width = std::max(default_width, p.default_value.size());
  }
  for (const ParameterInfo& p : m.parameters) {
    s << "  " << p.key << std::string(key_width - p.key.size() + 2, ' ') << p.default_value
      << std::string(default_width - p.default_value.size() + 2, ' ')
      << (p.per_neuron ? "per neuron  " : "            ") << p.description << "\n";
  }
  s << "  recordables:";
  if (m.recordables.empty()) s << " none";
  for (const RecordableInfo& r : m.recordables) {
    s << " " << r.name << (r.unit.empty() ? "" : " (" + r.unit + ")");
  }
  s << "\n  receptors:";
  if (m.receptors.empty()) s << " none";
  for (const std::string& r : m.receptors) s << " " << r;
  s << "\n";
  return s.str();
}

}  // namespace spikeq::io
