#pragma once
// What a function compiled from a numba-style signature returns. numba converts the
// result to the declared return type, and boxes numbers as Python scalars whatever their
// machine type; accel does the same for eagerly compiled signatures, so code moved from
// numba gets the results it got there.

#include <string>

#include "types/type.h"

namespace accel::types {

/// Numbers as Python scalars: every integer but uint64 (which a 64-bit signed Python int
/// cannot hold) becomes a Python int, every float a Python float, every bool a Python
/// bool; tuples elementwise; arrays and None unchanged.
Type as_python_scalars(Type t);

struct ReturnConversion {
  Type result = nullptr;  // the type the entry returns, when problem is empty
  std::string problem;    // why `inferred` cannot become the declared type
};

/// The result type of a signature that declares `declared` (nullptr: none declared, the
/// inferred type is kept) for a body inferred to return `inferred`. Numbers convert to
/// any number (NumPy's casting); arrays only to the same dtype and ndim, in a layout the
/// result has (any layout accepts every one), and to read-only from writable; tuples of
/// the same length elementwise; None only to None.
ReturnConversion declared_return(Type inferred, Type declared);

}  // namespace accel::types
