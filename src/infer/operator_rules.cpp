#include "infer/operator_rules.h"

#include <algorithm>

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
  left = element_type(left);
  right = element_type(right);
  Kind kind = types::promote(left->kind, right->kind);
  if (op == Operator::Div) return types::float_result(kind);
  // Python's True + True is 2: bools do arithmetic as ints.
  if (kind == Kind::PyBool && !(op == Operator::BitAnd || op == Operator::BitOr ||
                                op == Operator::BitXor))
    return Kind::PyInt;
  return kind;
}

Type element_type(Type t) { return t->kind == Kind::Array ? types::element(t) : t; }

Type lift(Type element_result, Type a, Type b) {
  if (!element_result) return nullptr;
  const int ndim = std::max(a->kind == Kind::Array ? a->ndim : 0, b && b->kind == Kind::Array ? b->ndim : 0);
  // An array's elements are NumPy scalars even where both inputs were Python scalars.
  return types::array(types::numpy_kind(element_result->kind), ndim, types::Layout::C);
}

bool is_elementwise_operand(Type t) { return types::is_scalar(t) || t->kind == Kind::Array; }

std::optional<int64_t> constant_int(const frontend::Expr& e) {
  if (e.kind == frontend::ExprKind::IntLit) return e.int_value;
  if (e.kind == frontend::ExprKind::UnaryOp && e.op == Operator::USub && e.operands[0]->kind == frontend::ExprKind::IntLit)
    return -e.operands[0]->int_value;
  return std::nullopt;
}

std::optional<std::vector<size_t>> constant_tuple_slice(const frontend::Expr& slice, size_t size) {
  std::optional<int64_t> parts[3];
  for (int i = 0; i < 3; ++i) {
    const frontend::Expr* part = slice.operands[static_cast<size_t>(i)].get();
    if (!part || part->kind == frontend::ExprKind::NoneLit) continue;
    parts[i] = constant_int(*part);
    if (!parts[i]) return std::nullopt;
  }
  const int64_t n = static_cast<int64_t>(size);
  const int64_t step = parts[2].value_or(1);
  if (step == 0) return std::nullopt;
  const int64_t lower = step < 0 ? -1 : 0, upper = step < 0 ? n - 1 : n;
  auto clamp = [&](std::optional<int64_t> v, int64_t absent) {
    if (!v) return absent;
    int64_t x = *v < 0 ? *v + n : *v;
    return x < lower ? lower : x > upper ? upper : x;
  };
  const int64_t start = clamp(parts[0], step < 0 ? upper : lower);
  const int64_t stop = clamp(parts[1], step < 0 ? lower : upper);
  std::vector<size_t> out;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) out.push_back(static_cast<size_t>(i));
  return out;
}

Type binary_result(Operator op, Type left, Type right) {
  if (op == Operator::Add && left->kind == Kind::Tuple && right->kind == Kind::Tuple) {
    std::vector<Type> elements = left->elements;
    elements.insert(elements.end(), right->elements.begin(), right->elements.end());
    return types::tuple(std::move(elements));
  }
  if (left->kind == Kind::Array || right->kind == Kind::Array) {
    if (!is_elementwise_operand(left) || !is_elementwise_operand(right)) return nullptr;
    return lift(binary_result(op, element_type(left), element_type(right)), left, right);
  }
  if (!types::is_scalar(left) || !types::is_scalar(right)) return nullptr;
  const Kind kind = operand_kind(op, left, right);
  // Complex numbers add, subtract, multiply, divide and raise to a power; Python and
  // NumPy refuse //, % and the bitwise operators on them.
  if (types::is_complex(kind))
    return op == Operator::Add || op == Operator::Sub || op == Operator::Mult || op == Operator::Div ||
                   op == Operator::Pow
               ? types::scalar(kind)
               : nullptr;
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
  if (left->kind == Kind::Array || right->kind == Kind::Array)
    return lift(types::scalar(Kind::Bool), left, right);
  const bool python = types::is_python_scalar(left->kind) && types::is_python_scalar(right->kind);
  return types::scalar(python ? Kind::PyBool : Kind::Bool);
}

Kind real_part_kind(Kind kind) {
  if (kind == Kind::PyComplex) return Kind::PyFloat;
  if (types::is_complex(kind)) return types::complex_part(kind);
  return kind == Kind::PyBool ? Kind::PyInt : kind;  // True.real is 1
}

bool orders_complex(frontend::Operator op, Type left, Type right) {
  const bool is_complex = types::is_complex(element_type(left)->kind) || types::is_complex(element_type(right)->kind);
  return is_complex && op != Operator::Eq && op != Operator::NotEq && op != Operator::In && op != Operator::NotIn;
}

Type unary_result(Operator op, Type operand) {
  if (operand->kind == Kind::Array && op != Operator::Not)
    return lift(unary_result(op, types::element(operand)), operand, nullptr);
  if (!types::is_scalar(operand)) return nullptr;
  const Kind kind = operand->kind;
  switch (op) {
    case Operator::Not:
      return types::scalar(Kind::PyBool);
    case Operator::USub:
    case Operator::UAdd:
      if (kind == Kind::Bool) return nullptr;
      if (types::is_complex(kind)) return operand;
      return types::scalar(kind == Kind::PyBool ? Kind::PyInt : kind);
    case Operator::Invert:
      if (types::is_float(kind) || types::is_complex(kind)) return nullptr;
      return types::scalar(kind == Kind::PyBool ? Kind::PyInt : kind);
    default:
      return nullptr;
  }
}

}  // namespace accel::infer
