#pragma once
// One pass of inference over one function body. Lenient passes leave unknown types
// (nullptr) where a variable has not been seen yet; the strict pass after the fixed
// point reports them, and records what codegen reads.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "frontend/ast.h"
#include "infer/inference.h"

namespace accel::infer {

using frontend::Block;
using frontend::Span;
using frontend::Stmt;

class FunctionTyper {
 public:
  FunctionTyper(Inference& inference, Specialization& spec, bool strict);
  /// Runs the pass; true when a variable or the return type changed.
  bool run();

  // infer_expr.cpp
  Type expr(const Expr& e);

 private:
  // infer_function.cpp: statements
  void block(const Block& b);
  void stmt(const Stmt& s);
  void assign(const Expr& target, Type value, Span where);
  void assign_variable(const std::string& name, Type value, Span where);
  void iterate(const Stmt& loop);
  void returns(Type value, Span where);
  /// A type as messages show it: a function by its name ("function scale").
  std::string shown(Type value);
  // infer_function.cpp: exceptions
  void raise(const Stmt& s);
  void try_stmt(const Stmt& s);
  /// An exception's message: a string (a constant, an f-string, str(...)).
  void message(const Expr& e);

  // infer_expr.cpp
  Type name(const Expr& e);
  Type global(const Expr& e, const frontend::GlobalValue& g);
  Type attribute(const Expr& e);
  /// "np.random.rand" for a chain of attributes on a name that is not a local.
  std::optional<std::string> dotted_global(const Expr& e) const;
  Type binary(const Expr& e, frontend::Operator op, Type left, Type right);
  Type unary(const Expr& e);
  Type boolean(const Expr& e);
  Type compare(const Expr& e);
  Type conditional(const Expr& e);
  Type subscript(const Expr& e);

  // infer_advanced_index.cpp
  /// x[mask] or x[indices]: a call of operator.getitem's overload in the library.
  Type advanced_subscript(const Expr& e, Type base);
  /// x[mask] = v or x[indices] = v, typed as a call of operator.setitem's overload; false
  /// (nothing typed) when the target is not an array indexed by an array.
  bool advanced_store(const Expr& target, const Expr& value);
  /// Whether the subscript indexes an array by an array (typing its base and indices).
  bool indexes_by_array(const Expr& subscript);
  Type tuple(const Expr& e);
  Type generator(const Expr& e);
  /// The type of a generator's or comprehension's item, its loops typed; nullptr while unknown.
  Type comprehension_item(const Expr& e);
  // infer_list.cpp
  Type list_display(const Expr& e);
  Type list_comprehension(const Expr& e);
  Type list_binary(const Expr& e, frontend::Operator op, Type left, Type right);
  Type list_subscript(const Expr& e, Type list_type, const std::vector<Type>& indices);
  Type list_method(const Expr& e, const Expr& self, Type self_type, const std::string& method);
  // infer_dict.cpp
  Type dict_display(const Expr& e);
  Type set_display(const Expr& e);
  Type container_comprehension(const Expr& e);
  Type dict_subscript(const Expr& e, Type dict_type);
  /// The key of d[k] (d[a, b]: the tuple (a, b)); nullptr while unknown.
  Type subscript_key(const Expr& subscript);
  /// d[k] = v; false (nothing typed) when the target is not a dict's item.
  bool dict_store(const Expr& target, Type value, Span where);
  void delete_stmt(const Stmt& s);
  /// `item in container` for a dict or a set: a bool, or nullptr while the container is unknown.
  Type membership(const Expr& e, Type item, Type container);
  Type set_binary(const Expr& e, frontend::Operator op, Type left, Type right);
  Type container_method(const Expr& e, const Expr& self, Type self_type, const std::string& method);
 public:
  /// A dict or set type when its key and value types are known, else nullptr (a
  /// CompileError in the strict pass).
  Type known_container(const Expr& container_expr, Type container_type);
  /// A dict (value non-null) or set variable given a key and value: an empty one learns their types.
  void widen_container(const Expr& container_expr, Type key, Type value);
  /// The type of e, where a variable holding an empty dict, set or list counts as known.
  Type container_variable(const Expr& e);
  /// CompileErrors unless values of type t can be dict keys (set items) or dict values.
  static Type require_key(Type t, Span where);
  static Type require_dict_value(Type t, Span where);
  /// The item type of a list, or nullptr while unknown (a CompileError in the strict pass:
  /// nothing ever tells what an empty list holds).
  Type known_item(const Expr& list_expr, Type list_type);
  /// A CompileError unless values of type t can be list items.
  static Type require_list_item(Type t, Span where);
  /// A list variable given items of type `item` (by append and the like): an empty `[]`
  /// learns its item type from them.
  void widen_list(const Expr& list_expr, Type item);
 private:
  void require_truth_value(const Expr& e, Type t);
 public:
  /// A CompileError unless values of type t can be formatted (f-strings, str, print).
  void require_printable(const Expr& e, Type t);
 private:
  int64_t constant_index(const Expr& e);

  // infer_call.cpp
  Type call(const Expr& e);
  Type user_call(const Expr& e, int function_index);
  /// A call of function_index with these positional arguments (and e's keywords), where
  /// `e` is the call, or the subscript or statement that stands for one.
  Type bound_call(const Expr& e, int function_index, const std::vector<const Expr*>& positional);
  Type builtin_call(const Expr& e, const std::string& qualname);
  /// x.conjugate(), x.conj() of a number (complex or real).
  Type number_method(const Expr& e, const Expr& self, Type self_type, const std::string& method);
  /// A CompileError when a builtin that takes real numbers only is given a complex one.
  void refuse_complex_arguments(const Expr& e, const Builtin& entry);
  Type overload_call(const Expr& e, Type overloaded);
  Type overload_call(const Expr& e, int overload, const std::string& shown,
                     const std::vector<const Expr*>& positional);
  Type matmul(const Expr& e, Type left, Type right);
  Type signature_call(const Expr& e, int function_index, CallTarget target, const std::vector<Type>& arg_types);

  // infer_array.cpp
  Type array_creation(const Expr& e, const std::string& fn);
  Type array_method(const Expr& e, const Expr& self, Type self_type, const std::string& method);
  types::Kind dtype_argument(const Expr& e);
  int shape_argument(const Expr& e);

  // infer_random.cpp
  CallTarget bind_arguments(const Expr& e, const std::string& display,
                            const std::vector<std::string_view>& parameters, size_t required);

  // infer_reduction.cpp
  Type array_function(const Expr& e, const std::string& fn, const Expr* self, bool method);
  int constant_axis(const Expr* axis, int ndim);

  Type record(const Expr& e, Type t);
  Type constant(const Expr& e, Constant c);
  friend class CallTyping;  // a builtin's typing records through the typer

  Inference& inference_;
  Specialization& spec_;
  const frontend::FunctionSource& source_;
  bool strict_;
  bool changed_ = false;
  std::set<std::string> locals_;
  int handler_depth_ = 0;  // inside this many except clauses (a bare raise needs one)
};

/// Whether a value of type `value` may be stored in a list of `item`s (converted as NumPy
/// casts within a kind: an int into a list of floats, not a float into a list of ints).
bool converts_to_item(Type value, Type item);
/// Whether a == b compares numbers, or tuples of them element by element.
bool same_shape(Type a, Type b);
/// A CompileError unless it may.
void require_list_store(Type value, Type item, Span where);
/// CompileErrors unless `key` converts to the key type of a dict or set, `value` to a dict's value type.
void require_key_of(Type key, Type container, Span where);
void require_value_of(Type value, Type dict_type, Span where);
/// The type a for loop's variable takes over an iterable of this type (a CompileError
/// for what compiled code cannot iterate over).
Type item_type(Type iterable, Span where);

/// Whether evaluating e calls anything (a function may change what e's caller holds).
bool contains_call(const Expr& e);

/// The names a target (a name or nested tuples of names) binds.
void collect_names(const Expr& target, std::set<std::string>& names);

/// Every name a block assigns (targets, loop variables, `except ... as` names).
std::set<std::string> assigned_names(const Block& block);
/// Every name the function assigns (parameters, targets, loop variables): Python makes
/// them local for the whole body.
std::set<std::string> local_names(const frontend::FunctionDef& def);

/// The result of a @ b and np.dot(a, b) of 1-d and 2-d arrays: a number for two vectors.
Type matrix_product_type(Type a, Type b);

/// Reductions and shape functions taking an array (x.sum(), np.sum(x), ...).
bool is_array_function(std::string_view name);

/// Whether execution can reach the end of the block (no return on some path).
bool can_fall_through(const Block& b);

}  // namespace accel::infer
