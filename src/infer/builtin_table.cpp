#include "infer/builtin_table.h"

namespace accel::infer {
namespace {

using enum MathResult;

const MathFunction kMath[] = {
    {"sqrt", 1, Float},     {"exp", 1, Float},      {"exp2", 1, Float},    {"log", 1, Float},
    {"log2", 1, Float},     {"log10", 1, Float},    {"log1p", 1, Float},   {"expm1", 1, Float},
    {"sin", 1, Float},      {"cos", 1, Float},      {"tan", 1, Float},     {"asin", 1, Float},
    {"acos", 1, Float},     {"atan", 1, Float},     {"sinh", 1, Float},    {"cosh", 1, Float},
    {"tanh", 1, Float},     {"asinh", 1, Float},    {"acosh", 1, Float},   {"atanh", 1, Float},
    {"fabs", 1, Float},     {"erf", 1, Float},      {"erfc", 1, Float},    {"gamma", 1, Float},
    {"lgamma", 1, Float},   {"degrees", 1, Float},  {"radians", 1, Float}, {"cbrt", 1, Float},
    {"atan2", 2, Float},    {"pow", 2, Float},      {"hypot", 2, Float},   {"copysign", 2, Float},
    {"fmod", 2, Float},     {"floor", 1, Integer},  {"ceil", 1, Integer},  {"trunc", 1, Integer},
    {"isnan", 1, Predicate}, {"isinf", 1, Predicate}, {"isfinite", 1, Predicate},
};

// NumPy ufuncs keep the float kind of their input (float32 stays float32).
const MathFunction kNumpy[] = {
    {"sqrt", 1, Float},    {"exp", 1, Float},     {"exp2", 1, Float},     {"log", 1, Float},
    {"log2", 1, Float},    {"log10", 1, Float},   {"log1p", 1, Float},    {"expm1", 1, Float},
    {"sin", 1, Float},     {"cos", 1, Float},     {"tan", 1, Float},      {"arcsin", 1, Float},
    {"arccos", 1, Float},  {"arctan", 1, Float},  {"sinh", 1, Float},     {"cosh", 1, Float},
    {"tanh", 1, Float},    {"arcsinh", 1, Float}, {"arccosh", 1, Float},  {"arctanh", 1, Float},
    {"floor", 1, Float},   {"ceil", 1, Float},    {"trunc", 1, Float},    {"rint", 1, Float},
    {"fabs", 1, Float},    {"cbrt", 1, Float},    {"degrees", 1, Float},  {"radians", 1, Float},
    {"arctan2", 2, Float}, {"hypot", 2, Float},   {"copysign", 2, Float}, {"fmod", 2, Float},
    {"power", 2, Float},
    {"isnan", 1, Predicate}, {"isinf", 1, Predicate}, {"isfinite", 1, Predicate},
};

struct NamedKind {
  std::string_view name;
  types::Kind kind;
};

const NamedKind kScalarTypes[] = {
    {"bool", types::Kind::Bool},       {"bool_", types::Kind::Bool},
    {"int8", types::Kind::Int8},       {"int16", types::Kind::Int16},
    {"int32", types::Kind::Int32},     {"int64", types::Kind::Int64},
    {"uint8", types::Kind::UInt8},     {"uint16", types::Kind::UInt16},
    {"uint32", types::Kind::UInt32},   {"uint64", types::Kind::UInt64},
    {"float32", types::Kind::Float32}, {"float64", types::Kind::Float64},
};

template <size_t N>
const MathFunction* find(const MathFunction (&table)[N], std::string_view name) {
  for (const auto& f : table)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

const MathFunction* find_math(std::string_view name) { return find(kMath, name); }
const MathFunction* find_numpy_ufunc(std::string_view name) { return find(kNumpy, name); }

bool is_numpy_elementwise(std::string_view name) {
  return find_numpy_ufunc(name) || name == "absolute" || name == "abs" || name == "minimum" ||
         name == "maximum" || name == "where";
}

bool numpy_scalar_kind(std::string_view name, types::Kind& kind) {
  for (const auto& entry : kScalarTypes)
    if (entry.name == name) {
      kind = entry.kind;
      return true;
    }
  return false;
}

}  // namespace accel::infer
