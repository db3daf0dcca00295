#pragma once
// Tables of the builtin families not in the registry yet (infer/builtin.h), and NumPy's
// scalar type names, which dtype= arguments use too.

#include <string_view>
#include <vector>

#include "types/type.h"

namespace accel::infer {

/// A NumPy function's parameter names, so keyword calls bind as they do in NumPy.
struct NumpySignature {
  std::string_view name;
  std::vector<std::string_view> parameters;
  size_t required;
};

/// NumPy's parameter names for an array-creation function (np.zeros, ...), or nullptr.
const std::vector<std::string_view>* creation_parameters(std::string_view name);
/// numpy.<dtype> scalar constructors: numpy.float32 → Float32; None when not one.
bool numpy_scalar_kind(std::string_view name, types::Kind& kind);

}  // namespace accel::infer
