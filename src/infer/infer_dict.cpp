// Typing of dicts and sets in compiled code: displays, comprehensions, d[k], d[k] = v,
// del d[k], `in` and set algebra; their methods' rules live in the registry
// (src/library/dicts.cpp). One key type and one value type per dict; an empty `{}` or
// `set()` learns them from what is stored into it, as an empty `[]` does from appends.

#include "frontend/diagnostic.h"
#include "infer/builtin.h"
#include "infer/call_typing.h"
#include "infer/function_typer.h"
#include "types/promotion.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using frontend::Operator;
using types::Kind;

namespace {

const char* container_name(Type t) { return t->kind == Kind::Set ? "set" : "dict"; }

// The type a display's items share: Python numbers promote as Python's do ({1, 2.5}).
Type merge_items(Type item, Type t, Span where, const char* what) {
  if (!item) return t;
  Type merged = types::unify(item, t);
  if (!merged)
    fail(ErrorCode::TypeMismatch, where,
         std::string("a ") + what + " holds one type in compiled code, not a " + types::name(item) + " and a " +
             types::name(t) + ".",
         "Convert the values to one type, e.g. float(v).");
  return merged;
}

}  // namespace

bool contains_call(const Expr& e) {
  if (e.kind == ExprKind::Call || !e.generators.empty()) return true;
  for (const auto& operand : e.operands)
    if (operand && contains_call(*operand)) return true;
  return false;
}

Type FunctionTyper::require_key(Type t, Span where) {
  if (!types::is_plain_data(t))
    fail(ErrorCode::TypeMismatch, where,
         t->kind == Kind::Array || t->kind == Kind::List || t->kind == Kind::Dict || t->kind == Kind::Set
             ? "unhashable type: '" + std::string(types::name(t->kind)) + "'."
             : "dict keys and set items in compiled code are numbers or tuples of numbers, not a " + types::name(t) + ".",
         t->kind == Kind::Array ? "Use a tuple of numbers as the key." : "");
  return t;
}

Type FunctionTyper::require_dict_value(Type t, Span where) {
  if (!types::is_plain_data(t))
    fail(ErrorCode::TypeMismatch, where,
         "dict values in compiled code are numbers or tuples of numbers, not a " + types::name(t) + " (yet).",
         t->kind == Kind::Array ? "Keep the arrays in a list of rows of one 2-d array, and store the row index." : "");
  return t;
}

void require_key_of(Type key, Type container, Span where) {
  Type key_type = container->elements[0];
  if (!converts_to_item(key, key_type))
    fail(ErrorCode::TypeMismatch, where,
         std::string("a ") + container_name(container) + " of " + types::name(key_type) + " keys cannot be used with a " +
             types::name(key) + " key in compiled code: it would not convert to the key type.",
         "Start the " + std::string(container_name(container)) + " with keys of the wider type.");
}

void require_value_of(Type value, Type dict_type, Span where) {
  if (!converts_to_item(value, types::dict_value(dict_type)))
    fail(ErrorCode::TypeMismatch, where,
         "a dict of " + types::name(types::dict_value(dict_type)) + " values cannot hold a " + types::name(value) +
             " in compiled code: a dict keeps the value type it starts with.",
         "Start the dict with the wider type, e.g. 0.0 for floats.");
}

Type FunctionTyper::known_container(const Expr& container_expr, Type container_type) {
  if (!container_type->elements.empty()) return container_type;
  if (strict_)
    fail(ErrorCode::TypeMismatch, container_expr.span,
         std::string("what this ") + container_name(container_type) +
             " holds is never known: it is empty and nothing is stored into it.",
         container_type->kind == Kind::Set ? "Add to it in this function, or start it with a value: {0}."
                                           : "Store into it in this function (d[k] = v), or start it with a value: {0: 0.0}.");
  return nullptr;
}

void FunctionTyper::widen_container(const Expr& container_expr, Type key, Type value) {
  if (container_expr.kind != ExprKind::Name || !locals_.count(container_expr.name)) return;
  assign_variable(container_expr.name, value ? types::dict(key, value) : types::set(key), container_expr.span);
}

Type FunctionTyper::container_variable(const Expr& e) {
  // A dict, set or list still empty: the store or call that tells what it holds.
  if (e.kind == ExprKind::Name && locals_.count(e.name)) {
    auto it = spec_.variables.find(e.name);
    if (it != spec_.variables.end() && it->second &&
        (it->second->kind == Kind::Dict || it->second->kind == Kind::Set || it->second->kind == Kind::List) &&
        it->second->elements.empty())
      return record(e, it->second);
  }
  return expr(e);
}

Type FunctionTyper::dict_display(const Expr& e) {
  Type key = nullptr, value = nullptr;
  for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
    Type k = expr(*e.operands[i]);
    Type v = expr(*e.operands[i + 1]);
    if (!k || !v) return nullptr;
    key = merge_items(key, require_key(k, e.operands[i]->span), e.operands[i]->span, "dict's keys");
    value = merge_items(value, require_dict_value(v, e.operands[i + 1]->span), e.operands[i + 1]->span, "dict's values");
  }
  return record(e, types::dict(key, value));
}

Type FunctionTyper::set_display(const Expr& e) {
  Type item = nullptr;
  for (const auto& operand : e.operands) {
    Type t = expr(*operand);
    if (!t) return nullptr;
    item = merge_items(item, require_key(t, operand->span), operand->span, "set");
  }
  return record(e, types::set(item));
}

Type FunctionTyper::container_comprehension(const Expr& e) {
  Type item = comprehension_item(e);  // the key, or the set's item
  if (!item) return nullptr;
  require_key(item, e.operands[0]->span);
  if (e.kind == ExprKind::SetComp) return record(e, types::set(item));
  Type value = expr(*e.operands[1]);
  if (!value) return nullptr;
  return record(e, types::dict(item, require_dict_value(value, e.operands[1]->span)));
}

Type FunctionTyper::subscript_key(const Expr& subscript) {
  // d[a, b] is d[(a, b)], as in Python: the indices after the dict are the key's elements.
  std::vector<Type> elements;
  for (size_t i = 1; i < subscript.operands.size(); ++i) {
    if (subscript.operands[i]->kind == ExprKind::Slice || subscript.operands[i]->kind == ExprKind::EllipsisLit)
      fail(ErrorCode::TypeMismatch, subscript.operands[i]->span, "a dict's key cannot be a slice.");
    Type t = expr(*subscript.operands[i]);
    if (!t) return nullptr;
    elements.push_back(t);
  }
  return elements.size() == 1 ? elements[0] : types::tuple(std::move(elements));
}

Type FunctionTyper::dict_subscript(const Expr& e, Type dict_type) {
  Type key = subscript_key(e);
  if (!key || !known_container(*e.operands[0], dict_type)) return nullptr;
  require_key_of(key, dict_type, e.operands[1]->span);
  return record(e, types::dict_value(dict_type));
}

bool FunctionTyper::dict_store(const Expr& target, Type value, Span where) {
  Type dict_type = container_variable(*target.operands[0]);
  if (!dict_type || dict_type->kind != Kind::Dict) return false;
  Type key = subscript_key(target);
  if (!key) return true;
  require_key(key, target.operands[1]->span);
  require_dict_value(value, where);
  if (dict_type->elements.empty()) {
    widen_container(*target.operands[0], key, value);
    return true;
  }
  require_key_of(key, dict_type, target.operands[1]->span);
  require_value_of(value, dict_type, where);
  record(target, types::dict_value(dict_type));
  return true;
}

void FunctionTyper::delete_stmt(const Stmt& s) {
  for (const auto& target : s.targets) {
    Type container = expr(*target->operands[0]);
    if (!container) continue;
    if (target->operands.size() != 2 && container->kind != Kind::Dict)
      fail(ErrorCode::TypeMismatch, target->span, "list indices must be integers or slices, not tuple.");
    const Expr& index = *target->operands[1];
    if (container->kind == Kind::List && index.kind != ExprKind::Slice) {
      Type t = expr(index);
      if (t && !types::is_integer(t->kind) && !types::is_bool(t->kind))
        fail(ErrorCode::TypeMismatch, index.span, "list indices must be integers or slices, not " + types::name(t) + ".");
      if (t) known_item(*target->operands[0], container);
      continue;
    }
    if (container->kind == Kind::Dict) {
      Type key = subscript_key(*target);
      if (key && known_container(*target->operands[0], container)) require_key_of(key, container, index.span);
      continue;
    }
    fail(ErrorCode::UnsupportedSyntax, target->span,
         container->kind == Kind::List ? "del of a list slice is not supported in compiled code."
                                       : "del deletes dict entries and list items in compiled code, not items of a " +
                                             types::name(container) + ".",
         container->kind == Kind::Array ? "Arrays have a fixed size: build a new one with np.delete's logic (a mask)." : "");
  }
}

Type FunctionTyper::membership(const Expr& e, Type item, Type container) {
  if (!known_container(e, container)) return nullptr;
  require_key_of(item, container, e.span);  // 1.5 in {1: ...} would find 1 after converting
  return types::scalar(Kind::PyBool);
}

Type FunctionTyper::set_binary(const Expr& e, Operator op, Type left, Type right) {
  const bool algebra = op == Operator::BitOr || op == Operator::BitAnd || op == Operator::Sub || op == Operator::BitXor;
  if (algebra && left->kind == Kind::Set && right->kind == Kind::Set) {
    Type merged = types::unify(left, right);
    if (!merged)
      fail(ErrorCode::TypeMismatch, e.span,
           "cannot combine a " + types::name(left) + " and a " + types::name(right) + " in compiled code: a set keeps one item type.");
    return merged;
  }
  fail(ErrorCode::TypeMismatch, e.span,
       "unsupported operand type(s) for " + std::string(frontend::spelling(op)) + ": '" + types::name(left) + "' and '" +
           types::name(right) + "'.",
       left->kind == Kind::Dict || right->kind == Kind::Dict ? "Merge dicts with d.update(other)." : "");
}

Type FunctionTyper::container_method(const Expr& e, const Expr& self, Type self_type, const std::string& method) {
  const char* kind = container_name(self_type);
  const Builtin* entry = find_builtin(std::string(kind) + "." + method);
  if (!entry)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span,
         std::string("'") + kind + "' object has no attribute '" + method + "' in compiled code.",
         self_type->kind == Kind::Set
             ? "Supported: add, discard, remove, pop, clear, copy, update, union, intersection, difference."
             : "Supported: get, setdefault, pop, popitem, keys, values, items, clear, copy, update.");
  CallTyping call(*this, e, *entry, spec_.calls[&e], &self, self_type);
  return entry->type(call);
}

}  // namespace accel::infer
