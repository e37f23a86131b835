#include "time_units.hpp"

#include "attributes.hpp"
#include "layout.hpp"

namespace spikeq::io::hdf5 {

double to_ms_factor(hid_t object, const Where& where) {
  const auto units = read_string(object, layout::units, where);
  if (!units || *units == "ms") return 1.0;
  if (*units == "s") return 1000.0;
  fail(Where{where.file, attribute_path(where.object, layout::units)},
       "unsupported time unit '" + *units + "' (expected ms or s)");
}

}  // namespace spikeq::io::hdf5
