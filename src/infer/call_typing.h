#pragma once
// What a builtin's typing rule (infer/builtin.h) sees of a call, and what it records for
// the call's lowering.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/diagnostic.h"
#include "infer/builtin.h"
#include "infer/specialization.h"

namespace accel::infer {

class FunctionTyper;

class CallTyping {
 public:
  /// `self`: the object of a method call (l.append(v)), of type `self_type`, which
  /// becomes argument 0.
  CallTyping(FunctionTyper& typer, const Expr& call, const Builtin& entry, CallTarget& target,
             const Expr* self = nullptr, Type self_type = nullptr);

  const Expr& expression() const { return call_; }
  /// The entry's qualified name: "numpy.sqrt", "builtins.len".
  std::string_view name() const { return entry_.name; }
  /// The name as messages show it: "len" for Python's builtins, "math.sqrt" otherwise.
  std::string display() const;

  /// The positional arguments' types, which become the call's arguments for the lowering
  /// (a keyword argument is a CompileError); nullopt while one is still unknown.
  std::optional<std::vector<Type>> positional();
  /// positional() of a method call (the object first), with a CompileError unless `low` to
  /// `high` arguments follow the object.
  std::optional<std::vector<Type>> method_arguments(size_t low, size_t high);
  /// The arguments bound to NumPy's parameter names (positional, then keywords), the first
  /// `required` of them required; they become the call's arguments, nullptr where left out
  /// (after a method's object, which the parameters do not name).
  std::vector<const Expr*> bind(const std::vector<std::string_view>& parameters, size_t required);
  /// The number of dimensions a shape argument gives (an int: 1; a tuple of ints: its
  /// length); -1 while unknown.
  int shape_rank(const Expr& shape);
  /// A CompileError unless `low` to `high` arguments were given.
  void require_count(size_t given, size_t low, size_t high) const;
  /// A CompileError unless argument i (of type t) is a number.
  void require_scalar(size_t i, Type t) const;
  frontend::Span argument_span(size_t i) const;
  frontend::Span span() const { return call_.span; }

  /// The call's type, recorded for codegen.
  Type result(Type t);
  /// The call is this compile-time constant.
  Type constant(Constant c);
  /// What the lowering needs to know, as typed data (CallLowering::facts<T>()).
  template <class T>
  void facts(T value) {
    target_.facts = std::move(value);
  }
  /// The type of any expression of the call (a keyword's value, say).
  Type type_of(const Expr& e);
  /// A CompileError unless values of type t can be formatted (str, print, f-strings).
  void require_printable(const Expr& e, Type t);
  /// The NumPy kind a dtype argument names (np.float32, float, x.dtype, ...).
  types::Kind dtype(const Expr& e);
  /// The type of a method call's object.
  Type self_type() const { return self_type_; }
  /// The typer itself, for what only it knows (variables, the strict pass).
  FunctionTyper& typer() { return typer_; }
  /// Argument i's expression (the object of a method call first).
  const Expr& argument_expression(size_t i) const { return *target_.arguments.at(i); }

 private:
  FunctionTyper& typer_;
  const Expr& call_;
  const Builtin& entry_;
  CallTarget& target_;
  const Expr* self_;
  Type self_type_;
};

}  // namespace accel::infer
