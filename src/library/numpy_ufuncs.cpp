// NumPy's scalar types (np.float32(x)) and its ufuncs (np.sqrt, np.minimum, np.isnan, ...)
// and np.where, on numbers and, element by element, on arrays: NumPy 2's result types,
// IEEE results (no exceptions), fused into the array expression around them.

#include <algorithm>

#include "codegen/call_lowering.h"
#include "infer/builtin_table.h"
#include "infer/call_typing.h"
#include "infer/operator_rules.h"
#include "library/families.h"
#include "library/float_functions.h"
#include "types/promotion.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::ElementLowering;
using frontend::ErrorCode;
using frontend::fail;
using infer::CallTyping;

enum class Result { Float, Predicate, Same, Promoted, Where };

struct Ufunc {
  std::string_view name;
  int arity;
  Result result;
};

// Float: keeps a float kind (float32 stays float32), integers go to float64 (or float32
// from 16 bits); Predicate: a NumPy bool; Same/Promoted: the (promoted) input kind.
constexpr Ufunc kUfuncs[] = {
    {"numpy.sqrt", 1, Result::Float},        {"numpy.exp", 1, Result::Float},       {"numpy.exp2", 1, Result::Float},
    {"numpy.log", 1, Result::Float},         {"numpy.log2", 1, Result::Float},      {"numpy.log10", 1, Result::Float},
    {"numpy.log1p", 1, Result::Float},       {"numpy.expm1", 1, Result::Float},     {"numpy.sin", 1, Result::Float},
    {"numpy.cos", 1, Result::Float},         {"numpy.tan", 1, Result::Float},       {"numpy.arcsin", 1, Result::Float},
    {"numpy.arccos", 1, Result::Float},      {"numpy.arctan", 1, Result::Float},    {"numpy.sinh", 1, Result::Float},
    {"numpy.cosh", 1, Result::Float},        {"numpy.tanh", 1, Result::Float},      {"numpy.arcsinh", 1, Result::Float},
    {"numpy.arccosh", 1, Result::Float},     {"numpy.arctanh", 1, Result::Float},   {"numpy.floor", 1, Result::Float},
    {"numpy.ceil", 1, Result::Float},        {"numpy.trunc", 1, Result::Float},     {"numpy.rint", 1, Result::Float},
    {"numpy.fabs", 1, Result::Float},        {"numpy.cbrt", 1, Result::Float},      {"numpy.degrees", 1, Result::Float},
    {"numpy.radians", 1, Result::Float},     {"numpy.arctan2", 2, Result::Float},   {"numpy.hypot", 2, Result::Float},
    {"numpy.copysign", 2, Result::Float},    {"numpy.fmod", 2, Result::Float},      {"numpy.power", 2, Result::Float},
    {"numpy.isnan", 1, Result::Predicate},   {"numpy.isinf", 1, Result::Predicate}, {"numpy.isfinite", 1, Result::Predicate},
    {"numpy.absolute", 1, Result::Same},     {"numpy.abs", 1, Result::Same},        {"numpy.minimum", 2, Result::Promoted},
    {"numpy.maximum", 2, Result::Promoted},  {"numpy.where", 3, Result::Where},
};

const Ufunc& ufunc_named(std::string_view name) {
  for (const auto& f : kUfuncs)
    if (f.name == name) return f;
  throw std::logic_error("accel: ufunc without a table row (a compiler bug)");
}

// NumPy on Python scalars computes in float64/int64: np.sqrt(2.0) is an np.float64.
using types::numpy_kind;

// The ufuncs compiled code computes on complex numbers, with what NumPy's loops call.
struct ComplexUfunc {
  std::string_view name;
  int32_t function;  // AccelComplexFunction; -1 for the ones computed inline
};

constexpr ComplexUfunc kComplexUfuncs[] = {
    {"numpy.exp", ACCEL_COMPLEX_EXP},   {"numpy.log", ACCEL_COMPLEX_LOG},   {"numpy.sqrt", ACCEL_COMPLEX_SQRT},
    {"numpy.sin", ACCEL_COMPLEX_SIN},   {"numpy.cos", ACCEL_COMPLEX_COS},   {"numpy.tan", ACCEL_COMPLEX_TAN},
    {"numpy.sinh", ACCEL_COMPLEX_SINH}, {"numpy.cosh", ACCEL_COMPLEX_COSH}, {"numpy.tanh", ACCEL_COMPLEX_TANH},
    {"numpy.absolute", -1},             {"numpy.abs", -1},                  {"numpy.isnan", -1},
    {"numpy.isinf", -1},                {"numpy.isfinite", -1},
};

const ComplexUfunc* complex_ufunc(std::string_view name) {
  for (const auto& f : kComplexUfuncs)
    if (f.name == name) return &f;
  return nullptr;
}

llvm::Value* complex_element(codegen::FunctionEmitter& e, const ComplexUfunc& f, llvm::Value* v, Type from, Kind result) {
  const Kind kind = numpy_kind(from->kind);
  v = e.cast(v, from, types::scalar(kind));
  llvm::IRBuilder<>& b = e.builder();
  if (f.function >= 0) return e.complex_function(f.function, v, kind);
  if (result != Kind::Bool) return e.complex_abs(v, kind);
  auto test = [&](const char* name, unsigned part) {
    return math_value(e, name, {b.CreateExtractValue(v, {part})}, {types::scalar(types::complex_part(kind))}, true,
                      Kind::Bool);
  };
  // NumPy: nan or inf if either part is; finite if both are.
  if (f.name == "numpy.isfinite") return b.CreateAnd(test("isfinite", 0), test("isfinite", 1));
  const char* name = f.name == "numpy.isnan" ? "isnan" : "isinf";
  return b.CreateOr(test(name, 0), test(name, 1));
}

std::string_view short_name(std::string_view name) { return name.substr(6); }  // after "numpy."

Type type_ufunc(CallTyping& call) {
  const Ufunc& f = ufunc_named(call.name());
  const std::string display = "numpy." + std::string(short_name(f.name));
  auto args = call.positional();
  if (!args) return nullptr;
  if (args->size() != static_cast<size_t>(f.arity))
    fail(ErrorCode::BadCall, call.span(), display + "() takes " + std::to_string(f.arity) + " arguments here.");
  // On arrays the result is an array of what one element gives (fused by codegen).
  bool on_arrays = false;
  int ndim = 0;
  std::vector<Type> elements;
  for (size_t i = 0; i < args->size(); ++i) {
    Type a = (*args)[i];
    if (a->kind == Kind::Array) {
      on_arrays = true;
      ndim = std::max(ndim, a->ndim);
    }
    elements.push_back(infer::element_type(a));
    if (!types::is_scalar(elements.back()))
      fail(ErrorCode::UnsupportedSyntax, call.argument_span(i),
           display + "() on a " + types::name(a) + " is not supported in compiled code.");
  }
  auto result = [&](Kind element) {
    Type t = types::scalar(element);
    if (!on_arrays) return call.result(t);
    return call.result(infer::lift(t, types::array(Kind::Float64, ndim, types::Layout::C), nullptr));
  };
  const bool complex_input =
      std::any_of(elements.begin(), elements.end(), [](Type t) { return types::is_complex(t->kind); });
  if (complex_input && f.result != Result::Where) {
    const ComplexUfunc* c = complex_ufunc(f.name);
    if (!c || f.arity != 1)
      fail(ErrorCode::UnsupportedSyntax, call.span(),
           display + "() of complex numbers is not supported in compiled code.",
           "Supported on complex numbers: np.exp, log, sqrt, sin, cos, tan, sinh, cosh, tanh, abs, isnan, "
           "isinf, isfinite, and + - * / **.");
    const Kind kind = numpy_kind(elements[0]->kind);
    if (f.result == Result::Predicate) return result(Kind::Bool);
    return result(f.result == Result::Same ? types::complex_part(kind) : kind);
  }
  switch (f.result) {
    case Result::Where: return result(types::promote(elements[1]->kind, elements[2]->kind));
    case Result::Same: return result(numpy_kind(elements[0]->kind));
    case Result::Promoted: return result(numpy_kind(types::promote(elements[0]->kind, elements[1]->kind)));
    case Result::Predicate: return result(Kind::Bool);
    case Result::Float: break;
  }
  Kind common = numpy_kind(elements[0]->kind);
  if (elements.size() == 2) common = numpy_kind(types::promote(elements[0]->kind, elements[1]->kind));
  const std::string_view name = short_name(f.name);
  // NumPy rounds integers to themselves.
  if ((name == "floor" || name == "ceil" || name == "trunc") && !types::is_float(common)) return result(common);
  if (types::is_float(common)) return result(common);
  // NumPy's loops for small integers produce float16 (8 bits) or float32 (16 bits).
  const int bits = types::bit_width(common);
  if (bits <= 8)
    fail(ErrorCode::TypeMismatch, call.span(),
         display + "() of a " + types::name((*args)[0]) + " gives float16 in NumPy, which compiled code does not support.",
         "Convert first, e.g. np." + std::string(name) + "(np.float32(x)).");
  return result(bits == 16 ? Kind::Float32 : Kind::Float64);
}

llvm::Value* ufunc_element(ElementLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  const auto& values = call.values();
  const auto& value_types = call.types();
  Type result = call.result_type();
  if (call.name() == "numpy.where")
    return call.builder().CreateSelect(e.truth(values[0], value_types[0]), e.cast(values[1], value_types[1], result),
                                       e.cast(values[2], value_types[2], result));
  if (types::is_complex(value_types[0]->kind))
    return complex_element(e, *complex_ufunc(call.name()), values[0], value_types[0], result->kind);
  return math_value(e, std::string(short_name(call.name())), values, value_types, true, result->kind);
}

llvm::Value* lower_ufunc(CallLowering& call) {
  std::vector<llvm::Value*> values;
  std::vector<Type> value_types;
  for (size_t i = 0; i < call.argument_count(); ++i) {
    values.push_back(call.argument(i));
    value_types.push_back(call.argument_type(i));
  }
  ElementLowering element(call.emitter(), call.name(), std::move(values), std::move(value_types), call.result_type());
  return ufunc_element(element);
}

// --- np.float32(x), np.int8(x), ...: NumPy's conversion (a Python int out of range raises).
Type type_scalar_type(CallTyping& call) {
  Kind kind;
  infer::numpy_scalar_kind(short_name(call.name()), kind);
  auto args = call.positional();
  if (!args) return nullptr;
  if (args->size() > 1 || (args->size() == 1 && !types::is_scalar((*args)[0])))
    fail(ErrorCode::BadCall, call.span(), "numpy." + std::string(short_name(call.name())) + "() takes one number in compiled code.");
  return call.result(types::scalar(kind));
}

llvm::Value* lower_scalar_type(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  const Kind kind = call.result_type()->kind;
  if (call.argument_count() == 0) return e.cast_kind(e.int_constant(Kind::PyInt, 0), Kind::PyInt, kind);
  return e.checked_cast_kind(call.argument(0), call.argument_type(0)->kind, kind);
}

constexpr std::string_view kScalarTypes[] = {
    "numpy.bool", "numpy.bool_", "numpy.int8", "numpy.int16", "numpy.int32", "numpy.int64", "numpy.uint8",
    "numpy.uint16", "numpy.uint32", "numpy.uint64", "numpy.float32", "numpy.float64",
    "numpy.complex64", "numpy.complex128",
};

const std::vector<infer::Builtin>& entries() {
  static const std::vector<infer::Builtin> out = [] {
    std::vector<infer::Builtin> made;
    for (const auto& f : kUfuncs) made.push_back({f.name, type_ufunc, lower_ufunc, ufunc_element});
    for (std::string_view name : kScalarTypes) made.push_back({name, type_scalar_type, lower_scalar_type});
    return made;
  }();
  return out;
}

}  // namespace

std::span<const infer::Builtin> numpy_ufuncs() { return entries(); }

}  // namespace accel::library
