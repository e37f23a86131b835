// The ELM weight file: sizes and constants from /config attributes, trained tensors from
// /params, input routing from /routing. Derived constants stored beside them (kappa_*,
// memory gains) are not read: the kernel derives them per precision from the trained
// values, so a file only needs what training produced.
#include <cmath>

#include "datasets.hpp"
#include "attributes.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "groups.hpp"
#include "spikeq/io/isolated_read.hpp"
#include "spikeq/core/errors.hpp"
#include "spikeq/io/elm_weights.hpp"

namespace spikeq::io {
namespace {

using hdf5::Where;

/// v, after checking that every value is finite: a NaN or an infinity among trained
/// weights would turn every neuron's state into NaN without a word.
std::vector<double> finite_values(std::vector<double> v, const Where& at) {
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (!std::isfinite(v[k])) {
      hdf5::fail(at, "holds " + spikeq::detail::format_number(v[k]) + " at index " + std::to_string(k) +
                         "; every value must be finite");
    }
  }
  return v;
}

class ElmFile {
 public:
  explicit ElmFile(std::string path) : path_(std::move(path)), file_(hdf5::open_file(path_)) {}

  hdf5::Group group(const std::string& p) const {
    return hdf5::open_group(file_.get(), p, Where{path_, p});
  }

  /// A dataset of floats with exactly `shape`.
  std::vector<double> floats(const std::string& p, std::vector<hsize_t> shape) const {
    const Where at{path_, p};
    const hdf5::Dataset d = hdf5::open_dataset(file_.get(), p, at);
    check_shape(d.get(), shape, at);
    return finite_values(hdf5::read_doubles(d.get(), at), at);
  }
  std::vector<std::int64_t> integers(const std::string& p, hsize_t n) const {
    const Where at{path_, p};
    const hdf5::Dataset d = hdf5::open_dataset(file_.get(), p, at);
    check_shape(d.get(), {n}, at);
    return hdf5::read_integers(d.get(), at);
  }
  std::uint32_t size(const hdf5::Group& g, const std::string& gpath, const char* name) const {
    const auto v = hdf5::read_u64(g.get(), name, Where{path_, gpath});
    if (!v) hdf5::fail(Where{path_, hdf5::attribute_path(gpath, name)}, "attribute missing");
    if (*v == 0 || *v > 0x7fffffffu) {
      hdf5::fail(Where{path_, hdf5::attribute_path(gpath, name)},
                 "must be between 1 and 2^31 - 1, found " + std::to_string(*v));
    }
    return static_cast<std::uint32_t>(*v);
  }
  double number(const hdf5::Group& g, const std::string& gpath, const char* name,
                double fallback) const {
    const auto v = hdf5::read_f64(g.get(), name, Where{path_, gpath});
    if (v && !std::isfinite(*v)) {
      hdf5::fail(Where{path_, hdf5::attribute_path(gpath, name)},
                 "is " + spikeq::detail::format_number(*v) + "; it must be finite");
    }
    return v ? *v : fallback;
  }
  std::string text(const hdf5::Group& g, const std::string& gpath, const char* name,
                   const std::string& fallback) const {
    const auto v = hdf5::read_string(g.get(), name, Where{path_, gpath});
    return v ? *v : fallback;
  }
  const std::string& path() const { return path_; }

 private:
  static void check_shape(hid_t d, const std::vector<hsize_t>& shape, const Where& at) {
    const auto dims = hdf5::dimensions(d, at);
    if (dims != shape) {
      auto show = [](const std::vector<hsize_t>& s) {
        std::string out = "(";
        for (std::size_t k = 0; k < s.size(); ++k) out += (k ? ", " : "") + std::to_string(s[k]);
        return out + ")";
      };
      hdf5::fail(at, "has shape " + show(dims) + ", expected " + show(shape));
    }
  }

  std::string path_;
  hdf5::File file_;
};

neurons::ElmActivation activation_of(const std::string& name, const Where& at) {
  if (name == "silu") return neurons::ElmActivation::silu;
  if (name == "relu") return neurons::ElmActivation::relu;
  if (name == "none" || name == "identity") return neurons::ElmActivation::none;
  hdf5::fail(at, "unknown activation '" + name + "' (known: silu, relu, none)");
}

std::shared_ptr<const neurons::ElmWeights> read_weights_file(const std::string& path) {
  const hdf5::QuietErrors quiet;
  const ElmFile f(path);
  auto w = std::make_shared<neurons::ElmWeights>();
  w->source = path;
  const hdf5::Group config = f.group("/config");
  const std::string cp = "/config";
  const std::string version = f.text(config, cp, "model_version", "v1");
  if (version != "v1") {
    hdf5::fail(Where{path, hdf5::attribute_path(cp, "model_version")},
               "is '" + version + "'; spikeq reads trained v1 models (v1 and v2 equations run them)");
  }
  w->num_input = f.size(config, cp, "num_input");
  w->num_branch = f.size(config, cp, "num_branch");
  w->synapses_per_branch = f.size(config, cp, "num_synapse_per_branch");
  w->num_memory = f.size(config, cp, "num_memory");
  w->lambda = f.number(config, cp, "lambda_value", w->lambda);
  w->delta_t = f.number(config, cp, "delta_t", w->delta_t);
  w->tau_min = f.number(config, cp, "memory_tau_min", w->tau_min);
  w->tau_max = f.number(config, cp, "memory_tau_max", w->tau_max);
  w->tanh_inner = f.number(config, cp, "custom_tanh_inner_scale", w->tanh_inner);
  w->tanh_outer = f.number(config, cp, "custom_tanh_outer_scale", w->tanh_outer);
  w->soma_scale = f.number(config, cp, "y_train_soma_scale", w->soma_scale);
  w->soma_bias = f.number(config, cp, "y_train_soma_bias_mV", w->soma_bias);
  const hsize_t N = w->num_input, B = w->num_branch, M = w->num_memory;
  const hsize_t S = hsize_t{w->num_branch} * w->synapses_per_branch;

  // The trained parameter through ReLU, as the model's w_s property computes it.
  for (double p : f.floats("/params/proto_w_s", {S})) w->w_s.push_back(p > 0.0 ? p : 0.0);
  w->tau_s = f.floats("/params/tau_s", {S});
  w->tau_b = f.floats("/params/tau_b", {B});
  w->proto_tau_m = f.floats("/params/proto_tau_m", {M});

  const hdf5::Group mlp = f.group("/params/mlp");
  const std::uint32_t layers = f.size(mlp, "/params/mlp", "num_linear_layers");
  hsize_t width = B + M;
  for (std::uint32_t l = 0; l < layers; ++l) {
    const std::string gp = "/params/mlp/layer" + std::to_string(l);
    const hdf5::Group g = f.group(gp);
    const Where at{path, gp + "/weight"};
    const hdf5::Dataset d = hdf5::open_dataset(mlp.get(), "layer" + std::to_string(l) + "/weight", at);
    const auto dims = hdf5::dimensions(d.get(), at);
    if (dims.size() != 2 || dims[1] != width) {
      hdf5::fail(at, "must be (out, " + std::to_string(width) + ")");
    }
    neurons::ElmLayer L;
    L.out = static_cast<std::uint32_t>(dims[0]);
    L.in = static_cast<std::uint32_t>(width);
    L.weight = finite_values(hdf5::read_doubles(d.get(), at), at);
    L.bias = f.floats(gp + "/bias", {dims[0]});
    L.activation = activation_of(f.text(g, gp, "activation", l + 1 == layers ? "none" : ""),
                                 Where{path, hdf5::attribute_path(gp, "activation")});
    w->mlp.push_back(std::move(L));
    width = dims[0];
  }
  w->readout.out = 2;
  w->readout.in = w->num_memory;
  w->readout.weight = f.floats("/params/w_y/weight", {2, M});
  w->readout.bias = f.floats("/params/w_y/bias", {2});

  for (std::int64_t v : f.integers("/routing/input_to_synapse_indices", S)) {
    if (v < 0 || v >= static_cast<std::int64_t>(N)) {
      hdf5::fail(Where{path, "/routing/input_to_synapse_indices"},
                 "holds input " + std::to_string(v) + " outside [0, " + std::to_string(N) + ")");
    }
    w->synapse_input.push_back(static_cast<std::uint32_t>(v));
  }
  for (std::int64_t v : f.integers("/routing/valid_indices_mask", S)) {
    w->synapse_valid.push_back(v != 0 ? 1 : 0);
  }
  for (std::int64_t v : f.integers("/routing/input_sign", N)) {
    if (v != 1 && v != -1) {
      hdf5::fail(Where{path, "/routing/input_sign"}, "holds " + std::to_string(v) + "; expected +1 or -1");
    }
    w->input_sign.push_back(static_cast<std::int8_t>(v));
  }
  try {
    w->check();
  } catch (const Error& e) {
    hdf5::fail(Where{path, ""}, e.what());
  }
  return w;
}

}  // namespace

std::shared_ptr<const neurons::ElmWeights> read_elm_weights(const std::string& path) {
  read_in_child(path, [&] { (void)read_weights_file(path); });
  return read_weights_file(path);
}

}  // namespace spikeq::io
