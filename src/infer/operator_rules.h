#pragma once
// Result types of operators on scalars, following CPython for Python scalars and
// NumPy 2 for NumPy scalars. Shared by inference and codegen so they cannot disagree.

#include <optional>
#include <vector>

#include "frontend/ast.h"
#include "types/type.h"

namespace accel::infer {

/// The type of `left op right`, or nullptr when the operator does not apply.
types::Type binary_result(frontend::Operator op, types::Type left, types::Type right);

/// The type of a comparison `left op right` between scalars.
types::Type compare_result(types::Type left, types::Type right);
/// The kind of x.real and x.imag: a complex number's parts, a real number's own kind.
types::Kind real_part_kind(types::Kind kind);
/// Whether the comparison orders complex numbers (<, >=, ...), which Python and compiled
/// code refuse: complex numbers are compared only by == and !=.
bool orders_complex(frontend::Operator op, types::Type left, types::Type right);

/// The type of `op operand`, or nullptr when the operator does not apply.
types::Type unary_result(frontend::Operator op, types::Type operand);

/// Element type of an array, or the type itself for a scalar.
types::Type element_type(types::Type t);
/// The array type an elementwise operation on a and b (either may be a scalar, b may be
/// null) gives, from the type one element gives.
types::Type lift(types::Type element_result, types::Type a, types::Type b);

/// The elements `t[start:stop:step]` takes from a tuple of `size` when the slice's parts
/// are integer constants or absent (Python's slice.indices); nullopt otherwise.
std::optional<std::vector<size_t>> constant_tuple_slice(const frontend::Expr& slice, size_t size);

/// A constant integer (`3`, `-1`), or nullopt.
std::optional<int64_t> constant_int(const frontend::Expr& e);

/// The kind both operands are converted to before the operation is done.
types::Kind operand_kind(frontend::Operator op, types::Type left, types::Type right);

}  // namespace accel::infer
