#pragma once
// np.histogram for float64 data without weights or density: equal-width bins over a range
// (NumPy's bincount fast path, with its two edge corrections) and explicit edges (NumPy's
// sort + searchsorted path). Both reproduce NumPy's counts exactly, in one pass over the data.

#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/abi.h"

namespace accel::runtime {

/// The entry points below by name and address, for the JIT to bind.

/// Python's repr of a double ("1.0", "1e+16", "nan", "-inf"): NumPy's messages print it.
std::string python_float_repr(double value);

}  // namespace accel::runtime

// The rules of accel_rt_histogram_uniform / _edges (declared in runtime/abi_functions.h).
// Data is read as n doubles `stride` bytes apart (any sign), so views need no copy. Both
// return 0, or 1 with ValueError recorded by accel_rt_raise and the outputs unspecified.
// No state: safe to call from several threads at once.
// - uniform: `np.histogram(a, bins=bins, range=(lo, hi) if has_range else None)`. Writes
//   `bins` counts and `bins + 1` edges (np.linspace(first, last, bins + 1)). Without a
//   range the data's min and max are used (a single value widened by 0.5 each way; empty
//   data: 0 and 1). Values outside the range and NaN are not counted; the last bin
//   includes its right edge. Errors, with NumPy's messages: bins < 1; lo > hi; a
//   non-finite range, given or found; edges that do not increase ("Too many bins for
//   data range...").
// - edges: `np.histogram(a, bins=edges)` with n_edges float64 edges `edges_stride` bytes
//   apart; writes n_edges - 1 counts (none for fewer than two edges). Bin i is
//   [edges[i], edges[i+1]), the last one closed. ValueError when an edge is smaller than
//   the one before it. NaN data is not counted; NaN edges behave as in NumPy (NaN sorts last).
