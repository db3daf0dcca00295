// Python's math module on numbers: CPython's results and errors (ValueError "math domain
// error", OverflowError "math range error"), with math.floor/ceil/trunc giving ints.

#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "library/families.h"
#include "library/float_functions.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using frontend::ErrorCode;
using frontend::fail;
using infer::CallTyping;

enum class Result { Float, Integer, Predicate };  // a Python float, int or bool

struct MathFunction {
  std::string_view name;
  int arity;
  Result result;
};

constexpr MathFunction kFunctions[] = {
    {"math.sqrt", 1, Result::Float},      {"math.exp", 1, Result::Float},       {"math.exp2", 1, Result::Float},
    {"math.log", 1, Result::Float},       {"math.log2", 1, Result::Float},      {"math.log10", 1, Result::Float},
    {"math.log1p", 1, Result::Float},     {"math.expm1", 1, Result::Float},     {"math.sin", 1, Result::Float},
    {"math.cos", 1, Result::Float},       {"math.tan", 1, Result::Float},       {"math.asin", 1, Result::Float},
    {"math.acos", 1, Result::Float},      {"math.atan", 1, Result::Float},      {"math.sinh", 1, Result::Float},
    {"math.cosh", 1, Result::Float},      {"math.tanh", 1, Result::Float},      {"math.asinh", 1, Result::Float},
    {"math.acosh", 1, Result::Float},     {"math.atanh", 1, Result::Float},     {"math.fabs", 1, Result::Float},
    {"math.erf", 1, Result::Float},       {"math.erfc", 1, Result::Float},      {"math.gamma", 1, Result::Float},
    {"math.lgamma", 1, Result::Float},    {"math.degrees", 1, Result::Float},   {"math.radians", 1, Result::Float},
    {"math.cbrt", 1, Result::Float},      {"math.atan2", 2, Result::Float},     {"math.pow", 2, Result::Float},
    {"math.hypot", 2, Result::Float},     {"math.copysign", 2, Result::Float},  {"math.fmod", 2, Result::Float},
    {"math.floor", 1, Result::Integer},   {"math.ceil", 1, Result::Integer},    {"math.trunc", 1, Result::Integer},
    {"math.isnan", 1, Result::Predicate}, {"math.isinf", 1, Result::Predicate}, {"math.isfinite", 1, Result::Predicate},
};

const MathFunction& function_named(std::string_view name) {
  for (const auto& f : kFunctions)
    if (f.name == name) return f;
  throw std::logic_error("accel: math function without a table row (a compiler bug)");
}

Type type_math(CallTyping& call) {
  const MathFunction& f = function_named(call.name());
  auto args = call.positional();
  if (!args) return nullptr;
  const size_t low = static_cast<size_t>(f.arity);
  const size_t high = f.name == "math.log" ? 2 : low;  // math.log(x, base)
  if (args->size() < low || args->size() > high)
    fail(ErrorCode::BadCall, call.span(),
         call.display() + "() takes " + std::to_string(f.arity) + " argument" + (f.arity == 1 ? "" : "s") + ", " +
             std::to_string(args->size()) + " given.");
  for (size_t i = 0; i < args->size(); ++i)
    if (!types::is_scalar((*args)[i]))
      fail(ErrorCode::TypeMismatch, call.argument_span(i), "must be a real number, not " + types::name((*args)[i]) + ".");
  switch (f.result) {
    case Result::Float: return call.result(types::scalar(Kind::PyFloat));
    case Result::Integer: return call.result(types::scalar(Kind::PyInt));  // math.floor of an int is that int
    case Result::Predicate: return call.result(types::scalar(Kind::PyBool));
  }
  return nullptr;
}

llvm::Value* lower_math(CallLowering& call) {
  std::vector<llvm::Value*> values;
  std::vector<Type> value_types;
  for (size_t i = 0; i < call.argument_count(); ++i) {
    values.push_back(call.argument(i));
    value_types.push_back(call.argument_type(i));
  }
  return math_value(call.emitter(), std::string(call.name().substr(5)), values, value_types, false,
                    call.result_type()->kind);
}

const std::vector<infer::Builtin>& entries() {
  static const std::vector<infer::Builtin> out = [] {
    std::vector<infer::Builtin> made;
    for (const auto& f : kFunctions) made.push_back({f.name, type_math, lower_math});
    return made;
  }();
  return out;
}

}  // namespace

std::span<const infer::Builtin> math_module() { return entries(); }

}  // namespace accel::library
