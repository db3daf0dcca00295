#pragma once
// NumPy 2 promotion (NEP 50): the result type of a binary operation on two scalars,
// and the type a variable takes when it is assigned values of several types.

#include "types/type.h"

namespace accel::types {

/// The common type of two scalar kinds, as NumPy 2 computes `a + b`; Python scalars
/// are weak and take the other operand's kind where it can hold their kind.
Kind promote(Kind a, Kind b);

/// The type a variable holding values of types a and b gets, or nullptr when they
/// cannot share a variable (an array and a number, tuples of different lengths).
Type unify(Type a, Type b);

/// NumPy's can_cast(from, to, 'same_kind') for NumPy scalar kinds.
bool can_cast_same_kind(Kind from, Kind to);

/// The float kind `a / b` and math functions produce from a kind.
Kind float_result(Kind kind);

/// The NumPy kind a value of kind `k` is stored as in an array: a Python bool, int,
/// float and complex as bool_, int64, float64 and complex128; NumPy's kinds as they are.
Kind numpy_kind(Kind k);

}  // namespace accel::types
