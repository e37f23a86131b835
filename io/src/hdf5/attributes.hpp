#pragma once
// Attributes in the types SONATA readers expect: strings as variable-length UTF-8
// (h5py gives str, and the model YAML may exceed the 64 KiB an attribute may hold
// inline), numbers as little-endian uint64/float64, sorting as libsonata's enum.
// Readers take what other writers produce too: fixed-length or ASCII strings, any
// integer width, sorting as an enum or a string.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"
#include "layout.hpp"

namespace spikeq::io::hdf5 {

// Writing creates the attribute, or overwrites it when it exists with the same type.
// `where.object` is the path of `object`; messages add the attribute name.
void write_string(hid_t object, const std::string& name, const std::string& value,
                  const Where& where);
void write_u64(hid_t object, const std::string& name, std::uint64_t value, const Where& where);
void write_f64(hid_t object, const std::string& name, double value, const Where& where);
void write_u32(hid_t object, const std::string& name, std::uint32_t value, const Where& where);
void write_u32s(hid_t object, const std::string& name, const std::vector<std::uint32_t>& values,
                const Where& where);
/// SONATA's bool: int8 holding 0 or 1.
void write_bool(hid_t object, const std::string& name, bool value, const Where& where);
void write_sorting(hid_t object, layout::Sorting value, const Where& where);

// Reading gives nothing when the attribute is absent and fails, naming it, when it has
// the wrong type or is not a single value.
std::optional<std::string> read_string(hid_t object, const std::string& name, const Where& where);
std::optional<std::uint64_t> read_u64(hid_t object, const std::string& name, const Where& where);
std::optional<double> read_f64(hid_t object, const std::string& name, const Where& where);
/// "none", "by_id" or "by_time" (or whatever name another writer gave), from an enum
/// or a string attribute.
std::optional<std::string> read_sorting(hid_t object, const Where& where);

/// "integer", "float", "string", ... for messages.
std::string type_class_name(hid_t type);

}  // namespace spikeq::io::hdf5
