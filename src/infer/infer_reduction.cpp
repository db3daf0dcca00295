// Typing of reductions and shape functions on arrays: x.sum(axis=...), np.mean(x),
// np.dot, np.cumsum, np.sort, x.reshape, x.T, x.ravel().

#include <algorithm>

#include "frontend/diagnostic.h"
#include "infer/function_typer.h"
#include "types/promotion.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using types::Kind;

namespace {

struct ArrayFunction {
  std::string_view name;
  std::vector<std::string_view> parameters;  // after the array itself
};

const ArrayFunction kArrayFunctions[] = {
    {"sum", {"axis"}},     {"prod", {"axis"}},    {"min", {"axis"}},      {"max", {"axis"}},
    {"amin", {"axis"}},    {"amax", {"axis"}},    {"mean", {"axis"}},     {"argmin", {"axis"}},
    {"argmax", {"axis"}},  {"any", {"axis"}},     {"all", {"axis"}},      {"std", {"axis", "dtype", "out", "ddof"}},
    {"var", {"axis", "dtype", "out", "ddof"}},    {"cumsum", {"axis"}},   {"sort", {"axis"}},
    {"dot", {"b"}},        {"transpose", {}},     {"ravel", {}},          {"flatten", {}},
    {"copy", {}},          {"reshape", {"shape"}},    {"astype", {"dtype"}},  {"fill", {"value"}},
    {"item", {}},
};

// The result kind of a reduction over elements of `dtype` (NumPy 2).
Kind reduction_kind(std::string_view fn, Kind dtype) {
  if (fn == "sum" || fn == "prod" || fn == "cumsum") {
    if (types::is_float(dtype) || types::is_complex(dtype)) return dtype;
    return types::is_signed(dtype) || types::is_bool(dtype) ? Kind::Int64 : Kind::UInt64;
  }
  if (fn == "mean" || fn == "std" || fn == "var")
    return types::is_float(dtype) || types::is_complex(dtype) ? dtype : Kind::Float64;
  if (fn == "argmin" || fn == "argmax") return Kind::Int64;
  if (fn == "any" || fn == "all") return Kind::Bool;
  return dtype;  // min, max, sort
}

}  // namespace

bool is_array_function(std::string_view name) {
  for (const auto& f : kArrayFunctions)
    if (f.name == name) return true;
  return false;
}

int FunctionTyper::constant_axis(const Expr* axis, int ndim) {
  if (!axis || axis->kind == ExprKind::NoneLit) return -1;
  int64_t value = 0;
  if (axis->kind == ExprKind::IntLit) {
    value = axis->int_value;
  } else if (axis->kind == ExprKind::UnaryOp && axis->op == frontend::Operator::USub &&
             axis->operands[0]->kind == ExprKind::IntLit) {
    value = -axis->operands[0]->int_value;
  } else {
    fail(ErrorCode::TypeMismatch, axis->span, "axis must be an integer constant in compiled code.",
         "The result's number of dimensions depends on it, so it is fixed when compiling.");
  }
  if (value < -ndim || value >= ndim)
    fail(ErrorCode::TypeMismatch, axis->span,
         "axis " + std::to_string(value) + " is out of bounds for array of dimension " + std::to_string(ndim));
  return static_cast<int>(value < 0 ? value + ndim : value);
}

Type FunctionTyper::array_function(const Expr& e, const std::string& fn, const Expr* self, bool method) {
  const ArrayFunction* f = nullptr;
  for (const auto& candidate : kArrayFunctions)
    if (candidate.name == fn) f = &candidate;
  std::vector<std::string_view> parameters = f->parameters;
  if (!method) parameters.insert(parameters.begin(), "a");
  const std::string display = method ? "." + fn : "np." + fn;
  // (1) Bind; x.reshape(2, 3) spells the shape as separate arguments.
  std::vector<const Expr*> dims;
  CallTarget target;
  if (fn == "reshape" && e.operands.size() - 1 > parameters.size() && e.keywords.empty()) {
    target.arguments.push_back(method ? self : e.operands[1].get());
    for (size_t i = method ? 1 : 2; i < e.operands.size(); ++i) dims.push_back(e.operands[i].get());
  } else {
    target = bind_arguments(e, display, parameters, method ? 0 : 1);
    if (method) target.arguments.insert(target.arguments.begin(), self);
  }
  target.builtin = "array." + fn;
  const Expr* array_expr = target.arguments[0];
  Type array_type = expr(*array_expr);
  if (!array_type) return nullptr;
  if (array_type->kind != Kind::Array)
    fail(ErrorCode::TypeMismatch, array_expr->span, display + "() takes an array here, not a " + types::name(array_type) + ".");
  auto argument = [&](std::string_view name) -> const Expr* {
    for (size_t i = 0; i < f->parameters.size(); ++i)
      if (f->parameters[i] == name) return target.arguments[i + 1];
    return nullptr;
  };
  const Kind dtype = array_type->dtype;
  const int ndim = array_type->ndim;
  constexpr std::string_view kTakeComplex[] = {"transpose", "ravel", "flatten", "copy", "reshape", "sum",
                                               "prod",      "mean",  "astype",  "fill", "item"};
  if (types::is_complex(dtype) && std::find(std::begin(kTakeComplex), std::end(kTakeComplex), fn) == std::end(kTakeComplex))
    fail(ErrorCode::UnsupportedSyntax, e.span, display + "() of a complex array is not supported in compiled code yet.",
         "Loop over the elements: complex numbers add, multiply and divide element by element.");
  Type result = nullptr;
  if (fn == "transpose") {
    result = types::transposed(array_type);
  } else if (fn == "ravel" || fn == "flatten") {
    result = types::array(dtype, 1, types::Layout::C, fn == "ravel" && array_type->readonly);
  } else if (fn == "copy") {
    result = types::array(dtype, ndim, types::Layout::C);
  } else if (fn == "fill") {
    // x.fill(v) stores v everywhere, cast as a store casts it (x[...] = v).
    if (!argument("value")) fail(ErrorCode::BadCall, e.span, display + "() needs a value.");
    Type value = expr(*argument("value"));
    if (!value) return nullptr;
    if (!types::is_scalar(value))
      fail(ErrorCode::TypeMismatch, argument("value")->span, display + "() takes a number, not a " + types::name(value) + ".");
    if (types::is_complex(value->kind) && !types::is_complex(dtype))
      fail(ErrorCode::TypeMismatch, argument("value")->span, "a complex number does not fit a real array.");
    result = types::none();
  } else if (fn == "item") {
    // NumPy gives a Python number (a uint64 stays NumPy's, as results do: semantics #26).
    Kind kind = types::is_bool(dtype) ? Kind::PyBool
              : types::is_complex(dtype) ? Kind::PyComplex
              : types::is_float(dtype) ? Kind::PyFloat
              : dtype == Kind::UInt64 ? Kind::UInt64 : Kind::PyInt;
    result = types::scalar(kind);
  } else if (fn == "astype") {
    // A C-ordered copy, cast as NumPy's default casting='unsafe' does (as a store does).
    if (!argument("dtype")) fail(ErrorCode::BadCall, e.span, display + "() needs a dtype.");
    const Kind to = dtype_argument(*argument("dtype"));
    if (types::is_complex(dtype) && !types::is_complex(to))
      fail(ErrorCode::TypeMismatch, e.span,
           display + "() of a complex array to a real dtype is not supported in compiled code.",
           "Take x.real (NumPy discards the imaginary part with a ComplexWarning).");
    result = types::array(to, ndim, types::Layout::C);
  } else if (fn == "reshape") {
    int new_ndim = 0;
    if (!dims.empty()) {
      for (const Expr* d : dims) shape_argument(*d);
      new_ndim = static_cast<int>(dims.size());
      target.arguments.insert(target.arguments.end(), dims.begin(), dims.end());
    } else {
      if (!argument("shape")) fail(ErrorCode::BadCall, e.span, display + "() needs a shape.");
      new_ndim = shape_argument(*argument("shape"));
    }
    result = types::array(dtype, new_ndim, types::Layout::C, array_type->readonly);
  } else if (fn == "dot") {
    Type other = expr(*argument("b"));
    if (!other) return nullptr;
    if (other->kind != Kind::Array || other->ndim < 1 || other->ndim > 2 || ndim < 1 || ndim > 2)
      fail(ErrorCode::TypeMismatch, e.span, "np.dot takes 1-d or 2-d arrays in compiled code.");
    if (types::is_bool(dtype) || types::is_bool(other->dtype))
      fail(ErrorCode::TypeMismatch, e.span, "np.dot of bool arrays is not supported in compiled code.");
    result = matrix_product_type(array_type, other);
  } else if (fn == "cumsum") {
    if (argument("axis") && argument("axis")->kind != ExprKind::NoneLit)
      fail(ErrorCode::UnsupportedSyntax, argument("axis")->span, "cumsum with an axis is not supported in compiled code.");
    result = types::array(reduction_kind(fn, dtype), 1, types::Layout::C);
  } else if (fn == "sort") {
    const int axis = argument("axis") ? constant_axis(argument("axis"), ndim) : ndim - 1;
    if (axis != ndim - 1)
      fail(ErrorCode::UnsupportedSyntax, argument("axis")->span, "np.sort along an axis other than the last is not supported in compiled code.");
    if (ndim < 1) fail(ErrorCode::TypeMismatch, e.span, "np.sort of a 0-d array.");
    result = types::array(dtype, ndim, types::Layout::C);
  } else {
    // A reduction: over everything, or over one axis.
    for (const char* unsupported : {"dtype", "out"})
      if (argument(unsupported) && argument(unsupported)->kind != ExprKind::NoneLit)
        fail(ErrorCode::UnsupportedSyntax, argument(unsupported)->span,
             std::string(unsupported) + "= is not supported in compiled code.");
    if (const Expr* ddof = argument("ddof")) {
      Type t = expr(*ddof);
      if (t && !(types::is_scalar(t)))
        fail(ErrorCode::TypeMismatch, ddof->span, "ddof must be a number.");
    }
    const int axis = constant_axis(argument("axis"), ndim);
    const Kind kind = reduction_kind(fn, dtype);
    result = axis < 0 || ndim == 1 ? types::scalar(kind) : types::array(kind, ndim - 1, types::Layout::C);
    if (axis >= 0 && ndim > 1) target.builtin += "@" + std::to_string(axis);
  }
  spec_.calls[&e] = target;
  return record(e, result);
}

}  // namespace accel::infer
