// NumPy's advanced indexing by one array, as numba allows: x[mask] and x[indices] read
// and write through operator.getitem's and operator.setitem's overloads, written in the
// compiled subset (python/accel/numpy_library/advanced_indexing.py). The engine checks
// what NumPy rejects before any implementation is chosen, with NumPy's messages.

#include "frontend/diagnostic.h"
#include "infer/function_typer.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using types::Kind;

namespace {

// The one array index of x[...], or a CompileError when it comes with other indices.
const Expr& sole_array_index(const Expr& subscript) {
  if (subscript.operands.size() != 2)
    fail(ErrorCode::UnsupportedSyntax, subscript.span,
         "an array used as an index together with other indices is not supported in compiled code.",
         "Index in two steps, for example x[:, 1:][mask] or x[rows][:, 0].");
  return *subscript.operands[1];
}

void check_index_array(const Expr& index, Type index_type, Type base) {
  if (!types::is_integer(index_type->dtype) && !types::is_bool(index_type->dtype))
    fail(ErrorCode::TypeMismatch, index.span, "arrays used as indices must be of integer (or boolean) type");
  if (types::is_bool(index_type->dtype) && index_type->ndim > base->ndim)
    fail(ErrorCode::TypeMismatch, index.span,
         "too many indices for array: array is " + std::to_string(base->ndim) + "-dimensional, but " +
             std::to_string(index_type->ndim) + " were indexed");
}

}  // namespace

bool FunctionTyper::indexes_by_array(const Expr& subscript) {
  Type base = expr(*subscript.operands[0]);
  if (!base || base->kind != Kind::Array) return false;
  for (size_t i = 1; i < subscript.operands.size(); ++i) {
    const Expr& index = *subscript.operands[i];
    if (index.kind == ExprKind::Slice || index.kind == ExprKind::EllipsisLit) continue;
    Type t = expr(index);
    if (t && t->kind == Kind::Array) return true;
  }
  return false;
}

Type FunctionTyper::advanced_subscript(const Expr& e, Type base) {
  const Expr& index = sole_array_index(e);
  check_index_array(index, spec_.type_of(index), base);
  return overload_call(e, frontend::Program::kGetItem, "operator.getitem", {e.operands[0].get(), &index});
}

bool FunctionTyper::advanced_store(const Expr& target, const Expr& value) {
  if (target.kind != ExprKind::Subscript || !indexes_by_array(target)) return false;
  const Expr& index = sole_array_index(target);
  Type base = spec_.type_of(*target.operands[0]);
  check_index_array(index, spec_.type_of(index), base);
  Type v = expr(value);
  if (v && !types::is_scalar(v) && v->kind != Kind::Array)
    fail(ErrorCode::TypeMismatch, value.span,
         "cannot assign a " + types::name(v) + " to " + types::name(base) + " indexed by an array.");
  overload_call(target, frontend::Program::kSetItem, "operator.setitem",
                {target.operands[0].get(), &index, &value});
  return true;
}

}  // namespace accel::infer
