#pragma once
// The float functions `math` and NumPy's ufuncs share: LLVM intrinsics or libm, with
// CPython's math errors where `math` raises them.

#include <string>
#include <vector>

#include "codegen/function_emitter.h"

namespace accel::library {

using codegen::FunctionEmitter;
using types::Kind;
using types::Type;

/// `name` (math's spelling: "sqrt", "atan2", "gamma") of floats of LLVM type `type`.
llvm::Value* float_function(FunctionEmitter& emitter, const std::string& name, std::vector<llvm::Value*> args,
                            llvm::Type* type);

/// math.<name> (numpy false: a Python float, CPython's ValueError/OverflowError) or
/// numpy.<name> (numpy true: the input's float kind, IEEE results) of numbers.
llvm::Value* math_value(FunctionEmitter& emitter, const std::string& name, std::vector<llvm::Value*> args,
                        const std::vector<Type>& arg_types, bool numpy, Kind result_kind);

/// int(x): truncation; NaN, infinity and values beyond int64 raise as CPython's int() does.
llvm::Value* to_int(FunctionEmitter& emitter, llvm::Value* v, Kind from);

}  // namespace accel::library
