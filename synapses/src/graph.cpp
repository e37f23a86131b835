#include "spikeq/synapses/detail/graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/cuthill_mckee_ordering.hpp>
#include <utility>

namespace spikeq::detail {

void degrees(const ProjectionCsr& csr, std::vector<std::uint64_t>& in_degree,
             std::vector<std::uint64_t>& out_degree) {
  // Sources are vertices [0, n_source), targets [n_source, n_source + tiles.size).
  using Graph = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property,
                                                   boost::no_property, boost::no_property,
                                                   std::uint64_t, std::uint64_t>;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> edges;
  edges.reserve(csr.size());
  for_each_synapse(csr, [&](std::uint32_t s, std::uint32_t t, DelaySteps, std::uint64_t) {
    edges.emplace_back(s, std::uint64_t{csr.n_source} + t);
  });
  const Graph g(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                std::uint64_t{csr.n_source} + csr.tiles.size);
  out_degree.resize(csr.n_source);
  in_degree.resize(csr.tiles.size);
  for (std::uint32_t s = 0; s < csr.n_source; ++s) {
    out_degree[s] = boost::out_degree(std::uint64_t{s}, g);
  }
  for (std::uint32_t t = 0; t < csr.tiles.size; ++t) {
    in_degree[t] = boost::in_degree(std::uint64_t{csr.n_source} + t, g);
  }
}

std::vector<std::uint32_t> cuthill_mckee_order(std::uint32_t n,
                                               const std::vector<const SynapseCoo*>& recurrent) {
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::undirectedS,
      boost::property<boost::vertex_color_t, boost::default_color_type,
                      boost::property<boost::vertex_degree_t, int>>>;
  Graph g(n);
  for (const SynapseCoo* list : recurrent) {
    for (std::uint64_t k = 0; k < list->size(); ++k) {
      if (list->sources[k] != list->targets[k]) {
        boost::add_edge(list->sources[k], list->targets[k], g);
      }
    }
  }
  std::vector<Graph::vertex_descriptor> old_of_new(n);
  boost::cuthill_mckee_ordering(g, old_of_new.rbegin(), boost::get(boost::vertex_color, g),
                                boost::make_degree_map(g));
  std::vector<std::uint32_t> new_of_old(n);
  for (std::uint32_t k = 0; k < n; ++k) {
    new_of_old[old_of_new[k]] = k;
  }
  return new_of_old;
}

}  // namespace spikeq::detail
