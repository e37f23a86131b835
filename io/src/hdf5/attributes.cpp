#include "attributes.hpp"

#include <array>

#include "handle.hpp"

namespace spikeq::io::hdf5 {

namespace {

Where attribute_where(const Where& where, const std::string& name) {
  return {where.file, attribute_path(where.object.empty() ? "/" : where.object, name)};
}

Attribute open_or_create(hid_t object, const std::string& name, hid_t file_type, hid_t space,
                         const Where& at) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail_hdf5(at, "cannot look up attribute");
  if (exists > 0) {
    return Attribute(
        check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), at, "cannot open attribute"));
  }
  return Attribute(
      check_id(H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), at,
               "cannot create attribute"));
}

/// `count` 0 writes a scalar, otherwise a 1-D array of `count` values.
void write_value(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type,
                 const void* value, hsize_t count, const Where& where) {
  const Where at = attribute_where(where, name);
  const Dataspace space(
      check_id(count == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr), at,
               "cannot create dataspace"));
  const Attribute attribute = open_or_create(object, name, file_type, space.get(), at);
  check_status(H5Awrite(attribute.get(), memory_type, value), at, "cannot write attribute");
}

Datatype variable_string_type(H5T_cset_t cset, const Where& at) {
  Datatype type(check_id(H5Tcopy(H5T_C_S1), at, "cannot create string type"));
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), at, "cannot create string type");
  check_status(H5Tset_cset(type.get(), cset), at, "cannot create string type");
  return type;
}

struct SingleValue {
  Attribute attribute;
  Datatype type;
  Where at;
  std::size_t points = 1;
};

/// The attribute if present, after checking that it holds exactly one value. Only a
/// string may be an array of one-byte strings: libsonata's early report writer stored
/// text as one character per element.
std::optional<SingleValue> open_single(hid_t object, const std::string& name, const Where& where) {
  Where at = attribute_where(where, name);
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail_hdf5(at, "cannot look up attribute");
  if (exists == 0) return std::nullopt;
  Attribute attribute(
      check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), at, "cannot open attribute"));
  const Dataspace space(check_id(H5Aget_space(attribute.get()), at, "cannot read attribute"));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  Datatype type(check_id(H5Aget_type(attribute.get()), at, "cannot read attribute type"));
  const bool characters = H5Tget_class(type.get()) == H5T_STRING && H5Tget_size(type.get()) == 1 &&
                          H5Tis_variable_str(type.get()) == 0;
  if (points != 1 && !(characters && points > 1)) {
    fail(at, "expected a single value, found " + std::to_string(points));
  }
  return SingleValue{std::move(attribute), std::move(type), std::move(at),
                     static_cast<std::size_t>(points)};
}

std::string string_value(const SingleValue& value) {
  const hid_t type = value.type.get();
  if (H5Tget_class(type) != H5T_STRING) {
    fail(value.at, "expected a string, found " + type_class_name(type));
  }
  const htri_t variable = H5Tis_variable_str(type);
  if (variable < 0) fail_hdf5(value.at, "cannot read attribute type");
  if (variable > 0) {
    const Datatype memory = variable_string_type(H5Tget_cset(type), value.at);
    char* text = nullptr;
    check_status(H5Aread(value.attribute.get(), memory.get(), &text), value.at,
                 "cannot read attribute");
    std::string result = text != nullptr ? text : "";
    H5free_memory(text);
    return result;
  }
  std::string result(H5Tget_size(type) * value.points, '\0');
  check_status(H5Aread(value.attribute.get(), type, result.data()), value.at,
               "cannot read attribute");
  result.resize(result.find('\0') == std::string::npos ? result.size() : result.find('\0'));
  if (H5Tget_strpad(type) == H5T_STR_SPACEPAD) {
    result.erase(result.find_last_not_of(' ') + 1);
  }
  return result;
}

}  // namespace

void write_string(hid_t object, const std::string& name, const std::string& value,
                  const Where& where) {
  const Datatype type = variable_string_type(H5T_CSET_UTF8, attribute_where(where, name));
  const char* text = value.c_str();
  write_value(object, name, type.get(), type.get(), &text, 0, where);
}

void write_u64(hid_t object, const std::string& name, std::uint64_t value, const Where& where) {
  write_value(object, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value, 0, where);
}

void write_f64(hid_t object, const std::string& name, double value, const Where& where) {
  write_value(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, 0, where);
}

void write_u32(hid_t object, const std::string& name, std::uint32_t value, const Where& where) {
  write_value(object, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, &value, 0, where);
}

void write_u32s(hid_t object, const std::string& name, const std::vector<std::uint32_t>& values,
                const Where& where) {
  write_value(object, name, H5T_STD_U32LE, H5T_NATIVE_UINT32, values.data(), values.size(), where);
}

void write_bool(hid_t object, const std::string& name, bool value, const Where& where) {
  const std::int8_t byte = value ? 1 : 0;
  write_value(object, name, H5T_STD_I8LE, H5T_NATIVE_INT8, &byte, 0, where);
}

void write_sorting(hid_t object, layout::Sorting value, const Where& where) {
  const Where at = attribute_where(where, layout::sorting);
  const Datatype type(check_id(H5Tenum_create(H5T_STD_U8LE), at, "cannot create enum type"));
  constexpr std::array<std::pair<const char*, layout::Sorting>, 3> members = {
      {{"none", layout::Sorting::none},
       {"by_id", layout::Sorting::by_id},
       {"by_time", layout::Sorting::by_time}}};
  for (const auto& [name, member] : members) {
    const auto raw = static_cast<std::uint8_t>(member);
    check_status(H5Tenum_insert(type.get(), name, &raw), at, "cannot create enum type");
  }
  const auto raw = static_cast<std::uint8_t>(value);
  write_value(object, layout::sorting, type.get(), type.get(), &raw, 0, where);
}

std::optional<std::string> read_string(hid_t object, const std::string& name, const Where& where) {
  const auto value = open_single(object, name, where);
  if (!value) return std::nullopt;
  return string_value(*value);
}

std::optional<std::uint64_t> read_u64(hid_t object, const std::string& name, const Where& where) {
  const auto value = open_single(object, name, where);
  if (!value) return std::nullopt;
  const hid_t type = value->type.get();
  if (H5Tget_class(type) != H5T_INTEGER) {
    fail(value->at, "expected an integer, found " + type_class_name(type));
  }
  if (H5Tget_sign(type) == H5T_SGN_2) {
    std::int64_t signed_value = 0;
    check_status(H5Aread(value->attribute.get(), H5T_NATIVE_INT64, &signed_value), value->at,
                 "cannot read attribute");
    if (signed_value < 0) {
      fail(value->at, "expected a non-negative integer, found " + std::to_string(signed_value));
    }
    return static_cast<std::uint64_t>(signed_value);
  }
  std::uint64_t result = 0;
  check_status(H5Aread(value->attribute.get(), H5T_NATIVE_UINT64, &result), value->at,
               "cannot read attribute");
  return result;
}

std::optional<double> read_f64(hid_t object, const std::string& name, const Where& where) {
  const auto value = open_single(object, name, where);
  if (!value) return std::nullopt;
  const hid_t type = value->type.get();
  const H5T_class_t type_class = H5Tget_class(type);
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) {
    fail(value->at, "expected a number, found " + type_class_name(type));
  }
  double result = 0.0;
  check_status(H5Aread(value->attribute.get(), H5T_NATIVE_DOUBLE, &result), value->at,
               "cannot read attribute");
  return result;
}

std::optional<std::string> read_sorting(hid_t object, const Where& where) {
  const auto value = open_single(object, layout::sorting, where);
  if (!value) return std::nullopt;
  const hid_t type = value->type.get();
  if (H5Tget_class(type) == H5T_STRING) return string_value(*value);
  if (H5Tget_class(type) != H5T_ENUM) {
    fail(value->at, "expected an enum or a string, found " + type_class_name(type));
  }
  const Datatype memory(
      check_id(H5Tget_native_type(type, H5T_DIR_ASCEND), value->at, "cannot read attribute type"));
  std::array<unsigned char, 16> raw{};
  if (H5Tget_size(memory.get()) > raw.size()) fail(value->at, "enum base type too wide");
  check_status(H5Aread(value->attribute.get(), memory.get(), raw.data()), value->at,
               "cannot read attribute");
  std::array<char, 256> name{};
  check_status(H5Tenum_nameof(memory.get(), raw.data(), name.data(), name.size()), value->at,
               "value is not a member of its enum");
  return std::string(name.data());
}

std::string type_class_name(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return "integer";
    case H5T_FLOAT:
      return "floating point";
    case H5T_STRING:
      return "string";
    case H5T_ENUM:
      return "enum";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ARRAY:
      return "array";
    case H5T_VLEN:
      return "variable-length sequence";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_REFERENCE:
      return "reference";
    case H5T_TIME:
      return "time";
    default:
      return "unknown type";
  }
}

}  // namespace spikeq::io::hdf5
