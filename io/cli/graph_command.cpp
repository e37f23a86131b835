// spikeq graph: the population/projection graph written with Boost.Graph's Graphviz writer.
// GCC 12 reports a false maybe-uninitialized inside Boost's edge iterator (an optional
// it cannot see through) when write_graphviz is instantiated; nothing here is uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

#include <sstream>
#include <variant>

#include "commands.hpp"
#include "model_loading.hpp"
#include "spikeq/io/pending_file.hpp"

namespace spikeq::cli {
namespace {

struct PopulationVertex {
  std::string label;
};
struct ProjectionEdge {
  std::string label;
};
using ModelGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                         PopulationVertex, ProjectionEdge>;

std::string rule_name(const ConnectionRule& r) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, connect::AllToAll>) return "all_to_all";
        if constexpr (std::is_same_v<T, connect::OneToOne>) return "one_to_one";
        if constexpr (std::is_same_v<T, connect::FixedProbability>) return "p = " + detail::format_number(x.p);
        if constexpr (std::is_same_v<T, connect::FixedIndegree>) return "indegree " + std::to_string(x.k);
        if constexpr (std::is_same_v<T, connect::FixedOutdegree>) return "outdegree " + std::to_string(x.k);
        if constexpr (std::is_same_v<T, connect::Explicit>) return std::to_string(x.sources.size()) + " listed";
      },
      r);
}

std::string model_name(const NeuronModel& m) {
  return std::visit([](const auto& p) { return std::string(model_of_t<std::decay_t<decltype(p)>>::name); }, m);
}

}  // namespace

int graph_command(const ModelArgs& args, const std::string& output) {
  int failure = kInvalid;
  const std::optional<io::LoadedModel> model = load_checked(args, nullptr, &failure);
  if (!model) return failure;
  const Network& net = model->network;
  ModelGraph g;
  for (const PopulationSpec& p : net.populations()) {
    boost::add_vertex(PopulationVertex{p.name + "\\n" + std::to_string(p.size) + " " + model_name(p.model)}, g);
  }
  for (const ProjectionSpec& p : net.projections()) {
    boost::add_edge(p.source.index, p.target.index,
                    ProjectionEdge{rule_name(p.rule) + "\\nw " + p.synapse.weight.describe() +
                                   (p.synapse.receptor.empty() ? "" : " (" + p.synapse.receptor + ")") +
                                   "\\nd " + p.synapse.delay.describe() + " ms"},
                    g);
  }
  std::ostringstream dot;
  boost::write_graphviz(dot, g, boost::make_label_writer(boost::get(&PopulationVertex::label, g)),
                        boost::make_label_writer(boost::get(&ProjectionEdge::label, g)));
  try {
    io::write_whole_file(output, dot.str(), "graph");
  } catch (const Error& e) {
    report_error(e.what());
    return kRuntimeFailure;
  }
  std::printf("wrote %s (%zu populations, %zu projections)\n", output.c_str(),
              net.populations().size(), net.projections().size());
  return kOk;
}

}  // namespace spikeq::cli
