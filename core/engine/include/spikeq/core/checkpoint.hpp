#pragma once
// The state of a running Simulation as named arrays, for checkpoints. A StateArchive is
// either a sink (saving: it stores each array it is shown) or a source (restoring: it
// fills each array from its store); the Simulation walks its state once, in one fixed
// order, through the same code either way, so saving and restoring cannot drift apart.
// io/checkpoint.hpp keeps archives in HDF5 files.
#include <cstdint>
#include <string>
#include <vector>

namespace spikeq {

class StateArchive {
 public:
  virtual ~StateArchive() = default;
  [[nodiscard]] virtual bool saving() const = 0;
  /// Saving: stores `data` under `name`. Restoring: replaces `data` by the stored array.
  /// With `fixed`, the stored array must have data.size() values (the model fixes it),
  /// else the archive throws, naming the array: a checkpoint of another model.
  virtual void array(const std::string& name, std::vector<double>& data, bool fixed) = 0;
  virtual void array(const std::string& name, std::vector<float>& data, bool fixed) = 0;
  virtual void array(const std::string& name, std::vector<std::int64_t>& data, bool fixed) = 0;
  virtual void array(const std::string& name, std::vector<std::uint64_t>& data, bool fixed) = 0;
  virtual void array(const std::string& name, std::vector<std::int32_t>& data, bool fixed) = 0;
  virtual void array(const std::string& name, std::vector<std::uint32_t>& data, bool fixed) = 0;
};

}  // namespace spikeq
