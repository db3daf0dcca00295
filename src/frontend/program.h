#pragma once
// Everything a compilation may reach: the functions, each with the globals it names,
// frozen when the Python side exported them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
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

struct CompileOptions {
  bool boundscheck = true;
  bool nogil = false;
  bool parallel = false;  // prange loops run on threads
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

}  // namespace accel::frontend
