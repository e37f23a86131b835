#include "groups.hpp"

#include "datasets.hpp"

#include "spikeq/core/errors.hpp"

namespace spikeq::io::hdf5 {

void check_group_name(const std::string& name, const std::string& what) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos) {
    throw InvalidParameter(what + " name '" + name +
                           "' cannot name an HDF5 group (empty, '.' or containing '/')");
  }
}

Group create_group(hid_t parent, const std::string& name, const Where& where) {
  PropertyList gcpl(check_id(H5Pcreate(H5P_GROUP_CREATE), where, "cannot create group properties"));
  // Readers list populations in the order the model declared them, not alphabetically.
  check_status(
      H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), where,
      "cannot track creation order");
  untimed(gcpl.get(), where);
  return Group(check_id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                        where, "cannot create group"));
}

bool has_member(hid_t parent, const std::string& name, const Where& where) {
  const htri_t exists = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail_hdf5(where, "cannot look up");
  return exists > 0;
}

namespace {

MemberKind kind_of(hid_t parent, const std::string& name, const Where& where) {
  const Object object(check_id(H5Oopen(parent, name.c_str(), H5P_DEFAULT), where, "cannot open"));
  switch (H5Iget_type(object.get())) {
    case H5I_GROUP:
      return MemberKind::group;
    case H5I_DATASET:
      return MemberKind::dataset;
    default:
      return MemberKind::other;
  }
}

}  // namespace

Group open_group(hid_t parent, const std::string& name, const Where& where) {
  if (!has_member(parent, name, where)) fail(where, "group missing");
  if (kind_of(parent, name, where) != MemberKind::group) fail(where, "is not a group");
  return Group(check_id(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), where, "cannot open group"));
}

std::vector<Member> list_members(hid_t group, const Where& where) {
  H5G_info_t info{};
  check_status(H5Gget_info(group, &info), where, "cannot list group");
  // Files from other writers usually do not index creation order: then list by name.
  H5_index_t index = H5_INDEX_CRT_ORDER;
  if (info.nlinks > 0 &&
      H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, 0, nullptr, 0, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT);
    index = H5_INDEX_NAME;
  }
  std::vector<Member> members;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length =
        H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) fail_hdf5(where, "cannot list group");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    if (H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT) < 0) {
      fail_hdf5(where, "cannot list group");
    }
    name.resize(static_cast<std::size_t>(length));
    members.push_back({name, kind_of(group, name, Where{where.file, join(where.object, name)})});
  }
  return members;
}

}  // namespace spikeq::io::hdf5
