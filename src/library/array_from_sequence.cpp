// np.array(object, dtype=None) and np.asarray(a, dtype=None) of arrays, lists and tuples:
// a list or tuple of numbers makes a 1-d array, one of equal-length tuples of numbers a
// 2-d array, with NumPy's dtype for the values (Python floats as float64, ints as int64).

#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "infer/function_typer.h"
#include "library/families.h"
#include "types/promotion.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::FunctionEmitter;
using frontend::ErrorCode;
using frontend::fail;
using infer::CallTyping;

/// The rows of a sequence: its items (a list's one item type, a tuple's elements).
std::vector<Type> rows_of(Type sequence) {
  if (sequence->kind == Kind::List) return {types::list_item(sequence)};
  return sequence->elements;
}

/// The kind NumPy discovers for the values: each as it would be stored (a Python float as
/// float64, not as a weak scalar), then promoted.
Kind discovered_kind(const std::vector<Type>& values) {
  Kind kind = types::numpy_kind(values[0]->kind);
  for (Type v : values) kind = types::promote(kind, types::numpy_kind(v->kind));
  return kind;
}

/// np.array([[1, 2], [3, 4]]): displays of displays of one length, a 2-d array made
/// from their items directly (compiled lists do not hold lists).
struct NestedDisplay {
  bool nested = false;
};

bool is_display(const frontend::Expr& e) {
  return e.kind == frontend::ExprKind::List || e.kind == frontend::ExprKind::Tuple;
}

bool nested_display(const frontend::Expr& e) {
  if (!is_display(e) || e.operands.empty()) return false;
  for (const auto& row : e.operands)
    if (!is_display(*row) || row->operands.empty() || row->operands.size() != e.operands[0]->operands.size())
      return false;
  return true;
}

Type type_nested_display(CallTyping& call, const frontend::Expr& display, const frontend::Expr* dtype_expr) {
  std::vector<Type> values;
  for (const auto& row : display.operands)
    for (const auto& item : row->operands) {
      Type t = call.type_of(*item);
      if (!t) return nullptr;
      if (!types::is_scalar(t))
        fail(ErrorCode::TypeMismatch, item->span,
             call.display() + "() in compiled code makes arrays of numbers, not of " + types::name(t) + ".");
      values.push_back(t);
    }
  call.facts(NestedDisplay{true});
  const Kind dtype = dtype_expr ? call.dtype(*dtype_expr) : discovered_kind(values);
  return call.result(types::array(dtype, 2, types::Layout::C));
}

Type type_array(CallTyping& call) {
  const bool copies = call.name() == "numpy.array";
  auto args = call.bind({copies ? "object" : "a", "dtype"}, 1);
  if (nested_display(*args[0])) return type_nested_display(call, *args[0], args[1]);
  call.facts(NestedDisplay{});
  Type object = call.type_of(*args[0]);
  if (!object) return nullptr;
  std::optional<Kind> dtype;
  if (args[1]) dtype = call.dtype(*args[1]);
  if (object->kind == Kind::Array) {
    if (!copies && (!dtype || *dtype == object->dtype)) return call.result(object);
    return call.result(types::array(dtype.value_or(object->dtype), object->ndim, types::Layout::C));
  }
  if (object->kind != Kind::List && object->kind != Kind::Tuple)
    fail(ErrorCode::TypeMismatch, call.argument_span(0),
         call.display() + "() in compiled code takes an array, a list or a tuple, not a " + types::name(object) + ".",
         types::is_scalar(object) ? "A number would make a 0-d array: use the number itself." : "");
  if (object->kind == Kind::List && !call.typer().known_item(*args[0], object)) return nullptr;
  std::vector<Type> rows = rows_of(object);
  if (rows.empty())
    fail(ErrorCode::TypeMismatch, call.argument_span(0),
         call.display() + "() of an empty tuple has no dtype to discover in compiled code.",
         "Use np.empty(0) or np.zeros(0, dtype=...).");
  std::vector<Type> values;
  const bool nested = rows[0]->kind == Kind::Tuple;
  for (Type row : rows) {
    const bool fits = nested ? row->kind == Kind::Tuple && row->elements.size() == rows[0]->elements.size()
                             : types::is_scalar(row);
    if (!fits)
      fail(ErrorCode::TypeMismatch, call.argument_span(0),
           call.display() + "() in compiled code takes numbers, or tuples of numbers of one length, not a " +
               types::name(object) + ".",
           "NumPy would make a ragged object array of it, which compiled code has no type for.");
    if (!nested) values.push_back(row);
    for (Type v : nested ? row->elements : std::vector<Type>{})
      if (!types::is_scalar(v))
        fail(ErrorCode::TypeMismatch, call.argument_span(0),
             call.display() + "() in compiled code makes arrays of numbers, not of " + types::name(v) + ".");
      else
        values.push_back(v);
  }
  if (values.empty())
    fail(ErrorCode::TypeMismatch, call.argument_span(0),
         call.display() + "() of empty tuples has no dtype to discover in compiled code.");
  if (dtype && !types::is_complex(*dtype))
    for (Type v : values)
      if (types::is_complex(v->kind))
        fail(ErrorCode::TypeMismatch, call.argument_span(0),
             "can't convert complex to " + std::string(types::name(*dtype)) + ".", "Take .real or abs() of the values first.");
  return call.result(types::array(dtype.value_or(discovered_kind(values)), nested ? 2 : 1, types::Layout::C));
}

llvm::Value* lower_nested_display(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  const frontend::Expr& display = *call.argument_expression(0);
  Type result = call.result_type();
  const size_t columns = display.operands[0]->operands.size();
  std::vector<llvm::Value*> items;  // every item first, in Python's order of evaluation
  for (const auto& row : display.operands)
    for (const auto& item : row->operands) items.push_back(e.expr(*item));
  llvm::Value* out = e.allocate_array(result, {b.getInt64(static_cast<int64_t>(display.operands.size())),
                                               b.getInt64(static_cast<int64_t>(columns))});
  size_t at = 0;
  for (size_t i = 0; i < display.operands.size(); ++i)
    for (size_t j = 0; j < columns; ++j, ++at) {
      Type t = e.type_of(*display.operands[i]->operands[j]);
      e.store_element(e.element_at(out, result, {b.getInt64(i), b.getInt64(j)}),
                      e.checked_cast_kind(items[at], t->kind, result->dtype), result->dtype);
    }
  return out;
}

llvm::Value* lower_array(CallLowering& call) {
  if (call.facts<NestedDisplay>().nested) return lower_nested_display(call);
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type object = call.argument_type(0);
  Type result = call.result_type();
  llvm::Value* value = call.argument(0);
  if (object->kind == Kind::Array)  // np.array copies; np.asarray only to change the dtype
    return call.name() == "numpy.asarray" && result == object ? value : e.cast_copy(value, object, result->dtype);
  const Kind dtype = result->dtype;
  // One row (a number, or a tuple of numbers for a 2-d array) into row `k` of `out`.
  auto store_row = [&](llvm::Value* out, llvm::Value* k, llvm::Value* row, Type row_type) {
    if (row_type->kind != Kind::Tuple) {
      e.store_element(e.element_at(out, result, {k}), e.checked_cast_kind(row, row_type->kind, dtype), dtype);
      return;
    }
    for (unsigned j = 0; j < row_type->elements.size(); ++j)
      e.store_element(e.element_at(out, result, {k, b.getInt64(j)}),
                      e.checked_cast_kind(b.CreateExtractValue(row, {j}), row_type->elements[j]->kind, dtype), dtype);
  };
  std::vector<Type> rows = rows_of(object);
  std::vector<llvm::Value*> shape = {object->kind == Kind::List ? e.list_size(value)
                                                                : b.getInt64(static_cast<int64_t>(rows.size()))};
  if (result->ndim == 2) shape.push_back(b.getInt64(static_cast<int64_t>(rows[0]->elements.size())));
  llvm::Value* out = e.allocate_array(result, shape);
  if (object->kind == Kind::Tuple) {
    for (unsigned k = 0; k < rows.size(); ++k) store_row(out, b.getInt64(k), b.CreateExtractValue(value, {k}), rows[k]);
    return out;
  }
  e.loop_nest({shape[0]}, [&](const std::vector<llvm::Value*>& k) {
    store_row(out, k[0], e.load_list_item(value, object, k[0]), rows[0]);
  });
  return out;
}

const infer::Builtin kArrayFromSequence[] = {
    {"numpy.array", type_array, lower_array},
    {"numpy.asarray", type_array, lower_array},
};

}  // namespace

std::span<const infer::Builtin> array_from_sequence() { return kArrayFromSequence; }

}  // namespace accel::library
