// Typing of NumPy's array-creation functions and array methods inside compiled code.

#include "frontend/diagnostic.h"
#include "infer/builtin_table.h"
#include "infer/function_typer.h"
#include "types/promotion.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::fail;
using types::Kind;

namespace {

const NumpySignature kCreation[] = {
    {"empty", {"shape", "dtype"}, 1},          {"zeros", {"shape", "dtype"}, 1},
    {"ones", {"shape", "dtype"}, 1},           {"full", {"shape", "fill_value", "dtype"}, 2},
    {"empty_like", {"a", "dtype"}, 1},         {"zeros_like", {"a", "dtype"}, 1},
    {"ones_like", {"a", "dtype"}, 1},          {"full_like", {"a", "fill_value", "dtype"}, 2},
    {"arange", {"start", "stop", "step", "dtype"}, 1},
    {"linspace", {"start", "stop", "num", "endpoint", "dtype"}, 2},
};

}  // namespace

const std::vector<std::string_view>* creation_parameters(std::string_view name) {
  for (const auto& s : kCreation)
    if (s.name == name) return &s.parameters;
  return nullptr;
}

Kind FunctionTyper::dtype_argument(const Expr& e) {
  Type t = expr(e);
  Kind kind;
  if (t && t->kind == Kind::Builtin) {
    const std::string& q = t->name;
    if (q.rfind("numpy.", 0) == 0 && numpy_scalar_kind(q.substr(6), kind)) return kind;
    if (q == "builtins.float") return Kind::Float64;
    if (q == "builtins.int") return Kind::Int64;
    if (q == "builtins.bool") return Kind::Bool;
  }
  fail(ErrorCode::TypeMismatch, e.span, "dtype must be a NumPy scalar type (np.float32, ...) or int, float, bool.",
       "Strings such as 'float32' are not supported in compiled code.");
}

int FunctionTyper::shape_argument(const Expr& e) {
  Type t = expr(e);
  if (!t) return -1;
  auto integral = [](Type x) { return types::is_scalar(x) && !types::is_float(x->kind); };
  if (integral(t)) return 1;
  if (t->kind == Kind::Tuple) {
    for (Type element : t->elements)
      if (!integral(element))
        fail(ErrorCode::TypeMismatch, e.span, "a shape holds integers, not " + types::name(element) + ".");
    return static_cast<int>(t->elements.size());
  }
  fail(ErrorCode::TypeMismatch, e.span, "a shape is an integer or a tuple of integers, not " + types::name(t) + ".");
}

Type FunctionTyper::array_creation(const Expr& e, const std::string& fn) {
  const NumpySignature* signature = nullptr;
  for (const auto& s : kCreation)
    if (s.name == fn) signature = &s;
  // (1) Bind positional and keyword arguments to NumPy's parameter names.
  CallTarget target = bind_arguments(e, "np." + fn, signature->parameters, signature->required);
  target.builtin = "numpy." + fn;
  auto argument = [&](std::string_view name) -> const Expr* {
    for (size_t i = 0; i < signature->parameters.size(); ++i)
      if (signature->parameters[i] == name) return target.arguments[i];
    return nullptr;
  };
  auto scalar_argument = [&](const Expr* a) -> Type {
    Type t = expr(*a);
    if (t && !types::is_scalar(t))
      fail(ErrorCode::TypeMismatch, a->span, "np." + fn + "() takes a number here, not a " + types::name(t) + ".");
    if (t && types::is_complex(t->kind) && fn != "full" && fn != "full_like")
      fail(ErrorCode::UnsupportedSyntax, a->span, "np." + fn + "() of complex numbers is not supported in compiled code.");
    return t;
  };
  const Expr* dtype_expr = argument("dtype");
  std::optional<Kind> dtype;
  if (dtype_expr) dtype = dtype_argument(*dtype_expr);

  // (2) Result type: dtype and dimensions, as NumPy 2 decides them.
  Kind kind = Kind::Float64;
  int ndim = 1;
  if (fn == "empty" || fn == "zeros" || fn == "ones" || fn == "full") {
    ndim = shape_argument(*argument("shape"));
    if (fn == "full") {
      Type fill = scalar_argument(argument("fill_value"));
      if (!fill) return nullptr;
      kind = types::numpy_kind(fill->kind);
    }
  } else if (fn.size() > 5 && fn.substr(fn.size() - 5) == "_like") {
    Type like = expr(*argument("a"));
    if (!like) return nullptr;
    if (like->kind != Kind::Array)
      fail(ErrorCode::TypeMismatch, argument("a")->span, "np." + fn + "() takes an array here, not a " + types::name(like) + ".");
    kind = like->dtype;
    ndim = like->ndim;
    if (fn == "full_like" && !scalar_argument(argument("fill_value"))) return nullptr;
  } else if (fn == "arange") {
    // np.arange(stop) or (start, stop[, step]): int64 unless any argument is a float.
    bool any_float = false;
    for (const char* name : {"start", "stop", "step"})
      if (const Expr* a = argument(name)) {
        Type t = scalar_argument(a);
        if (!t) return nullptr;
        any_float = any_float || types::is_float(t->kind);
        if (types::is_float(t->kind) && !types::is_python_scalar(t->kind)) kind = t->kind;
      }
    kind = any_float ? (kind == Kind::Float32 ? Kind::Float32 : Kind::Float64) : Kind::Int64;
  } else {  // linspace
    for (const char* name : {"start", "stop"})
      if (!scalar_argument(argument(name))) return nullptr;
    if (const Expr* num = argument("num")) {
      Type t = scalar_argument(num);
      if (t && types::is_float(t->kind))
        fail(ErrorCode::TypeMismatch, num->span, "'float' object cannot be interpreted as an integer");
    }
    if (const Expr* endpoint = argument("endpoint")) scalar_argument(endpoint);
  }
  if (dtype) kind = *dtype;
  spec_.calls[&e] = target;
  return record(e, types::array(kind, ndim, types::Layout::C));
}

}  // namespace accel::infer

namespace accel::infer {

Type FunctionTyper::array_method(const Expr& e, const Expr& self, Type self_type, const std::string& method) {
  (void)self_type;
  if (is_array_function(method)) return array_function(e, method, &self, /*method=*/true);
  fail(ErrorCode::UnsupportedSyntax, e.operands[0]->span,
       "the array method ." + method + "() is not supported in compiled code.",
       "Supported: copy, astype, fill, item, reshape, transpose, ravel, flatten, sum, prod, min, max, mean, std, var, "
       "argmin, argmax, any, all, cumsum, dot; see docs/jit.md.");
}

}  // namespace accel::infer
