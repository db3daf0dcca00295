#include "frontend/syntax_tree.h"

namespace accel::frontend {

const SyntaxValue* SyntaxNode::field(std::string_view name) const {
  for (const auto& [field_name, value] : fields)
    if (field_name == name) return &value;
  return nullptr;
}

const SyntaxNode* SyntaxNode::child(std::string_view name) const {
  const SyntaxValue* value = field(name);
  return value && value->kind == SyntaxValue::Kind::Node ? value->node.get() : nullptr;
}

const std::vector<SyntaxValue>& SyntaxNode::list(std::string_view name) const {
  static const std::vector<SyntaxValue> empty;
  const SyntaxValue* value = field(name);
  return value && value->kind == SyntaxValue::Kind::List ? value->list : empty;
}

const std::string& SyntaxNode::text(std::string_view name) const {
  static const std::string empty;
  const SyntaxValue* value = field(name);
  return value && value->kind == SyntaxValue::Kind::String ? value->text : empty;
}

}  // namespace accel::frontend
