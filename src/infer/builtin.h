#pragma once
// The registry of builtins: Python's builtins, `math`, NumPy's functions and array
// methods. Each is declared once, in its family's file under src/library/, with its typing
// rule and its lowering side by side. The Python side resolves a name to the object it
// holds and gives the engine that object's qualified name ("numpy.sqrt", "math.floor",
// "builtins.len"), so an entry is found from the object, never from how it was spelled.
//
// Inference calls `type`; what it decides for the call goes to the lowering as typed
// data (CallTarget::facts), never as strings or argument positions. Codegen calls
// `lower`, or `element` for one element of an elementwise builtin (a ufunc) inside a
// fused array expression.

#include <string_view>

#include "types/type.h"

namespace llvm {
class Value;
}

namespace accel::codegen {
class CallLowering;
class ElementLowering;
}  // namespace accel::codegen

namespace accel::infer {

class CallTyping;

struct Builtin {
  std::string_view name;  // the qualified name of the object: "numpy.sqrt"
  /// The call's type (nullptr while an argument's type is still unknown); fails with a
  /// CompileError at the call for what the builtin does not take.
  types::Type (*type)(CallTyping& call);
  /// The call's value.
  llvm::Value* (*lower)(codegen::CallLowering& call);
  /// One element of the result from one element of each argument, for builtins that apply
  /// element by element (codegen fuses them into the array expression around them); null
  /// for the others.
  llvm::Value* (*element)(codegen::ElementLowering& call) = nullptr;
};

/// The builtin of that qualified name, or nullptr (defined in src/library/registry.cpp).
const Builtin* find_builtin(std::string_view name);

}  // namespace accel::infer
