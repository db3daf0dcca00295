#pragma once
// The pipeline for one call signature: infer → codegen → optimize → machine code.

#include <string>
#include <vector>

#include "frontend/program.h"
#include "types/type.h"

namespace accel::jit {

struct CompiledFunction {
  void* entry = nullptr;  // codegen::EntryFunction
  std::vector<types::Type> arg_types;
  types::Type return_type = nullptr;
  std::string optimized_ir;
};

/// Throws frontend::CompileFailure for programs outside the supported subset.
CompiledFunction compile(const frontend::Program& program, int function_index,
                         const std::vector<types::Type>& arg_types);

}  // namespace accel::jit
