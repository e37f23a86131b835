"""Checks, with h5py, the files test_sonata_h5py.cpp writes: the layout, dtypes and
attribute types that Python users of SONATA files rely on. Exits 0 when all hold;
prints the first failed check and exits 1 otherwise.

Usage: check_sonata_layout.py SPIKES_H5 REPORT_H5
"""
import sys

import h5py
import numpy as np


def expect(what, condition):
    if not condition:
        print("FAILED: " + what)
        sys.exit(1)


def is_str(value, expected):
    """h5py gives str only for variable-length strings; fixed-length ones come as bytes."""
    return isinstance(value, str) and value == expected


def is_scalar(value, dtype, expected):
    return value.dtype == dtype and value == expected


def is_array(dataset, dtype, expected):
    return dataset.dtype == dtype and list(dataset[()]) == expected


def check_run_attributes(f, t_stop):
    a = f.attrs
    expect("spikeq_version is str 0.1.0", is_str(a["spikeq_version"], "0.1.0"))
    model = a["model"]
    expect("model is str YAML", isinstance(model, str) and model.startswith("populations:"))
    expect("seed is uint64", is_scalar(a["seed"], np.uint64, 0xFEEDFACECAFEBEEF))
    expect("dt is float64 0.1", is_scalar(a["dt"], np.float64, 0.1))
    expect("t_stop is float64 %g" % t_stop, is_scalar(a["t_stop"], np.float64, t_stop))
    expect("magic is uint32 0x0A7A", is_scalar(a["magic"], np.uint32, 0x0A7A))
    version = a["version"]
    expect("version is uint32 [0, 1]", version.dtype == np.uint32 and list(version) == [0, 1])


def check_spikes(path):
    with h5py.File(path, "r") as f:
        check_run_attributes(f, 12.5)
        expect("populations exc and inh", set(f["spikes"].keys()) == {"exc", "inh"})
        exc = f["spikes/exc"]
        sorting = exc.attrs.get_id("sorting").dtype
        expect("sorting is the enum none/by_id/by_time",
               h5py.check_enum_dtype(sorting) == {"none": 0, "by_id": 1, "by_time": 2})
        expect("sorting is by_time", exc.attrs["sorting"] == 2)
        expect("n_nodes is uint64 80", is_scalar(exc.attrs["n_nodes"], np.uint64, 80))
        ts, ids = exc["timestamps"], exc["node_ids"]
        expect("timestamps float64 [1, 2, 3.5]", is_array(ts, np.float64, [1.0, 2.0, 3.5]))
        expect("node_ids uint64 [0, 1, 79]", is_array(ids, np.uint64, [0, 1, 79]))
        expect("timestamps chunked and unlimited", ts.maxshape == (None,) and ts.chunks is not None)
        expect("timestamps uncompressed", ts.compression is None)
        expect("timestamps units str ms", is_str(ts.attrs["units"], "ms"))
        expect("inh is empty", f["spikes/inh/timestamps"].shape == (0,))


def check_report(path):
    with h5py.File(path, "r") as f:
        check_run_attributes(f, 3.0)
        expect("variable is str V_m", is_str(f.attrs["variable"], "V_m"))
        data = f["report/exc/data"]
        expect("data float64 [4, 3]", data.dtype == np.float64 and data.shape == (4, 3))
        expect("data unlimited in time", data.maxshape == (None, 3))
        expect("data units str mV", is_str(data.attrs["units"], "mV"))
        expect("data values", np.array_equal(data[()], np.arange(12).reshape(4, 3)))
        m = f["report/exc/mapping"]
        expect("node_ids uint64 [5, 2, 9]", is_array(m["node_ids"], np.uint64, [5, 2, 9]))
        expect("node_ids not sorted", m["node_ids"].attrs["sorted"] == 0)
        for name in ("index_pointers", "index_pointer"):
            expect(name + " uint64 0..n", is_array(m[name], np.uint64, [0, 1, 2, 3]))
        expect("index_pointer(s) are one dataset", m["index_pointers"] == m["index_pointer"])
        expect("element_ids uint32 zeros", is_array(m["element_ids"], np.uint32, [0, 0, 0]))
        expect("time [start, stop, step]", is_array(m["time"], np.float64, [1.0, 3.0, 0.5]))
        expect("time units str ms", is_str(m["time"].attrs["units"], "ms"))


check_spikes(sys.argv[1])
check_report(sys.argv[2])
print("OK")
