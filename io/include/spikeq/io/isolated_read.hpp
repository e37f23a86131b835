#pragma once
// Reading an untrusted HDF5 file once in a child process before the real read.
//
// libhdf5 trusts the metadata it reads: a corrupt global heap, B-tree or object header can
// make it dereference wild pointers (H5HG_read) or loop forever. No check of ours can run
// before that code does, so the file is read first by a forked copy of this process; a
// crash or a hang there ends only the copy, and becomes a FileError naming the file. The
// caller then reads the file itself, which libhdf5 is deterministic enough to survive.
#include <chrono>
#include <functional>
#include <string>

namespace spikeq::io {

/// Runs `read` in a forked child. Returns when it finished; rethrows an io error it threw
/// (as FileError, with its message); throws FileError if the child was killed by a signal,
/// used `limit` of processor time (zero: 60 s plus 1 s per 20 MB of the file), or ended
/// with another exit status (a sanitizer's report of libhdf5). A child still running after
/// four times the limit without having used a tenth of it on the processor was blocked on
/// a lock another thread held at the fork, not by the file: it is stopped, and this
/// returns (the caller's read is then the only one). Throws std::logic_error if the child
/// threw anything but a spikeq error: that is a bug of ours, not a property of the file.
void read_in_child(const std::string& path, const std::function<void()>& read,
                   std::chrono::seconds limit = std::chrono::seconds{0});

}  // namespace spikeq::io
