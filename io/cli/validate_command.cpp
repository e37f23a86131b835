// spikeq validate: every check a run makes, nothing large built, and what it would need.
#include <algorithm>
#include <cstdio>

#include "commands.hpp"
#include "model_loading.hpp"
#include "spikeq/io/continual.hpp"

namespace spikeq::cli {

int validate_command(const ModelArgs& args) {
  std::optional<ValidationReport> report;
  int failure = kInvalid;
  const std::optional<io::LoadedModel> model = load_checked(args, &report, &failure);
  if (!model) return failure;
  const Network& net = model->network;
  std::printf("%s: valid\n", args.model.c_str());
  std::printf("  %zu populations, %llu neurons\n", net.populations().size(),
              static_cast<unsigned long long>(report->neurons));
  std::printf("  %zu projections, %.0f synapses%s\n", net.projections().size(), report->synapses,
              " (expected number for random rules)");
  const auto plastic = std::count_if(net.projections().begin(), net.projections().end(),
                                     [](const ProjectionSpec& p) { return p.synapse.plasticity.has_value(); });
  if (plastic > 0 || !net.modulators().empty()) {
    std::printf("  %lld plastic projections, %zu modulators, %zu weight recorders\n",
                static_cast<long long>(plastic), net.modulators().size(),
                net.weight_recorders().size());
  }
  std::printf("  %zu inputs, %zu state recorders; dt %g ms, seed %llu", net.inputs().size(),
              net.state_recorders().size(), net.dt(),
              static_cast<unsigned long long>(model->options.seed));
  if (model->duration) std::printf(", duration %g ms", *model->duration);
  if (model->continual) {
    const io::ContinualModel& c = *model->continual;
    const std::size_t rules = c.spec.learning.size(), subspaces = c.spec.subspaces.size();
    std::printf("\n  continual: %zu %s tasks of %s (%zu training, %zu test images), %zu learning "
                "rule%s, %zu subspace%s%s",
                c.spec.tasks.count,
                c.spec.tasks.kind == io::TaskSchedule::Kind::permuted ? "permuted" : "split",
                c.data->name.c_str(), c.data->train.count, c.data->test.count, rules,
                rules == 1 ? "" : "s", subspaces, subspaces == 1 ? "" : "s",
                c.spec.hlop ? "" : " (HLOP off)");
  }
  std::printf("\n  estimated memory: %s (peak while building: %s)\n",
              format_bytes(static_cast<double>(report->bytes)).c_str(),
              format_bytes(report->build_peak_bytes).c_str());
  return kOk;
}

}  // namespace spikeq::cli
