#pragma once
// The pipeline for one call signature: infer → codegen → optimize → machine code.

#include <optional>
#include <string>
#include <vector>

#include "codegen/ufunc_loop.h"
#include "frontend/diagnostic.h"
#include "frontend/program.h"
#include "types/type.h"

namespace accel::jit {

/// One specialization. Everything but `entry` and `optimized_ir` is what another
/// process needs to run it without compiling (see load_compiled).
struct CompiledFunction {
  void* entry = nullptr;  // codegen::EntryFunction
  std::vector<types::Type> arg_types;
  types::Type return_type = nullptr;
  std::string optimized_ir;  // empty when the code was loaded as an object
  std::string entry_name;    // the entry's symbol in object_code
  std::string object_code;   // an ELF (or the host's) relocatable object
  std::string triple;        // what it was compiled for: target triple,
  std::string cpu;           // LLVM's CPU name and
  std::string features;      // feature string ("+avx2,-avx512f,...")
  /// What the compile warns about (prange loops that run serially), not kept in records.
  std::vector<frontend::Diagnostic> warnings;
};

/// A signature compiled eagerly from a numba-style declaration: its result is converted
/// to `type` (nullptr: no return type declared, the inferred one is kept), and its
/// numbers come back as Python scalars, as numba returns them (types/declared_return.h).
struct DeclaredReturn {
  types::Type type = nullptr;
};

/// Throws frontend::CompileFailure for programs outside the supported subset, and for a
/// result that cannot be the declared return type.
CompiledFunction compile(const frontend::Program& program, int function_index,
                         const std::vector<types::Type>& arg_types,
                         std::optional<DeclaredReturn> declared_return = std::nullopt);

/// NumPy's inner loop for one signature of a ufunc (codegen/ufunc_loop.h): `code.entry`
/// is the loop, `code.arg_types` the kernel's parameter types, `code.return_type` what
/// the kernel returns; `layout` has the output dtype of an elementwise loop filled in.
struct CompiledUFuncLoop {
  CompiledFunction code;
  codegen::UFuncLoopLayout layout;
};

/// Compiles function_index as the kernel of a ufunc loop. Throws frontend::CompileFailure
/// also for a kernel that does not fit the layout (an elementwise kernel must return a
/// number, a gufunc kernel nothing).
CompiledUFuncLoop compile_ufunc_loop(const frontend::Program& program, int function_index,
                                     codegen::UFuncLoopLayout layout);

/// Links compiled.object_code into this process and sets compiled.entry. Returns false
/// (and links nothing) when this machine has another target triple or its CPU lacks a feature the code was compiled with; throws
/// std::runtime_error when LLVM cannot link it.
bool load_compiled(CompiledFunction& compiled);

}  // namespace accel::jit
