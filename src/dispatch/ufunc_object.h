#pragma once
// Real np.ufunc objects over compiled loops (codegen/ufunc_loop.h): what @accel.vectorize
// and @accel.guvectorize return. NumPy then does everything around the loops itself:
// broadcasting, out=, where=, dtype resolution, reduce/accumulate/outer/at, gufunc core
// dimensions, floating-point warnings.

#include <Python.h>

#include <string>
#include <vector>

#include "codegen/ufunc_loop.h"

namespace accel::dispatch {

/// One loop: the dtypes it is for (inputs, then outputs; NumPy kinds), its code, and (a
/// gufunc's) the index of each operand's core dimensions, which must be NumPy's.
struct UFuncLoopEntry {
  std::vector<types::Kind> dtypes;
  codegen::UFuncLoopFunction function = nullptr;
  std::vector<std::vector<int>> core_dims;
};

struct UFuncDefinition {
  std::string name;
  std::string doc;
  int nin = 1;
  int nout = 1;
  /// NumPy's identity codes: 0 (PyUFunc_Zero), 1 (PyUFunc_One), -1 (PyUFunc_None),
  /// -2 (PyUFunc_ReorderableNone).
  int identity = -1;
  std::string core_signature;  // "(n),()->(n)" for a gufunc; empty for an elementwise ufunc
};

/// A new np.ufunc with these loops, in this order (for a call, NumPy takes the first loop
/// its inputs cast to safely, as for its own ufuncs). The ufunc keeps what the loops need
/// for its whole life. nullptr with a Python error set on failure (a bad core signature
/// is NumPy's ValueError; core dimensions NumPy numbers otherwise, a SystemError).
PyObject* make_ufunc(const UFuncDefinition& definition, const std::vector<UFuncLoopEntry>& loops);

}  // namespace accel::dispatch
