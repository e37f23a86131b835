#pragma once
// The HDF5 library's exit handler, turned off for programs that close their files
// themselves (the `spikeq` command line).

namespace spikeq::io {

/// After a failed write (a full disk) HDF5 keeps the file it could not close; at exit its
/// handler then retries the close, fails again, and prints "infinite loop closing
/// library". A program that closes every file explicitly and reports failures itself has
/// nothing left for the handler to do. Call it before any other HDF5 use.
void skip_hdf5_exit_handler();

}  // namespace spikeq::io
