#pragma once
// Groups: creating them so that their members keep the order they were written in, and
// finding members when reading files that other tools wrote.
#include <string>
#include <vector>

#include "errors.hpp"
#include "handle.hpp"

namespace spikeq::io::hdf5 {

/// Throws InvalidParameter unless `name` can name a group of its own: not empty, no '/'
/// (which would nest groups), not "." (the parent itself). `what` describes it for the
/// message ("spike file out.h5: population").
void check_group_name(const std::string& name, const std::string& what);

/// Creates group `name` in `parent`; members keep their creation order when listed.
Group create_group(hid_t parent, const std::string& name, const Where& where);

/// Whether `parent` has a member `name` (a link of any kind).
bool has_member(hid_t parent, const std::string& name, const Where& where);

/// Opens member `name` of `parent`, which must exist and be a group; fails with
/// "<what> missing" or "is not a group" naming `where`.
Group open_group(hid_t parent, const std::string& name, const Where& where);

enum class MemberKind { group, dataset, other };

struct Member {
  std::string name;
  MemberKind kind;
};

/// Members of a group, in creation order where the writer tracked it, else by name.
std::vector<Member> list_members(hid_t group, const Where& where);

}  // namespace spikeq::io::hdf5
