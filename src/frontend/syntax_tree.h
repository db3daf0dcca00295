#pragma once
// A generic mirror of Python's ast: node kind names and fields, no grammar knowledge.
// The bindings build it from `ast` objects; lower_syntax.h turns it into our AST.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/span.h"

namespace accel::frontend {

struct SyntaxNode;

/// One field value of an ast node: a constant, a child node, or a list of values.
struct SyntaxValue {
  enum class Kind { None, Bool, Int, BigInt, Float, Complex, String, Node, List, Other };
  Kind kind = Kind::None;
  bool bool_value = false;
  int64_t int_value = 0;
  double float_value = 0.0;  // Float; Complex: the real part
  double imag_value = 0.0;   // Complex: the imaginary part
  std::string text;  // String; type name for Other; decimal digits for BigInt
  std::unique_ptr<SyntaxNode> node;
  std::vector<SyntaxValue> list;
};

struct SyntaxNode {
  std::string kind;  // the ast class name: "BinOp", "Name", "Add", ...
  Span span;
  std::vector<std::pair<std::string, SyntaxValue>> fields;

  /// The field's value, or nullptr when the node has no such field.
  const SyntaxValue* field(std::string_view name) const;
  /// The field's child node, or nullptr when absent or None.
  const SyntaxNode* child(std::string_view name) const;
  /// The field's list (empty when absent).
  const std::vector<SyntaxValue>& list(std::string_view name) const;
  /// The field's string (empty when absent).
  const std::string& text(std::string_view name) const;
};

}  // namespace accel::frontend
