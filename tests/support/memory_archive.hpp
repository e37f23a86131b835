#pragma once
// A StateArchive in memory: save into one, then restore from it (tests of checkpoints
// without files).
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "spikeq/core/checkpoint.hpp"

namespace spikeq::test {

class MemoryArchive final : public StateArchive {
 public:
  [[nodiscard]] bool saving() const override { return saving_; }
  /// From now on, hand the stored arrays back.
  void rewind() { saving_ = false; }

  void array(const std::string& n, std::vector<double>& d, bool f) override { move(n, d, f); }
  void array(const std::string& n, std::vector<float>& d, bool f) override { move(n, d, f); }
  void array(const std::string& n, std::vector<std::int64_t>& d, bool f) override { move(n, d, f); }
  void array(const std::string& n, std::vector<std::uint64_t>& d, bool f) override { move(n, d, f); }
  void array(const std::string& n, std::vector<std::int32_t>& d, bool f) override { move(n, d, f); }
  void array(const std::string& n, std::vector<std::uint32_t>& d, bool f) override { move(n, d, f); }

  [[nodiscard]] std::size_t size() const { return store_.size(); }

  /// The stored array `name` of type T, to forge a damaged checkpoint in tests.
  template <typename T>
  std::vector<T>& stored(const std::string& name) {
    return std::get<std::vector<T>>(store_.at(name));
  }

 private:
  using Any = std::variant<std::vector<double>, std::vector<float>, std::vector<std::int64_t>,
                           std::vector<std::uint64_t>, std::vector<std::int32_t>,
                           std::vector<std::uint32_t>>;

  template <typename T>
  void move(const std::string& name, std::vector<T>& data, bool fixed) {
    if (saving_) {
      if (!store_.emplace(name, data).second) throw std::logic_error("array saved twice: " + name);
      return;
    }
    const auto it = store_.find(name);
    if (it == store_.end()) throw std::runtime_error("no array " + name);
    const auto& stored = std::get<std::vector<T>>(it->second);
    if (fixed && stored.size() != data.size()) {
      throw std::runtime_error(name + ": stored " + std::to_string(stored.size()) +
                               " values, expected " + std::to_string(data.size()));
    }
    data = stored;
  }

  bool saving_ = true;
  std::map<std::string, Any> store_;
};

}  // namespace spikeq::test
