#include "model_loading.hpp"

#include <cstdio>

#include "spikeq/core/simulation.hpp"

namespace spikeq::cli {

void report_error(const std::string& message) {
  std::fprintf(stderr, "spikeq: error: %s\n", message.c_str());
}

std::optional<io::LoadedModel> load_checked(const ModelArgs& args,
                                            std::optional<ValidationReport>* report,
                                            int* exit_code) {
  if (exit_code) *exit_code = kInvalid;
  io::ModelFileOptions options;
  options.set = args.set;
  options.seed = args.seed;
  options.variant = args.variant;
  std::optional<io::LoadedModel> model;
  try {
    model = io::load_model_file(args.model, options);
  } catch (const io::FileError& e) {
    report_error(e.what());
    return std::nullopt;
  } catch (const io::ModelError& e) {
    report_error(e.what());
    return std::nullopt;
  }
  try {
    const ValidationReport r = validate(model->network, model->options);
    if (report) *report = r;
  } catch (const CapacityError& e) {
    report_error(e.what());
    if (exit_code) *exit_code = kRuntimeFailure;
    return std::nullopt;
  } catch (const Error& e) {
    report_error(io::locate(e, *model).what());
    return std::nullopt;
  }
  return model;
}


}  // namespace spikeq::cli
