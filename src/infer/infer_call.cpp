#include "frontend/diagnostic.h"
#include "infer/builtin_table.h"
#include "infer/function_typer.h"
#include "infer/operator_rules.h"
#include "types/declared_return.h"
#include "types/promotion.h"
#include "types/type_text.h"

#include <algorithm>

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using frontend::GlobalValue;
using types::Kind;

namespace {

Type constant_type(const GlobalValue& g) {
  switch (g.kind) {
    case GlobalValue::Kind::Int: return types::scalar(Kind::PyInt);
    case GlobalValue::Kind::Float: return types::scalar(Kind::PyFloat);
    case GlobalValue::Kind::Bool: return types::scalar(Kind::PyBool);
    default: return nullptr;
  }
}

// numpy on Python scalars computes in float64/int64: np.sqrt(2.0) is an np.float64.
Kind numpy_kind(Kind kind) {
  switch (kind) {
    case Kind::PyBool: return Kind::Bool;
    case Kind::PyInt: return Kind::Int64;
    case Kind::PyFloat: return Kind::Float64;
    default: return kind;
  }
}

std::string short_name(const std::string& qualname) {
  return qualname.rfind("builtins.", 0) == 0 ? qualname.substr(9) : qualname;
}

}  // namespace

std::vector<Type> FunctionTyper::argument_types(const Expr& e) {
  std::vector<Type> types_out;
  for (size_t i = 1; i < e.operands.size(); ++i) types_out.push_back(expr(*e.operands[i]));
  return types_out;
}

Type FunctionTyper::call(const Expr& e) {
  const Expr& callee = *e.operands[0];
  if (callee.kind == ExprKind::Attribute) {
    Type base = expr(*callee.operands[0]);
    if (!base) return nullptr;
    if (base->kind == Kind::Array) return array_method(e, *callee.operands[0], base, callee.name);
  }
  Type target = expr(callee);
  if (!target) return nullptr;
  if (target->kind == Kind::Function) return user_call(e, target->function_index);
  if (target->kind == Kind::Builtin) return builtin_call(e, target->name);
  fail(ErrorCode::TypeMismatch, callee.span,
       "a " + types::name(target) + " is not callable in compiled code.");
}

Type FunctionTyper::user_call(const Expr& e, int function_index) {
  const auto& callee = inference_.program().function(function_index);
  const auto& params = callee.def.params;
  const size_t given = e.operands.size() - 1;
  if (given > params.size())
    fail(ErrorCode::BadCall, e.span,
         callee.def.name + "() takes " + std::to_string(params.size()) +
             " positional arguments but " + std::to_string(given) + " were given.");
  CallTarget target;
  target.arguments.assign(params.size(), nullptr);
  for (size_t i = 0; i < given; ++i) target.arguments[i] = e.operands[i + 1].get();
  for (const auto& kw : e.keywords) {
    size_t i = 0;
    while (i < params.size() && params[i].name != kw.name) ++i;
    if (i == params.size())
      fail(ErrorCode::BadCall, kw.span,
           callee.def.name + "() got an unexpected keyword argument '" + kw.name + "'.");
    if (target.arguments[i])
      fail(ErrorCode::BadCall, kw.span,
           callee.def.name + "() got multiple values for argument '" + kw.name + "'.");
    target.arguments[i] = kw.value.get();
  }
  std::vector<Type> arg_types;
  bool unknown = false;
  for (size_t i = 0; i < params.size(); ++i) {
    Type t = nullptr;
    if (target.arguments[i]) {
      t = expr(*target.arguments[i]);
      if (t && (types::is_compile_time(t) || t->kind == Kind::Range))
        fail(ErrorCode::TypeMismatch, target.arguments[i]->span,
             "a " + types::name(t) + " cannot be passed to a compiled function.");
    } else if (i < callee.defaults.size() && callee.defaults[i]) {
      t = constant_type(*callee.defaults[i]);
      if (!t)
        fail(ErrorCode::BadCall, e.span,
             "the default value of parameter '" + params[i].name + "' of " + callee.def.name +
                 "() is not an int, float or bool; pass it explicitly.");
    } else {
      fail(ErrorCode::BadCall, e.span,
           callee.def.name + "() missing required argument '" + params[i].name + "'.");
    }
    unknown = unknown || !t;
    arg_types.push_back(t);
  }
  if (unknown) return nullptr;
  if (!callee.signatures.empty()) return signature_call(e, function_index, std::move(target), arg_types);
  Specialization& spec = inference_.request(function_index, arg_types);
  target.callee = &spec;
  spec_.calls[&e] = target;
  if (!spec.return_type && strict_)
    fail(ErrorCode::TypeMismatch, e.span,
         "cannot infer what " + callee.def.name + "() returns: every path of it calls itself.",
         "Give the recursion a base case that returns a value before the recursive call.");
  return record(e, spec.return_type);
}

Type FunctionTyper::signature_call(const Expr& e, int function_index, CallTarget target,
                                   const std::vector<Type>& arg_types) {
  // A function compiled from signatures runs one of them, chosen as for a call from
  // Python: the arguments convert to its types and the result to its declared type.
  const auto& callee = inference_.program().function(function_index);
  std::vector<uint32_t> codes;
  for (size_t i = 0; i < arg_types.size(); ++i) {
    if (!types::is_scalar(arg_types[i]) && arg_types[i]->kind != Kind::Array)
      fail(ErrorCode::TypeMismatch, e.span,
           callee.def.name + "() was compiled from signatures, which take numbers and arrays, "
           "not a " + types::name(arg_types[i]) + ".");
    codes.push_back(types::arg_code(arg_types[i]));
  }
  std::string why;
  const int chosen = inference_.program().choose_signature(function_index, codes, why);
  if (chosen < 0) fail(ErrorCode::BadCall, e.span, why);
  const frontend::DeclaredSignature& signature = callee.signatures.at(static_cast<size_t>(chosen));
  std::vector<Type> parameters;
  for (uint32_t code : signature.arg_codes) parameters.push_back(types::from_arg_code(code));
  Specialization& spec = inference_.request(function_index, parameters);
  target.callee = &spec;
  if (!spec.return_type) return nullptr;  // a recursion still being solved
  Type result = spec.return_type;
  if (!signature.declared_return.empty()) {
    target.declared_result = types::from_text(signature.declared_return);
    const types::ReturnConversion conversion = types::declared_return(spec.return_type, target.declared_result);
    if (!conversion.problem.empty()) fail(ErrorCode::TypeMismatch, e.span, conversion.problem);
    result = target.declared_result;
  }
  spec_.calls[&e] = std::move(target);
  return record(e, result);
}

Type FunctionTyper::builtin_call(const Expr& e, const std::string& qualname) {
  if (qualname.rfind("numpy.", 0) == 0 && creation_parameters(qualname.substr(6)))
    return array_creation(e, qualname.substr(6));
  if (qualname.rfind("numpy.random.", 0) == 0) return numpy_random(e, qualname.substr(13));
  if (qualname == "numpy.histogram") return histogram(e);
  if (qualname.rfind("numpy.", 0) == 0 && is_array_function(qualname.substr(6)))
    return array_function(e, qualname.substr(6), nullptr, /*method=*/false);
  if (!e.keywords.empty())
    fail(ErrorCode::BadCall, e.keywords[0].span,
         short_name(qualname) + "() takes no keyword arguments in compiled code.");
  std::vector<Type> args = argument_types(e);
  for (Type t : args)
    if (!t) return nullptr;
  const std::string name = short_name(qualname);
  auto require_count = [&](size_t low, size_t high) {
    if (args.size() < low || args.size() > high)
      fail(ErrorCode::BadCall, e.span,
           name + "() takes " +
               (low == high ? std::to_string(low) : std::to_string(low) + " to " + std::to_string(high)) +
               " arguments here, " + std::to_string(args.size()) + " given.");
  };
  auto require_scalar = [&](size_t i) {
    if (!types::is_scalar(args[i]))
      fail(ErrorCode::TypeMismatch, e.operands[i + 1]->span,
           name + "() takes a number here, not a " + types::name(args[i]) + ".");
  };
  spec_.calls[&e] = CallTarget{qualname, nullptr, {}};
  for (size_t i = 1; i < e.operands.size(); ++i)
    spec_.calls[&e].arguments.push_back(e.operands[i].get());

  if (qualname == "builtins.range" || qualname == "accel.prange") {
    require_count(1, 3);
    for (size_t i = 0; i < args.size(); ++i)
      if (!types::is_scalar(args[i]) || types::is_float(args[i]->kind))
        fail(ErrorCode::TypeMismatch, e.operands[i + 1]->span,
             "'" + types::name(args[i]) + "' object cannot be interpreted as an integer.");
    return record(e, types::range());
  }
  if (qualname == "builtins.len") {
    require_count(1, 1);
    if (args[0]->kind == Kind::Tuple)
      return constant(e, Constant{Kind::PyInt, static_cast<int64_t>(args[0]->elements.size()), 0});
    if (args[0]->kind != Kind::Array || args[0]->ndim == 0)
      fail(ErrorCode::TypeMismatch, e.operands[1]->span,
           "len() of a " + types::name(args[0]) + " is not defined.");
    return record(e, types::scalar(Kind::PyInt));
  }
  if (qualname == "builtins.abs") {
    require_count(1, 1);
    if (args[0]->kind == Kind::Array) return record(e, lift(types::element(args[0]), args[0], nullptr));
    require_scalar(0);
    return record(e, types::scalar(args[0]->kind == Kind::PyBool ? Kind::PyInt : args[0]->kind));
  }
  if (qualname == "builtins.min" || qualname == "builtins.max") {
    if (args.empty()) require_count(1, 1);
    std::vector<Type> candidates = args;
    if (args.size() == 1) {
      if (args[0]->kind == Kind::Array && args[0]->ndim == 1)
        return record(e, types::element(args[0]));
      if (args[0]->kind != Kind::Tuple || args[0]->elements.empty())
        fail(ErrorCode::TypeMismatch, e.operands[1]->span,
             name + "() of one argument takes a 1-d array or a tuple, not a " +
                 types::name(args[0]) + ".");
      candidates = args[0]->elements;
    }
    Type result = nullptr;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!types::is_scalar(candidates[i]))
        fail(ErrorCode::TypeMismatch, e.span, name + "() compares numbers, not " +
                                                  types::name(candidates[i]) + ".");
      result = result ? types::unify(result, candidates[i]) : candidates[i];
    }
    return record(e, result);
  }
  if (qualname == "builtins.int" || qualname == "builtins.float" || qualname == "builtins.bool") {
    require_count(0, 1);
    if (!args.empty()) require_scalar(0);
    const Kind kind = name == "int" ? Kind::PyInt : name == "float" ? Kind::PyFloat : Kind::PyBool;
    if (args.empty()) return constant(e, Constant{kind, 0, 0.0});
    return record(e, types::scalar(kind));
  }
  if (qualname == "builtins.round") {
    require_count(1, 2);
    require_scalar(0);
    if (args.size() == 1) return record(e, types::scalar(Kind::PyInt));
    if (!types::is_integer(args[1]->kind) && args[1]->kind != Kind::PyBool)
      fail(ErrorCode::TypeMismatch, e.operands[2]->span, "round() takes an integer ndigits.");
    return record(e, types::scalar(args[0]->kind == Kind::PyBool ? Kind::PyInt : args[0]->kind));
  }
  if (qualname.rfind("math.", 0) == 0) return math_call(e, qualname.substr(5), args);
  if (qualname.rfind("numpy.", 0) == 0) return numpy_call(e, qualname.substr(6), args);
  if (qualname == "builtins.print")
    fail(ErrorCode::UnsupportedName, e.span, "print() is not supported in compiled code.",
         "Return the values and print them in Python, or call f.py_func(...) to debug.");
  fail(ErrorCode::UnsupportedName, e.operands[0]->span,
       name + "() is not supported in compiled code.",
       "Supported: range, len, abs, min, max, int, float, bool, round, the math module, "
       "NumPy scalar types and ufuncs on numbers, and your own functions.");
}

Type FunctionTyper::math_call(const Expr& e, const std::string& fn, const std::vector<Type>& args) {
  const MathFunction* f = find_math(fn);
  if (!f)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span,
         "math." + fn + "() is not supported in compiled code.");
  const size_t high = fn == "log" ? 2 : static_cast<size_t>(f->arity);
  if (args.size() < static_cast<size_t>(f->arity) || args.size() > high)
    fail(ErrorCode::BadCall, e.span,
         "math." + fn + "() takes " + std::to_string(f->arity) + " argument" +
             (f->arity == 1 ? "" : "s") + ", " + std::to_string(args.size()) + " given.");
  for (size_t i = 0; i < args.size(); ++i)
    if (!types::is_scalar(args[i]))
      fail(ErrorCode::TypeMismatch, e.operands[i + 1]->span,
           "must be a real number, not " + types::name(args[i]) + ".");
  switch (f->result) {
    case MathResult::Float: return record(e, types::scalar(Kind::PyFloat));
    case MathResult::Integer:
      // math.floor of an int is that int.
      return record(e, types::scalar(Kind::PyInt));
    case MathResult::Predicate: return record(e, types::scalar(Kind::PyBool));
  }
  return nullptr;
}

Type FunctionTyper::numpy_call(const Expr& e, const std::string& fn, const std::vector<Type>& args) {
  Kind kind;
  if (numpy_scalar_kind(fn, kind)) {
    if (args.size() > 1 || (args.size() == 1 && !types::is_scalar(args[0])))
      fail(ErrorCode::BadCall, e.span,
           "numpy." + fn + "() takes one number in compiled code.");
    return record(e, types::scalar(kind));
  }
  // Ufuncs apply elementwise: on arrays the result is an array of what one element gives.
  bool on_arrays = false;
  std::vector<Type> elements;
  for (Type a : args) {
    on_arrays = on_arrays || a->kind == Kind::Array;
    elements.push_back(element_type(a));
  }
  auto result = [&](Type element_result) {
    if (!on_arrays) return record(e, element_result);
    int ndim = 0;
    for (Type a : args)
      if (a->kind == Kind::Array) ndim = std::max(ndim, a->ndim);
    return record(e, lift(element_result, types::array(Kind::Float64, ndim, types::Layout::C), nullptr));
  };
  auto check_scalars = [&](size_t count) {
    if (args.size() != count)
      fail(ErrorCode::BadCall, e.span,
           "numpy." + fn + "() takes " + std::to_string(count) + " arguments here.");
    for (size_t i = 0; i < args.size(); ++i)
      if (!types::is_scalar(elements[i]))
        fail(ErrorCode::UnsupportedSyntax, e.operands[i + 1]->span,
             "numpy." + fn + "() on a " + types::name(args[i]) + " is not supported in compiled code.");
  };
  if (fn == "where") {
    check_scalars(3);
    Type chosen = types::scalar(types::promote(elements[1]->kind, elements[2]->kind));
    return result(chosen);
  }
  if (fn == "absolute" || fn == "abs") {
    check_scalars(1);
    return result(types::scalar(numpy_kind(elements[0]->kind)));
  }
  if (fn == "minimum" || fn == "maximum") {
    check_scalars(2);
    return result(types::scalar(numpy_kind(types::promote(elements[0]->kind, elements[1]->kind))));
  }
  const MathFunction* f = find_numpy_ufunc(fn);
  if (!f)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span,
         "numpy." + fn + "() is not supported in compiled code.",
         "Supported from NumPy: array creation, the scalar types (np.float32(x), ...) and math ufuncs.");
  check_scalars(static_cast<size_t>(f->arity));
  if (f->result == MathResult::Predicate) return result(types::scalar(Kind::Bool));
  Kind common = numpy_kind(elements[0]->kind);
  if (args.size() == 2) common = numpy_kind(types::promote(elements[0]->kind, elements[1]->kind));
  // NumPy rounds integers to themselves.
  if ((fn == "floor" || fn == "ceil" || fn == "trunc") && !types::is_float(common))
    return result(types::scalar(common));
  if (types::is_float(common)) return result(types::scalar(common));
  // NumPy's loops for small integers produce float16 (8 bits) or float32 (16 bits).
  const int bits = types::bit_width(common);
  if (bits <= 8)
    fail(ErrorCode::TypeMismatch, e.span,
         "numpy." + fn + "() of a " + types::name(args[0]) +
             " gives float16 in NumPy, which compiled code does not support.",
         "Convert first, e.g. np." + fn + "(np.float32(x)).");
  return result(types::scalar(bits == 16 ? Kind::Float32 : Kind::Float64));
}

}  // namespace accel::infer
