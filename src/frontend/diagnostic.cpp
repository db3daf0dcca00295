#include "frontend/diagnostic.h"

#include <algorithm>

namespace accel::frontend {

bool is_type_error(ErrorCode code) {
  return code == ErrorCode::TypeMismatch || code == ErrorCode::BadCall ||
         code == ErrorCode::UnsupportedArgument;
}

CompileFailure::CompileFailure(Diagnostic diagnostic)
    : std::runtime_error(diagnostic.message), diagnostic_(std::move(diagnostic)) {}

void fail(ErrorCode code, Span span, std::string message, std::string hint) {
  throw CompileFailure(Diagnostic{code, span, std::move(message), std::move(hint)});
}

std::string render(const Diagnostic& d, const SourceText& source) {
  std::string out = "File \"" + source.filename + "\", line " + std::to_string(d.span.line) +
                    ", column " + std::to_string(d.span.col + 1) + ", in " +
                    source.function_name + ":\n";
  const int index = d.span.line - source.first_line;
  if (d.span.line > 0 && index >= 0 && index < static_cast<int>(source.lines.size())) {
    const std::string& text = source.lines[static_cast<size_t>(index)];
    out += "    " + text + "\n";
    // A span that runs onto later lines is underlined to the end of its first line.
    int end = d.span.end_line == d.span.line ? d.span.end_col : static_cast<int>(text.size());
    end = std::max(end, d.span.col + 1);
    out += "    " + std::string(static_cast<size_t>(d.span.col), ' ') +
           std::string(static_cast<size_t>(end - d.span.col), '^') + "\n";
  }
  out += d.message;
  if (!d.hint.empty()) out += "\n" + d.hint;
  return out;
}

}  // namespace accel::frontend
