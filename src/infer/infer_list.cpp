// Typing of lists in compiled code: displays, comprehensions, indexing and methods (whose
// rules live in the registry, src/library/lists.cpp). A list has one item type; an empty
// `[]` learns it from what is appended to it (docs/semantics.md).

#include "frontend/diagnostic.h"
#include "infer/builtin.h"
#include "infer/call_typing.h"
#include "infer/function_typer.h"
#include "types/promotion.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using types::Kind;

namespace {

// The item type of a display holding both: Python numbers promote as Python's do ([1, 2.5]
// holds floats); beside NumPy numbers they count as the NumPy type they would be stored
// as, as np.array takes them ([np.float32(1), 0.1] holds float64, not a rounded 0.1).
Type list_promotion(Type a, Type b) {
  if (types::is_scalar(a) && types::is_scalar(b) && types::is_python_scalar(a->kind) != types::is_python_scalar(b->kind))
    return types::scalar(types::promote(types::numpy_kind(a->kind), types::numpy_kind(b->kind)));
  return types::unify(a, b);
}

}  // namespace

Type FunctionTyper::require_list_item(Type t, Span where) {
  if (!types::is_plain_data(t))
    fail(ErrorCode::TypeMismatch, where,
         "lists in compiled code hold numbers or tuples of numbers, not a " + types::name(t) + ".",
         t->kind == Kind::Array ? "Stack the arrays into one array (np.empty((n, m)) filled row by row)." : "");
  return t;
}

Type FunctionTyper::known_item(const Expr& list_expr, Type list_type) {
  Type item = types::list_item(list_type);
  if (!item && strict_)
    fail(ErrorCode::TypeMismatch, list_expr.span,
         "what this list holds is never known: it is empty and nothing is appended to it.",
         "Append to it in this function, or start it with a value: [0.0].");
  return item;
}

void FunctionTyper::widen_list(const Expr& list_expr, Type item) {
  if (list_expr.kind == ExprKind::Name && locals_.count(list_expr.name))
    assign_variable(list_expr.name, types::list(item), list_expr.span);
}

Type FunctionTyper::list_display(const Expr& e) {
  Type item = nullptr;
  for (const auto& operand : e.operands) {
    Type t = expr(*operand);
    if (!t) return nullptr;
    require_list_item(t, operand->span);
    Type merged = item ? list_promotion(item, t) : t;
    if (!merged)
      fail(ErrorCode::TypeMismatch, operand->span,
           "a list holds one type of item in compiled code, not a " + types::name(item) + " and a " +
               types::name(t) + ".",
           "Use a tuple for values of different types.");
    item = merged;
  }
  return record(e, types::list(item));
}

Type FunctionTyper::list_comprehension(const Expr& e) {
  Type item = comprehension_item(e);
  if (!item) return nullptr;
  return record(e, types::list(require_list_item(item, e.operands[0]->span)));
}

Type FunctionTyper::list_binary(const Expr& e, frontend::Operator op, Type left, Type right) {
  const auto repeats = [](Type t) { return types::is_integer(t->kind) || types::is_bool(t->kind); };
  if (op == frontend::Operator::Add && left->kind == Kind::List && right->kind == Kind::List) {
    Type merged = types::unify(left, right);
    if (!merged)
      fail(ErrorCode::TypeMismatch, e.span,
           "cannot join a " + types::name(left) + " and a " + types::name(right) + " in compiled code: a list keeps one item type.",
           "Start both lists with the same type of item, e.g. [0.0] for floats.");
    return merged;
  }
  if (op == frontend::Operator::Mult && left->kind == Kind::List && repeats(right)) return left;
  if (op == frontend::Operator::Mult && right->kind == Kind::List && repeats(left)) return right;
  fail(ErrorCode::TypeMismatch, e.span,
       "unsupported operand type(s) for " + std::string(frontend::spelling(op)) + ": '" + types::name(left) +
           "' and '" + types::name(right) + "'.",
       left->kind == Kind::List && right->kind == Kind::Array ? "Make the list an array first: np.array(...)." : "");
}

Type FunctionTyper::list_subscript(const Expr& e, Type list_type, const std::vector<Type>& indices) {
  if (indices.size() != 1)
    fail(ErrorCode::TypeMismatch, e.span, "list indices must be integers or slices, not tuple.");
  if (e.operands[1]->kind == ExprKind::Slice) return record(e, list_type);
  Type index = indices[0];
  if (!index) return nullptr;
  if (!types::is_integer(index->kind) && !types::is_bool(index->kind))
    fail(ErrorCode::TypeMismatch, e.operands[1]->span,
         "list indices must be integers or slices, not " + types::name(index) + ".");
  Type item = known_item(*e.operands[0], list_type);
  return item ? record(e, item) : nullptr;
}

bool converts_to_item(Type value, Type item) {
  if (types::is_scalar(value) && types::is_scalar(item)) return types::can_cast_same_kind(value->kind, item->kind);
  if (value->kind != Kind::Tuple || item->kind != Kind::Tuple || value->elements.size() != item->elements.size())
    return false;
  for (size_t i = 0; i < value->elements.size(); ++i)
    if (!converts_to_item(value->elements[i], item->elements[i])) return false;
  return true;
}

bool same_shape(Type a, Type b) {
  if (types::is_scalar(a) && types::is_scalar(b)) return true;
  if (a->kind != Kind::Tuple || b->kind != Kind::Tuple || a->elements.size() != b->elements.size()) return false;
  for (size_t i = 0; i < a->elements.size(); ++i)
    if (!same_shape(a->elements[i], b->elements[i])) return false;
  return true;
}

void require_list_store(Type value, Type item, Span where) {
  if (!converts_to_item(value, item))
    fail(ErrorCode::TypeMismatch, where,
         "a list of " + types::name(item) + " cannot hold a " + types::name(value) +
             " in compiled code: a list keeps the item type it starts with.",
         "Start the list with the wider type, e.g. [0.0] for floats.");
}

Type FunctionTyper::list_method(const Expr& e, const Expr& self, Type self_type, const std::string& method) {
  const Builtin* entry = find_builtin("list." + method);
  if (!entry)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span,
         "'list' object has no attribute '" + method + "' in compiled code.",
         "Supported: append, extend, insert, pop, remove, index, count, sort, reverse, clear, copy.");
  CallTyping call(*this, e, *entry, spec_.calls[&e], &self, self_type);
  return entry->type(call);
}

}  // namespace accel::infer
