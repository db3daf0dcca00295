#include "infer/operator_rules.h"

#include "types/promotion.h"

namespace accel::infer {

using frontend::Operator;
using types::Kind;
using types::Type;

namespace {

bool is_bitwise(Operator op) {
  return op == Operator::LShift || op == Operator::RShift || op == Operator::BitAnd ||
         op == Operator::BitOr || op == Operator::BitXor;
}

}  // namespace

Kind operand_kind(Operator op, Type left, Type right) {
  Kind kind = types::promote(left->kind, right->kind);
  if (op == Operator::Div) return types::float_result(kind);
  // Python's True + True is 2: bools do arithmetic as ints.
  if (kind == Kind::PyBool && !(op == Operator::BitAnd || op == Operator::BitOr ||
                                op == Operator::BitXor))
    return Kind::PyInt;
  return kind;
}

Type binary_result(Operator op, Type left, Type right) {
  if (!types::is_scalar(left) || !types::is_scalar(right)) return nullptr;
  const Kind kind = operand_kind(op, left, right);
  if (is_bitwise(op)) {
    if (types::is_float(kind)) return nullptr;
    if (kind == Kind::Bool && (op == Operator::LShift || op == Operator::RShift))
      return types::scalar(Kind::Int8);  // NumPy shifts bools as int8
    return types::scalar(kind);
  }
  // NumPy's own bool arithmetic (True + True is True, - is an error) is a trap;
  // compiled code refuses it and asks for an explicit int.
  if (kind == Kind::Bool) return nullptr;
  return types::scalar(kind);
}

Type compare_result(Type left, Type right) {
  const bool python = types::is_python_scalar(left->kind) && types::is_python_scalar(right->kind);
  return types::scalar(python ? Kind::PyBool : Kind::Bool);
}

Type unary_result(Operator op, Type operand) {
  if (!types::is_scalar(operand)) return nullptr;
  const Kind kind = operand->kind;
  switch (op) {
    case Operator::Not:
      return types::scalar(Kind::PyBool);
    case Operator::USub:
    case Operator::UAdd:
      if (kind == Kind::Bool) return nullptr;
      return types::scalar(kind == Kind::PyBool ? Kind::PyInt : kind);
    case Operator::Invert:
      if (types::is_float(kind)) return nullptr;
      return types::scalar(kind == Kind::PyBool ? Kind::PyInt : kind);
    default:
      return nullptr;
  }
}

}  // namespace accel::infer
