#pragma once
// Result types of operators on scalars, following CPython for Python scalars and
// NumPy 2 for NumPy scalars. Shared by inference and codegen so they cannot disagree.

#include "frontend/ast.h"
#include "types/type.h"

namespace accel::infer {

/// The type of `left op right`, or nullptr when the operator does not apply.
types::Type binary_result(frontend::Operator op, types::Type left, types::Type right);

/// The type of a comparison `left op right` between scalars.
types::Type compare_result(types::Type left, types::Type right);

/// The type of `op operand`, or nullptr when the operator does not apply.
types::Type unary_result(frontend::Operator op, types::Type operand);

/// Element type of an array, or the type itself for a scalar.
types::Type element_type(types::Type t);
/// The array type an elementwise operation on a and b (either may be a scalar, b may be
/// null) gives, from the type one element gives.
types::Type lift(types::Type element_result, types::Type a, types::Type b);

/// The kind both operands are converted to before the operation is done.
types::Kind operand_kind(frontend::Operator op, types::Type left, types::Type right);

}  // namespace accel::infer
