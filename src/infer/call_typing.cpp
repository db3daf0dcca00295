#include "infer/call_typing.h"

#include "infer/function_typer.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::fail;

CallTyping::CallTyping(FunctionTyper& typer, const Expr& call, const Builtin& entry, CallTarget& target,
                       const Expr* self, Type self_type)
    : typer_(typer), call_(call), entry_(entry), target_(target), self_(self), self_type_(self_type) {
  target_.builtin = std::string(entry.name);
  target_.entry = &entry;
  target_.callee = nullptr;
  target_.arguments.clear();
  target_.facts.reset();
}

std::string CallTyping::display() const {
  // As users write them: len, np.random.rand, math.sqrt.
  for (auto [prefix, shown] : {std::pair<std::string_view, std::string_view>{"builtins.", ""}, {"numpy.", "np."}})
    if (name().rfind(prefix, 0) == 0) return std::string(shown) + std::string(name().substr(prefix.size()));
  return std::string(name());
}

std::optional<std::vector<Type>> CallTyping::positional() {
  if (!call_.keywords.empty())
    fail(ErrorCode::BadCall, call_.keywords[0].span, display() + "() takes no keyword arguments in compiled code.");
  std::vector<Type> types_out;
  bool unknown = false;
  if (self_) {
    types_out.push_back(self_type_);
    target_.arguments.push_back(self_);
  }
  for (size_t i = 1; i < call_.operands.size(); ++i) {
    Type t = typer_.expr(*call_.operands[i]);
    unknown = unknown || !t;
    types_out.push_back(t);
    target_.arguments.push_back(call_.operands[i].get());
  }
  if (unknown) return std::nullopt;
  return types_out;
}

std::optional<std::vector<Type>> CallTyping::method_arguments(size_t low, size_t high) {
  auto args = positional();
  if (!args) return std::nullopt;
  const size_t given = args->size() - 1;
  if (given < low || given > high)
    fail(ErrorCode::BadCall, span(),
         display() + "() takes " + (low == high ? std::to_string(low) : std::to_string(low) + " to " + std::to_string(high)) +
             " arguments, " + std::to_string(given) + " given.");
  return args;
}

std::vector<const Expr*> CallTyping::bind(const std::vector<std::string_view>& parameters, size_t required) {
  CallTarget bound = typer_.bind_arguments(call_, display(), parameters, required);
  if (self_) bound.arguments.insert(bound.arguments.begin(), self_);  // parameters name the others
  target_.arguments = bound.arguments;
  return bound.arguments;
}

int CallTyping::shape_rank(const Expr& shape) { return typer_.shape_argument(shape); }

void CallTyping::require_count(size_t given, size_t low, size_t high) const {
  if (given < low || given > high)
    fail(ErrorCode::BadCall, call_.span,
         display() + "() takes " + (low == high ? std::to_string(low) : std::to_string(low) + " to " + std::to_string(high)) +
             " arguments here, " + std::to_string(given) + " given.");
}

void CallTyping::require_scalar(size_t i, Type t) const {
  if (!types::is_scalar(t))
    fail(ErrorCode::TypeMismatch, argument_span(i), display() + "() takes a number here, not a " + types::name(t) + ".");
}

frontend::Span CallTyping::argument_span(size_t i) const {
  if (self_) {
    if (i == 0) return self_->span;
    --i;
  }
  return i + 1 < call_.operands.size() ? call_.operands[i + 1]->span : call_.span;
}

Type CallTyping::result(Type t) { return typer_.record(call_, t); }

Type CallTyping::constant(Constant c) { return typer_.constant(call_, c); }

Type CallTyping::type_of(const Expr& e) { return typer_.expr(e); }

types::Kind CallTyping::dtype(const Expr& e) { return typer_.dtype_argument(e); }

void CallTyping::require_printable(const Expr& e, Type t) { typer_.require_printable(e, t); }

}  // namespace accel::infer
