#pragma once
// The result of type inference for one function and one tuple of argument types:
// what codegen needs to emit it without deciding anything again.

#include <any>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "frontend/program.h"
#include "types/type.h"

namespace accel::infer {

using frontend::Expr;
using types::Type;

/// A compile-time constant an expression stands for (a global, math.pi, len of a tuple).
struct Constant {
  types::Kind kind;  // PyInt, PyFloat or PyBool; a NumPy number kind for a NumPy scalar global
  int64_t int_value = 0;
  double float_value = 0.0;
};

/// The type of a frozen number: a NumPy scalar's kind, else `python` (int or float).
inline types::Kind constant_kind(const frontend::GlobalValue& g, types::Kind python) {
  return g.numpy_kind < 0 ? python : static_cast<types::Kind>(g.numpy_kind);
}

struct Specialization;
struct Builtin;

/// A call resolved at compile time.
struct CallTarget {
  std::string builtin;                 // qualname like "math.sqrt"; empty for user functions
  Specialization* callee = nullptr;    // user function specialization
  std::vector<const Expr*> arguments;  // in parameter order; nullptr = take the default
  Type declared_result = nullptr;      // a callee compiled from a signature: its declared result
  const Builtin* entry = nullptr;      // the builtin's registry entry (infer/builtin.h), if it has one
  std::any facts;                      // what the entry's typing decided, for its lowering
};

struct Specialization {
  int function_index = -1;
  const frontend::FunctionSource* source = nullptr;
  std::vector<Type> arg_types;
  Type return_type = nullptr;  // nullptr until a return is seen
  std::map<std::string, Type> variables;
  std::unordered_map<const Expr*, Type> expr_types;
  std::unordered_map<const Expr*, CallTarget> calls;
  std::unordered_map<const Expr*, Constant> constants;
  bool recursive = false;  // on a call cycle: guarded against unbounded depth
  bool falls_off_end = false;
  std::string symbol;      // unique LLVM name

  Type type_of(const Expr& e) const;
};

}  // namespace accel::infer
