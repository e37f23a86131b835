// Writes the binary seed inputs of the HDF5 harnesses into corpus/<harness>/ of the folder
// given (tests/fuzz): small files in each reader's layout, made with the test suite's
// fixture writers, the HDF5 C API and spikeq's checkpoint writer (checkpoint_model.yaml).
// Built on request only: cmake --build build --target fuzz_make_seeds (README.md).
#include <hdf5.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "../io/replay/replay_fixtures.hpp"
#include "../neurons/elm/elm_synthetic.hpp"
#include "spikeq/io/checkpoint.hpp"
#include "spikeq/io/model_file.hpp"

namespace fs = std::filesystem;
using namespace spikeq;

namespace {

/// Moves a fixture written to the temporary folder to its place in the corpus.
void place(const std::string& written, const fs::path& corpus, const std::string& harness,
           const std::string& name) {
  fs::create_directories(corpus / harness);
  fs::copy_file(written, corpus / harness / name, fs::copy_options::overwrite_existing);
  fs::remove(written);
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& v,
                   std::vector<hsize_t> shape) {
  const hid_t space = H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr);
  const hid_t d = H5Dcreate2(parent, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT);
  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Dclose(d);
  H5Sclose(space);
}

template <typename T>
void write_integers(hid_t parent, const std::string& name, const std::vector<T>& v) {
  std::vector<std::int64_t> wide(v.begin(), v.end());
  spikeq::test::write_1d(parent, name.c_str(), H5T_STD_I64LE, H5T_NATIVE_INT64, wide);
}

void write_attribute(hid_t object, const char* name, std::int64_t value) {
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(object, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT64, &value);
  H5Aclose(a);
  H5Sclose(space);
}

/// A small synthetic ELM in the reference export's layout (docs/models/elm_neuronio.md).
std::string elm_file(const neurons::ElmWeights& w) {
  const std::string path = spikeq::test::temp_path("fuzz_elm.h5");
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t config = H5Gcreate2(f, "config", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  spikeq::test::write_string_attribute(config, "model_version", "v1");
  write_attribute(config, "num_input", w.num_input);
  write_attribute(config, "num_branch", w.num_branch);
  write_attribute(config, "num_synapse_per_branch", w.synapses_per_branch);
  write_attribute(config, "num_memory", w.num_memory);
  const hid_t params = H5Gcreate2(f, "params", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_doubles(params, "proto_w_s", w.w_s, {w.w_s.size()});
  write_doubles(params, "tau_s", w.tau_s, {w.tau_s.size()});
  write_doubles(params, "tau_b", w.tau_b, {w.tau_b.size()});
  write_doubles(params, "proto_tau_m", w.proto_tau_m, {w.proto_tau_m.size()});
  const hid_t mlp = H5Gcreate2(params, "mlp", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_attribute(mlp, "num_linear_layers", static_cast<std::int64_t>(w.mlp.size()));
  for (std::size_t l = 0; l < w.mlp.size(); ++l) {
    const neurons::ElmLayer& L = w.mlp[l];
    const hid_t g = H5Gcreate2(mlp, ("layer" + std::to_string(l)).c_str(), H5P_DEFAULT, H5P_DEFAULT,
                               H5P_DEFAULT);
    write_doubles(g, "weight", L.weight, {L.out, L.in});
    write_doubles(g, "bias", L.bias, {L.out});
    spikeq::test::write_string_attribute(g, "activation", L.activation == neurons::ElmActivation::silu ? "silu" : "none");
    H5Gclose(g);
  }
  const hid_t readout = H5Gcreate2(params, "w_y", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_doubles(readout, "weight", w.readout.weight, {2, w.num_memory});
  write_doubles(readout, "bias", w.readout.bias, {2});
  const hid_t routing = H5Gcreate2(f, "routing", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  write_integers(routing, "input_to_synapse_indices", w.synapse_input);
  write_integers(routing, "valid_indices_mask", w.synapse_valid);
  write_integers(routing, "input_sign", w.input_sign);
  for (hid_t g : {routing, readout, mlp, params, config}) H5Gclose(g);
  H5Fclose(f);
  return path;
}

/// A SONATA spike file with chunked datasets (as spikeq writes them, in chunks of 4 here
/// rather than spikeq's 2 MB of preallocated chunks), node_ids deflated: the chunk index
/// and the filter pipeline are parsed too.
std::string chunked_sonata_file() {
  const std::string path = spikeq::test::temp_path("fuzz_sonata_chunked.h5");
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t spikes = H5Gcreate2(f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t g = H5Gcreate2(spikes, "exc", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const std::vector<double> times = {0.1, 0.5, 0.5, 2.0, 2.5, 3.0};
  const std::vector<std::uint64_t> ids = {0, 3, 1, 2, 2, 0};
  const hsize_t n = times.size(), chunk = 4, unlimited = H5S_UNLIMITED;
  const hid_t space = H5Screate_simple(1, &n, &unlimited);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &chunk);
  const hid_t t = H5Dcreate2(g, "timestamps", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  H5Dwrite(t, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, times.data());
  spikeq::test::write_string_attribute(t, "units", "ms");
  H5Pset_deflate(dcpl, 6);
  const hid_t u = H5Dcreate2(g, "node_ids", H5T_STD_U64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  H5Dwrite(u, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids.data());
  H5Dclose(u);
  H5Dclose(t);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Gclose(g);
  H5Gclose(spikes);
  H5Fclose(f);
  return path;
}

/// A checkpoint of checkpoint_model.yaml after 5 ms, which fuzz_checkpoint restores.
std::string checkpoint_file(const fs::path& folder) {
  const std::string model_path = (folder / "checkpoint_model.yaml").string();
  const io::LoadedModel model = io::load_model_file(model_path);
  Simulation sim(model.network, model.options);
  sim.run(5.0);
  const std::string path = spikeq::test::temp_path("fuzz_checkpoint.h5");
  io::write_checkpoint(sim, path, {.model_yaml = model.resolved_yaml, .model_file = "checkpoint_model.yaml"});
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds TESTS_FUZZ_FOLDER\n");
    return 2;
  }
  const fs::path folder = argv[1];
  const fs::path corpus = folder / "corpus";
  using spikeq::test::ShdSampleData;
  place(spikeq::test::sonata_file("fuzz_sonata_ms.h5", "exc", {0.1, 0.2, 0.2, 1.5, 7.0}, {0, 2, 1, 0, 3}),
        corpus, "replay_sonata", "fixture_ms.h5");
  place(spikeq::test::sonata_file("fuzz_sonata_s.h5", "in", {0.001, 0.0025}, {1, 0}, "s"), corpus,
        "replay_sonata", "fixture_s.h5");
  place(chunked_sonata_file(), corpus, "replay_sonata", "chunked.h5");
  place(spikeq::test::shd_file("fuzz_shd.h5",
                               {ShdSampleData{{0.001f, 0.002f, 0.004f}, {3, 1, 699}},
                                ShdSampleData{{}, {}},
                                ShdSampleData{{0.0005f}, {0}}},
                               {2, 0, 19}),
        corpus, "replay_shd", "three_samples.h5");
  place(spikeq::test::nwb_file("fuzz_nwb.h5", {{0, {0.001, 0.003}}, {7, {}}, {2, {0.0005, 0.0005, 0.01}}}),
        corpus, "replay_nwb", "three_units.h5");
  place(elm_file(*spikeq::test::synthetic_elm(6, 2, 4, 3, 4)), corpus, "elm_weights", "synthetic.h5");
  place(checkpoint_file(folder), corpus, "checkpoint", "after_5ms.h5");
  std::printf("seeds written under %s\n", corpus.c_str());
  return 0;
}
