// Continual learning (io/continual.hpp): the image spike stream, ACC and BWT, the checks,
// and reduced versions of the zoo's HLOP models: HLOP forgets less than the same network
// without it, and the serial and tbb backends give the same bits.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "../../support/prerequisites.hpp"
#include "spikeq/io/continual.hpp"
#include "spikeq/io/model_file.hpp"
#include "spikeq/spikeq.hpp"

using namespace spikeq;

namespace {

const std::string kModels = std::string(SPIKEQ_SOURCE_DIR) + "/models/";

void require_digits() { test::require_data(io::default_dataset_path("digits"), "python3-sklearn"); }

std::vector<ReplayEvent> read_all(ReplayCursor& c, Step end, Step chunk) {
  std::vector<ReplayEvent> out;
  for (Step s = chunk; s <= end + chunk; s += chunk) c.read(s, out);
  return out;
}

struct Outcome {
  io::ContinualResult result;
  std::vector<float> readout;  // the readout's weights at the end
};

/// A zoo model, reduced by `set`, run through its task schedule.
Outcome run_model(const std::string& file, std::vector<std::string> set,
                  const std::string& backend = "serial", int threads = 0,
                  std::optional<std::string> variant = {}) {
  io::ModelFileOptions options;
  options.set = std::move(set);
  options.variant = std::move(variant);
  const io::LoadedModel m = io::load_model_file(kModels + file, options);
  SimulationOptions so = m.options;
  so.backend = backend;
  so.threads = threads;
  so.oversubscribe = true;
  Simulation sim(m.network, so);
  Outcome out;
  out.result = io::run_continual(sim, *m.continual->stream, *m.continual->data, m.continual->spec);
  out.readout = sim.weights(m.network.projection("readout"));
  return out;
}

/// The permuted-digits model cut to four tasks of 800 training samples (about 6 s for
/// both variants).
std::vector<std::string> small_permuted() {
  return {"continual.tasks.count=4", "continual.train_samples=800", "continual.test_samples=150"};
}

}  // namespace

TEST_CASE("image stream: rate coding is keyed by the presentation, not by how it is read") {
  io::ImageCoding coding;
  coding.max_rate = 200;
  coding.present = 50;
  io::ImageStream stream(coding, 3, 1.0, 7);
  const float image[3] = {1.0f, 0.25f, 0.0f};
  stream.show(image, 100, 5);
  auto whole = stream.open(1.0, 3);
  const auto a = read_all(*whole, 200, 1000);
  stream.show(image, 100, 5);
  auto pieces = stream.open(1.0, 3);
  const auto b = read_all(*pieces, 200, 3);
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k].stamp == b[k].stamp);
    CHECK(a[k].neuron == b[k].neuron);
    CHECK(a[k].stamp > 100);
    CHECK(a[k].stamp <= 150);
    CHECK(a[k].neuron != 2);  // a dark pixel never fires
    if (k > 0) CHECK((a[k - 1].stamp < a[k].stamp || a[k - 1].neuron < a[k].neuron));
  }
  stream.show(image, 100, 6);
  auto other = stream.open(1.0, 3);
  const auto c = read_all(*other, 200, 1000);
  bool differs = c.size() != a.size();
  for (std::size_t k = 0; !differs && k < a.size(); ++k) differs = a[k].stamp != c[k].stamp;
  CHECK(differs);
}

TEST_CASE("image stream: rate coding fires v max_rate dt per step on average") {
  io::ImageCoding coding;
  coding.max_rate = 100;
  coding.present = 100;
  io::ImageStream stream(coding, 2, 0.5, 1);
  const float image[2] = {0.8f, 0.3f};
  double counts[2] = {0, 0};
  constexpr int kShows = 400;
  for (int k = 0; k < kShows; ++k) {
    stream.show(image, 0, static_cast<std::uint64_t>(k));
    auto c = stream.open(0.5, 2);
    for (const ReplayEvent& e : read_all(*c, 200, 1000)) counts[e.neuron] += 1;
  }
  // Expected spikes per show: 8 and 3 (rate x 100 ms); the sd of the mean is < 2.5 %.
  CHECK(counts[0] / kShows == doctest::Approx(8.0).epsilon(0.05));
  CHECK(counts[1] / kShows == doctest::Approx(3.0).epsilon(0.08));
}

TEST_CASE("image stream: latency coding, one spike per bright pixel, brighter earlier") {
  io::ImageCoding coding;
  coding.kind = io::ImageCoding::Kind::latency;
  coding.present = 11;
  coding.threshold = 0.1;
  io::ImageStream stream(coding, 4, 1.0, 1);
  const float image[4] = {1.0f, 0.5f, 0.05f, 0.0f};
  stream.show(image, 20, 0);
  auto c = stream.open(1.0, 4);
  const auto e = read_all(*c, 40, 100);
  REQUIRE(e.size() == 2);
  CHECK(e[0].neuron == 0);
  CHECK(e[0].stamp == 21);  // intensity 1: the first step of the presentation
  CHECK(e[1].neuron == 1);
  CHECK(e[1].stamp == 26);  // intensity 0.5: halfway through the 11 steps
}

TEST_CASE("image stream: times that are not whole steps and a wrong population are errors") {
  io::ImageCoding coding;
  coding.present = 2.5;
  CHECK_THROWS_WITH_AS(io::ImageStream(coding, 4, 1.0, 1),
                       doctest::Contains("image coding: present = 2.5 ms is not a multiple of the time step dt = 1 ms"),
                       InvalidParameter);
  coding.present = 10;
  io::ImageStream stream(coding, 4, 1.0, 1);
  CHECK_THROWS_WITH_AS((void)stream.open(1.0, 5), doctest::Contains("4 pixels replayed into a population of 5"),
                       InvalidParameter);
}

TEST_CASE("ACC and BWT of an accuracy matrix") {
  const std::vector<std::vector<double>> r{{0.9, 0.1, 0.1}, {0.7, 0.8, 0.1}, {0.6, 0.5, 0.9}};
  CHECK(io::average_accuracy(r) == doctest::Approx((0.6 + 0.5 + 0.9) / 3));
  CHECK(io::backward_transfer(r) == doctest::Approx(((0.6 - 0.9) + (0.5 - 0.8)) / 2));
  CHECK(io::backward_transfer({{0.5}}) == 0.0);
}

TEST_CASE("continual: mistakes in the section are errors at their place") {
  require_digits();
  const std::string base = kModels + "hlop_permuted_digits.yaml";
  auto message_of = [&](std::vector<std::string> set) -> std::string {
    try {
      io::ModelFileOptions o;
      o.set = std::move(set);
      const io::LoadedModel m = io::load_model_file(base, o);
      io::check_continual(m.network, *m.continual->data, m.continual->spec);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(message_of({"continual.learning[1].subspace=hidden_spac"}).find("no subspace named 'hidden_spac'") !=
        std::string::npos);
  CHECK(message_of({"continual.subspaces[1].lateral=40"}).find(
            "160 lateral neurons over 5 tasks exceed the 256 neurons") == std::string::npos);
  CHECK(message_of({"continual.subspaces[1].lateral=70"}).find(
            "280 lateral neurons over 5 tasks exceed the 256 neurons of population 'hidden'") !=
        std::string::npos);
  CHECK(message_of({"continual.learning[1].subspace=pixel_space"}).find(
            "subspace 'pixel_space' is of population 'pixels', not of the projection's source 'hidden'") !=
        std::string::npos);
  CHECK(message_of({"continual.learning[0].rule=error"}).find(
            "the error rule learns projections onto the output population 'out'") != std::string::npos);
  CHECK(message_of({"continual.tasks.type=split", "continual.tasks.classes_per_task=3"}).find(
            "5 split tasks of 3 classes do not fit the 10 classes of digits") != std::string::npos);
  CHECK(message_of({"continual.dataset=mnist"}).find("continual.dataset") != std::string::npos);
  CHECK(message_of({"continual.path=/nonexistent/digits.csv.gz"}).find(
            "provided by the Debian package python3-sklearn") != std::string::npos);
  CHECK(message_of({"continual.learning[1].eta=1 mV"}).find("continual.learning[1].eta") != std::string::npos);
}

TEST_CASE("HLOP on permuted digits: forgets less than the same network without it") {
  require_digits();
  const Outcome with = run_model("hlop_permuted_digits.yaml", small_permuted());
  const Outcome without = run_model("hlop_permuted_digits.yaml", small_permuted(), "serial", 0, "no_hlop");
  MESSAGE("HLOP: ACC " << with.result.acc << " BWT " << with.result.bwt << "; without: ACC "
                       << without.result.acc << " BWT " << without.result.bwt);
  // Measured: ACC 0.787 / BWT -0.064 with HLOP, 0.553 / -0.393 without (fixed seeds).
  CHECK(with.result.bwt > without.result.bwt + 0.2);
  CHECK(with.result.acc > without.result.acc + 0.15);
  CHECK(with.result.bwt >= -0.15);
  CHECK(with.result.accuracy[0][0] > 0.5);  // it learns at all
  for (const auto& s : with.result.subspaces) {
    for (double e : s.orthogonality_consolidated) CHECK(e < 1e-12);
  }
}

TEST_CASE("HLOP on split digits with one head per task: BWT of at least -2 points") {
  require_digits();
  // The whole zoo model: about 2 s for both variants.
  const Outcome with = run_model("hlop_split_digits.yaml", {});
  const Outcome without = run_model("hlop_split_digits.yaml", {}, "serial", 0, "no_hlop");
  MESSAGE("HLOP: ACC " << with.result.acc << " BWT " << with.result.bwt << "; without: ACC "
                       << without.result.acc << " BWT " << without.result.bwt);
  // Measured: ACC 0.955 / BWT -0.007 with HLOP, 0.599 / -0.403 without.
  CHECK(with.result.bwt >= -0.02);
  CHECK(with.result.bwt > without.result.bwt + 0.2);
  CHECK(with.result.acc > without.result.acc + 0.2);
}

TEST_CASE("HLOP on permuted Fashion-MNIST: forgets less than the same network without it") {
  test::require_data(io::default_dataset_path("fashion_mnist"), "dataset-fashion-mnist");
  // Five tasks of 600 training and 200 test images, 256 hidden neurons: about 20 s.
  const std::vector<std::string> small{"continual.tasks.count=5", "continual.train_samples=600",
                                       "continual.test_samples=200", "populations[0].size=256"};
  const Outcome with = run_model("hlop_permuted_fashion.yaml", small);
  const Outcome without = run_model("hlop_permuted_fashion.yaml", small, "serial", 0, "no_hlop");
  MESSAGE("HLOP: ACC " << with.result.acc << " BWT " << with.result.bwt << "; without: ACC "
                       << without.result.acc << " BWT " << without.result.bwt);
  // Measured: ACC 0.576 / BWT +0.045 with HLOP, 0.359 / -0.101 without.
  CHECK(with.result.bwt >= -0.05);
  CHECK(with.result.bwt > without.result.bwt + 0.05);
  CHECK(with.result.acc > without.result.acc + 0.1);
}

TEST_CASE("continual learning gives the same bits on serial and tbb at any thread count") {
  require_digits();
  std::vector<std::string> tiny{"continual.tasks.count=2", "continual.train_samples=120",
                                "continual.test_samples=40", "continual.epochs=1",
                                "populations[0].size=64", "continual.subspaces[1].lateral=16"};
  const Outcome serial = run_model("hlop_permuted_digits.yaml", tiny);
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    const Outcome tbb = run_model("hlop_permuted_digits.yaml", tiny, "tbb", threads);
    CHECK(tbb.result.accuracy == serial.result.accuracy);
    CHECK(tbb.readout == serial.readout);
    CHECK(tbb.result.samples_shown == serial.result.samples_shown);
  }
  const Outcome emulated = run_model("hlop_permuted_digits.yaml", tiny, "cuda-emulated");
  CHECK(emulated.result.accuracy == serial.result.accuracy);
  CHECK(emulated.readout == serial.readout);
}

TEST_CASE("continual result files: written whole, read back") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "spikeq_continual_file";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "result.h5").string();
  io::ContinualResult r;
  r.accuracy = {{0.9, 0.2}, {0.8, 0.85}};
  r.acc = io::average_accuracy(r.accuracy);
  r.bwt = io::backward_transfer(r.accuracy);
  r.subspaces.push_back({"s", {4}, {0.01}, {1e-16}, {0.05}});
  io::ContinualSpec spec;
  spec.tasks.count = 2;
  io::RunMetadata meta;
  meta.seed = 3;
  io::write_continual_file(path, r, spec, "digits", meta, 100.0);
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
  const io::ContinualResult back = io::read_continual_file(path);
  CHECK(back.accuracy == r.accuracy);
  CHECK(back.acc == r.acc);
  CHECK(back.bwt == r.bwt);
  REQUIRE(back.subspaces.size() == 1);
  CHECK(back.subspaces[0].name == "s");
  CHECK(back.subspaces[0].rows == std::vector<std::size_t>{4});
  CHECK(back.subspaces[0].orthogonality_learned == std::vector<double>{0.01});
  CHECK(back.subspaces[0].residual == std::vector<double>{0.05});
  CHECK_THROWS_AS((void)io::read_continual_file((dir / "missing.h5").string()), io::FileError);
}
