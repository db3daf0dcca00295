#pragma once
// Everything a compilation may reach: the functions, each with the globals it names,
// frozen when the Python side exported them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostic.h"

namespace accel::frontend {

/// What a free name in a function refers to at compile time.
struct GlobalValue {
  enum class Kind {
    Int,          // a Python int constant (fits int64)
    Float,        // a Python float constant
    Bool,         // a Python bool constant
    Module,       // qualname "math", "numpy", "numpy.random", "accel"
    Builtin,      // qualname "builtins.len", "math.sqrt", "numpy.float32", "accel.prange"
    Function,     // a Python function in Program::functions, at function_index
    Unsupported,  // anything else; type_name says what it was
  };
  Kind kind = Kind::Unsupported;
  int64_t int_value = 0;
  double float_value = 0.0;
  bool bool_value = false;
  std::string qualname;
  int function_index = -1;
  std::string type_name;
};

/// LLVM's fast-math flags, by numba's names (`fastmath=`); all false is exact IEEE
/// arithmetic. Each lets LLVM assume or reorder something about floating-point values.
struct FastMath {
  bool nnan = false;      // no NaN operands or results
  bool ninf = false;      // no infinities
  bool nsz = false;       // the sign of a zero does not matter
  bool arcp = false;      // x / y may become x * (1 / y)
  bool contract = false;  // a * b + c may become one fused multiply-add
  bool afn = false;       // math functions may be approximated
  bool reassoc = false;   // (a + b) + c may become a + (b + c): what vectorizes float sums
  bool any() const { return nnan || ninf || nsz || arcp || contract || afn || reassoc; }
  /// Turns on the flag of that name ("fast" turns on all); false for an unknown name.
  bool enable(std::string_view name);
};

/// `error_model=`: what division and modulo by zero do on numbers (not array elements,
/// which always follow NumPy).
enum class ErrorModel {
  Python,  // ZeroDivisionError, as CPython
  NumPy,   // NumPy's result (inf, nan or 0), no exception
};

struct CompileOptions {
  bool boundscheck = true;
  bool nogil = false;
  bool parallel = false;  // prange loops run on threads
  FastMath fastmath;
  ErrorModel error_model = ErrorModel::Python;
  // Options the function's decorator left unset: as in numba, the function then takes
  // the caller's (see inherit_options).
  bool inherits_fastmath = false;
  bool inherits_error_model = false;
};

/// A default parameter value, frozen like a global constant.
using DefaultValue = std::optional<GlobalValue>;

struct FunctionSource {
  FunctionDef def;
  SourceText source;
  std::map<std::string, GlobalValue> globals;
  std::vector<DefaultValue> defaults;  // one per parameter; nullopt = required
  CompileOptions options;
};

struct Program {
  std::vector<FunctionSource> functions;
};

/// Gives every function that inherits fastmath or error_model the setting of the first
/// function that calls it, going outwards from `root` (breadth first); `root` and
/// functions nothing calls keep their own (the defaults when they inherit).
void inherit_options(Program& program, int root);

}  // namespace accel::frontend
