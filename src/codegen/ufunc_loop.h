#pragma once
// NumPy's inner loop around a compiled kernel: what @accel.vectorize and
// @accel.guvectorize give NumPy for one signature. No NumPy header here: the loop's
// arguments are NumPy's, spelled with intptr_t.

#include <cstdint>
#include <string>
#include <vector>

#include "types/type.h"

namespace accel::codegen {

/// The loop's calling convention, NumPy's legacy inner loop with a status:
///   int32_t loop(char** args, const intptr_t* dimensions, const intptr_t* steps, void* data)
/// args[k] points at operand k's first element (inputs, then outputs); dimensions[0] is
/// the number of outer iterations, and for a gufunc dimensions[1 + d] the size of core
/// dimension d; steps[k] is operand k's outer stride in bytes, followed (gufunc) by the
/// core strides of every operand in order. `data` is unused. Returns 0, or 1 with the
/// kernel's error left in the runtime's thread-local state (elements after the failing
/// one are not written).
using UFuncLoopFunction = int32_t (*)(char** args, const intptr_t* dimensions, const intptr_t* steps, void* data);

/// One operand of the loop.
struct UFuncOperand {
  /// Its element kind, as NumPy stores it (a NumPy kind: Bool, Int8 .. Float64). For the
  /// output of an elementwise loop, Kind::None means "what the kernel returns".
  types::Kind dtype = types::Kind::None;
  /// gufunc: for each core axis, which entry of dimensions[1..] holds its size.
  std::vector<int> core_dims;
  /// gufunc: the kernel takes this operand as an array (core_dims.size() axes, or one
  /// axis of length 1 when it has no core dimensions) rather than as a number.
  bool as_array = false;
  bool readonly = false;  // an array the kernel may not write
};

struct UFuncLoopLayout {
  std::vector<UFuncOperand> operands;  // inputs, then outputs
  int nin = 0;
  /// false: an elementwise loop, the kernel takes the inputs and returns the one output.
  /// true: a gufunc loop, the kernel takes every operand and writes its outputs.
  bool generalized = false;

  /// The kernel's parameter types: array views (any layout) or NumPy scalars.
  std::vector<types::Type> kernel_arg_types() const;
};

}  // namespace accel::codegen
