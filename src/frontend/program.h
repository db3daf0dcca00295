#pragma once
// Everything a compilation may reach: the functions, each with the globals it names,
// frozen when the Python side exported them.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
    Function,     // a Python function: Program::function(function_index)
    ExceptionClass,  // a subclass of BaseException: qualname is its class path (runtime/abi.h)
    Unsupported,  // anything else; type_name says what it was
    Missing,      // a module attribute that does not exist; type_name says which
    Overload,     // an object with an accel.overload: number function_index, shown as qualname
    None,         // None, as a parameter's default
  };
  Kind kind = Kind::Unsupported;
  int64_t int_value = 0;
  double float_value = 0.0;
  bool bool_value = false;
  std::string qualname;
  int function_index = -1;
  std::string type_name;
  /// Int and Float of a NumPy scalar (np.float64(2.0)): its types::Kind, as a number
  /// (frontend comes before types); -1 for Python's int and float.
  int numpy_kind = -1;
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
};

/// A numba-style signature a jitted function was compiled from (`jit("f8(i8)")`). A call
/// from other compiled code takes one as a call from Python would: its arguments
/// converted to the signature's types, its result to the declared one.
struct DeclaredSignature {
  std::vector<uint32_t> arg_codes;  // types::arg_code of each parameter
  std::string declared_return;      // types/type_text.h's text; empty when not declared
};

/// A default parameter value, frozen like a global constant.
using DefaultValue = std::optional<GlobalValue>;

struct FunctionSource {
  FunctionDef def;
  SourceText source;
  std::map<std::string, GlobalValue> globals;
  std::vector<DefaultValue> defaults;  // one per parameter; nullopt = required
  CompileOptions options;
  std::vector<DeclaredSignature> signatures;  // empty: compiled for any argument types
};

/// The functions a compilation may reach. Each is made on first use, so a callee is read
/// and lowered only when inference reaches a call to it: a function that is named but
/// never called cannot fail a compilation.
class Program {
 public:
  /// Makes function `index`; what it throws (a CompileFailure, the bindings' Python
  /// error) passes through `function`.
  using Loader = std::function<FunctionSource(int index)>;
  /// Which of function `index`'s signatures a call with these argument codes takes
  /// (numba's rules, in Python), or -1 with `why` saying why none does.
  using SignatureChooser = std::function<int(int index, const std::vector<uint32_t>& codes, std::string& why)>;
  /// The function (its index) that overload `overload` gives for a call with these
  /// argument types (types/type_text.h's text; keywords by name), or -1 and why not.
  using OverloadResolver =
      std::function<int(int overload, const std::vector<std::string>& args,
                        const std::vector<std::pair<std::string, std::string>>& keywords, std::string& why)>;

  /// The overloads the loader reserves for NumPy's advanced indexing, which no name in the
  /// source reaches: x[mask] and x[indices] call operator.getitem's, and an assignment to
  /// one of them operator.setitem's.
  static constexpr int kGetItem = 0;
  static constexpr int kSetItem = 1;

  Program() = default;
  explicit Program(Loader loader, SignatureChooser chooser = {}, OverloadResolver resolver = {})
      : loader_(std::move(loader)), chooser_(std::move(chooser)), resolver_(std::move(resolver)) {}

  /// Function `index`, made now by the loader if it has not been yet. The reference
  /// stays valid for the Program's life.
  const FunctionSource& function(int index) const;
  /// Adds a function made in advance (tests, a program without a loader); its index.
  int add(FunctionSource f);
  /// A function added or loaded before, for editing.
  FunctionSource& at(int index);
  /// Whether function `index` has been made (by add or the loader).
  bool loaded(int index) const { return functions_.count(index) != 0; }
  /// The signature of function `index` a call with these argument codes takes; -1 (and
  /// why) when none does. Without a chooser, only an exact match is taken.
  int choose_signature(int index, const std::vector<uint32_t>& codes, std::string& why) const;
  /// See OverloadResolver; -1 without a resolver. The answer is kept per type list, since
  /// inference asks again on every pass.
  int resolve_overload(int overload, const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& keywords, std::string& why) const;

 private:
  Loader loader_;
  SignatureChooser chooser_;
  OverloadResolver resolver_;
  mutable std::map<std::string, std::pair<int, std::string>> resolved_;
  mutable std::map<int, std::unique_ptr<FunctionSource>> functions_;
};

}  // namespace accel::frontend
