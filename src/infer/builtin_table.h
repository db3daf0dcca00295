#pragma once
// The functions compiled code can call by name, and how their results are typed.
// Codegen has the matching implementations (codegen/builtin_math.cpp).

#include <string_view>
#include <vector>

#include "types/type.h"

namespace accel::infer {

/// How math-like functions type their result.
enum class MathResult {
  Float,      // math.sqrt: always a Python float
  Integer,    // math.floor: a Python int
  Predicate,  // math.isnan: a Python bool
};

struct MathFunction {
  std::string_view name;  // after "math." or "numpy."
  int arity;
  MathResult result;
};

/// math.<name>; nullptr when math has no such compiled function.
const MathFunction* find_math(std::string_view name);
/// numpy.<name> on scalars (the ufuncs); nullptr when unsupported.
const MathFunction* find_numpy_ufunc(std::string_view name);
/// A NumPy function's parameter names, so keyword calls bind as they do in NumPy.
struct NumpySignature {
  std::string_view name;
  std::vector<std::string_view> parameters;
  size_t required;
};

/// NumPy's parameter names for an array-creation function (np.zeros, ...), or nullptr.
const std::vector<std::string_view>* creation_parameters(std::string_view name);
/// numpy.<name> that applies element by element to arrays (ufuncs and np.where).
bool is_numpy_elementwise(std::string_view name);
/// numpy.<dtype> scalar constructors: numpy.float32 → Float32; None when not one.
bool numpy_scalar_kind(std::string_view name, types::Kind& kind);

}  // namespace accel::infer
