#pragma once
// Compile errors: one code from an enum, a source span, and text that says what to do.

#include <stdexcept>
#include <string>
#include <vector>

#include "frontend/span.h"

namespace accel::frontend {

/// The function's source as the user wrote it, for error messages.
struct SourceText {
  std::string filename;
  std::string function_name;
  int first_line = 1;              // file line of lines[0]
  std::vector<std::string> lines;  // the function's lines, undedented
};

enum class ErrorCode {
  UnsupportedSyntax,    // a construct the compiler does not handle
  UnsupportedName,      // a global or builtin it cannot use
  TypeMismatch,         // operand or variable types that cannot be combined
  BadCall,              // wrong arguments to a known function
  UnsupportedArgument,  // an argument type at the call boundary
};

/// Whether the Python side raises CompileTypeError (also a TypeError) or CompileError.
bool is_type_error(ErrorCode code);

struct Diagnostic {
  ErrorCode code;
  Span span;
  std::string message;  // what is wrong, one sentence
  std::string hint;     // what is supported instead; may be empty
  int function_index = -1;  // which Program function the span is in; set by inference
};

/// Thrown by every compiler stage; the bindings turn it into accel.CompileError.
class CompileFailure : public std::runtime_error {
 public:
  explicit CompileFailure(Diagnostic diagnostic);
  const Diagnostic& diagnostic() const { return diagnostic_; }
  /// Names the function the error is in, unless an inner function already did.
  void locate(int function_index) {
    if (diagnostic_.function_index < 0) diagnostic_.function_index = function_index;
  }

 private:
  Diagnostic diagnostic_;
};

[[noreturn]] void fail(ErrorCode code, Span span, std::string message, std::string hint = {});

/// `File "f.py", line 3, column 8, in f:` then the source line, a caret line, the message.
std::string render(const Diagnostic& diagnostic, const SourceText& source);

}  // namespace accel::frontend
