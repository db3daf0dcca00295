#pragma once
// Emits one specialization's body. Split by construct: codegen_stmt.cpp (control flow),
// codegen_expr.cpp (operators), codegen_call.cpp (calls), codegen_array.cpp (indexing),
// builtin_math.cpp (math and NumPy scalar functions).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "codegen/module_emitter.h"
#include "passes/parallel_loops.h"
#include "runtime/abi.h"

namespace accel::codegen {

using frontend::Expr;
using frontend::Operator;
using infer::Specialization;
using types::Kind;
using types::Type;

/// Whether values of this type hold arrays (and so take part in reference counting).
bool has_arrays(Type t);
/// The runtime's AccelSortElement for a NumPy kind accel_rt_sort sorts.
int32_t sort_element(Kind kind);

class FunctionEmitter {
 public:
  FunctionEmitter(ModuleEmitter& module, const Specialization& spec);
  void emit();

 private:
  // --- codegen_stmt.cpp
  void block(const frontend::Block& b);
  void stmt(const frontend::Stmt& s);
  void statement_body(const frontend::Stmt& s);
  void assign(const Expr& target, llvm::Value* value, Type value_type);
  void aug_assign(const frontend::Stmt& s);
  void if_stmt(const frontend::Stmt& s);
  void while_stmt(const frontend::Stmt& s);
  void for_range(const frontend::Stmt& s, const Expr& range_call);
  void for_array(const frontend::Stmt& s, llvm::Value* array, Type array_type);
  struct RangeBounds {
    llvm::Value* start;
    llvm::Value* step;
    llvm::Value* trip_count;
  };
  RangeBounds range_bounds(const Expr& range_call);
  void serial_range(const frontend::Stmt& s, const RangeBounds& range);
  // codegen_prange.cpp
  void for_prange(const frontend::Stmt& s, const Expr& range_call, const passes::ParallelLoop& plan);
  llvm::Function* emit_chunk_function(const frontend::Stmt& s, const passes::ParallelLoop& plan,
                                      llvm::StructType* context_type);
  llvm::Value* reduction_identity(passes::ReductionOp op, Type type, llvm::Value* current);
  llvm::Value* combine(passes::ReductionOp op, Type type, llvm::Value* a, llvm::Value* b);
  void parallel_range(const frontend::Stmt& s, const RangeBounds& range, const passes::ParallelLoop& plan);
  /// The variables the chunk with the last iteration hands back: privates, the loop's.
  std::vector<std::string> written_back(const frontend::Stmt& s, const passes::ParallelLoop& plan) const;
  void loop_over(const frontend::Stmt& s, llvm::Value* trip_count,
                 const std::function<void(llvm::Value* index)>& bind_target);
  void return_value(llvm::Value* value, Type type);
  void start_dead_block();
  // codegen_exceptions.cpp
  void raise_stmt(const frontend::Stmt& s);
  void assert_stmt(const frontend::Stmt& s);
  void try_stmt(const frontend::Stmt& s);
  void raise_class(const std::string& class_path, const Expr* message);
  void reraise(llvm::Value* caught);
  llvm::AllocaInst* record_slot();
  void catch_into(llvm::AllocaInst* slot);
  void release_temporaries_from(size_t first);
  /// Frees the records except clauses caught (on both ways out of the function).
  void discard_records();
  llvm::Value* formatted_string(const Expr& e);

 public:
  // codegen_iteration.cpp: for loops and reductions over any iterable
  struct Iteration {
    /// The number of items now, as an i64 (a list's changes as the loop appends or pops).
    std::function<llvm::Value*()> length;
    /// Whether there is an item at step k (tested before every step).
    std::function<llvm::Value*(llvm::Value* k)> more;
    std::function<llvm::Value*(llvm::Value* k)> item;   // the item at step k
    Type item_type = nullptr;
  };
  /// A counted iteration over a range, array, tuple, list, enumerate, zip or reversed.
  Iteration iteration(const Expr& iterable);
  /// iteration() before the default `more` (step k < length) is filled in.
  Iteration counted_iteration(const Expr& iterable);
  /// The body of for_each: an item, where to go for the next one, and where to stop early.
  using ItemBody = std::function<void(llvm::Value* item, Type type, llvm::BasicBlock* next, llvm::BasicBlock* stop)>;
  /// Runs body over every item of an iterable (generator expressions too), in order; with
  /// `stop`, an early stop and the loop's end both go there.
  void for_each(const Expr& iterable, const ItemBody& body, llvm::BasicBlock* stop = nullptr);
  void for_iteration(const frontend::Stmt& s);
  /// Keeps an array or list a loop walks alive while the loop runs (see the definition).
  void keep_alive(const Expr& iterable, llvm::Value* value, Type type);

 private:
  void generator_level(const Expr& generator, size_t level, const ItemBody& body, llvm::BasicBlock* stop);

 public:
  // codegen_text.cpp: for f-strings, str() and print() (library/python_builtins.cpp)
  llvm::Value* string_constant(const std::string& text);
  /// Adds a value to the text being formatted (between accel_rt_text_begin and text_finish
  /// or text_print): spec is its format spec, conversion 0 or 's', 'r', 'a'.
  void text_piece(llvm::Value* v, Type t, const std::string& spec, int conversion);
  /// The formatted text as a new str (a temporary of the statement).
  llvm::Value* text_finish();
  void text_print();
  void propagate_if(llvm::Value* failed);

 private:

  // --- codegen_expr.cpp
 public:
  llvm::Value* expr(const Expr& e);
  llvm::Value* cast(llvm::Value* v, Type from, Type to);
  llvm::Value* cast_kind(llvm::Value* v, Kind from, Kind to);
  llvm::Value* truth(llvm::Value* v, Type t);
  /// cast_kind, but a Python int that does not fit a NumPy integer raises OverflowError,
  /// as NumPy 2 does when it stores or converts one.
  llvm::Value* checked_cast_kind(llvm::Value* v, Kind from, Kind to);
  llvm::Value* binary(Operator op, llvm::Value* l, Type lt, llvm::Value* r, Type rt);
  llvm::Value* compare_values(Operator op, llvm::Value* l, Type lt, llvm::Value* r, Type rt);
  llvm::Value* integer_compare(Operator op, llvm::Value* l, llvm::Value* r, bool is_signed);

  // complex_arithmetic.cpp: values are {real, imag} of the kind's part type.
  llvm::Value* complex_value(Kind kind, llvm::Value* re, llvm::Value* im);
  /// l op r for + - * / **, both already of `kind`.
  llvm::Value* complex_binary(Operator op, llvm::Value* l, llvm::Value* r, Kind kind);
  llvm::Value* complex_quotient(llvm::Value* a, llvm::Value* b, llvm::Value* c, llvm::Value* d, Kind kind);
  llvm::Value* complex_power(llvm::Value* l, llvm::Value* r, Kind kind);
  llvm::Value* complex_from_slot(llvm::Value* out, Kind kind);
  /// f(z) for an AccelComplexFunction (runtime/complex_math.cpp).
  llvm::Value* complex_function(int32_t function, llvm::Value* z, Kind kind);
  /// abs(z): a float of the part type.
  llvm::Value* complex_abs(llvm::Value* z, Kind kind);
  /// l == r or l != r.
  llvm::Value* complex_equal(Operator op, llvm::Value* l, llvm::Value* r);
  llvm::Value* constant(const infer::Constant& c);
  llvm::Value* int_constant(Kind kind, int64_t value);
  llvm::Value* float_constant(Kind kind, double value);

 private:
  llvm::Value* unary(const Expr& e);
  llvm::Value* unary_value(Operator op, llvm::Value* v, Type from, Type result);
  llvm::Value* boolean(const Expr& e);
  llvm::Value* compare(const Expr& e);
  llvm::Value* conditional(const Expr& e);
  llvm::Value* tuple(const Expr& e);
  llvm::Value* divide(Operator op, llvm::Value* l, llvm::Value* r, Kind kind, bool ints_in);
  llvm::Value* int_divmod(Operator op, llvm::Value* l, llvm::Value* r, Kind kind);
  llvm::Value* int_divmod_nonzero(Operator op, llvm::Value* l, llvm::Value* r, Kind kind);
  llvm::Value* float_divmod(Operator op, llvm::Value* l, llvm::Value* r, Kind kind);
  llvm::Value* float_divmod_nonzero(Operator op, llvm::Value* l, llvm::Value* r);
  /// Division and modulo by zero give NumPy's result (inf, nan or 0) instead of raising.
  bool zero_division_gives_numpy_result() const { return numpy_semantics_ || numpy_errors_; }
  llvm::Value* power(llvm::Value* l, llvm::Value* r, Kind kind);
  llvm::Value* shift(Operator op, llvm::Value* l, llvm::Value* r, Kind kind);

  // --- codegen_call.cpp
  llvm::Value* call(const Expr& e);
  /// `last_first`: the last argument is evaluated before the others, as Python evaluates
  /// the value of `x[i] = v` before x and i (operator.setitem's third argument).
  llvm::Value* user_call(const Expr& e, const infer::CallTarget& target, bool last_first = false);
  llvm::Value* builtin_call(const Expr& e, const infer::CallTarget& target);

  // --- codegen_reduction.cpp
  llvm::Value* reduce_line(const std::string& fn, llvm::Value* data, llvm::Value* n, llvm::Value* step, Kind dtype,
                           Kind result, bool pairwise, llvm::Value* ddof);
  llvm::Value* reduction(const Expr& e, const infer::CallTarget& target, const std::string& fn, int axis);
  llvm::Value* array_function_call(const Expr& e, const infer::CallTarget& target, const std::string& name);
  llvm::Value* reshaped(llvm::Value* array, Type type, Type result, std::vector<llvm::Value*> shape);
  llvm::Value* dot(llvm::Value* a, Type a_type, llvm::Value* b, Type b_type, Type result, const char* mismatch);
  llvm::Value* blas_product(llvm::Value* a, Type a_type, llvm::Value* b, Type b_type, Type result);


  // --- codegen_elementwise.cpp
  struct Leaf {
    llvm::Value* value = nullptr;
    Type type = nullptr;
    std::vector<llvm::Value*> strides;  // per result axis; 0 where it broadcasts
  };
  struct ElementwisePlan {
    std::map<const Expr*, Leaf> leaves;
    std::vector<const Expr*> order;
  };
  bool is_elementwise(const Expr& e) const;
  std::vector<const Expr*> elementwise_operands(const Expr& e) const;
  void collect_leaves(const Expr& e, ElementwisePlan& plan);
  /// A leaf evaluated now, to a value the loop reads: an array expression becomes an array.
  void add_leaf(const Expr& e, ElementwisePlan& plan);
  /// Whether evaluating `e` may write into arrays: it calls a user function or an
  /// overload, or passes out=.
  bool may_write_arrays(const Expr& e) const;
  /// visit(leaf, axis, result_axis) for every axis of every array leaf, aligned on the
  /// right with a result of `ndim` axes (NumPy's broadcasting).
  void each_array_axis(const ElementwisePlan& plan, int ndim,
                       const std::function<void(const Leaf&, int, size_t)>& visit);
  std::vector<llvm::Value*> broadcast_shape(const ElementwisePlan& plan, int ndim);
  /// How an elementwise loop finds its operands' elements: C order and the result's shape
  /// (constant strides), each operand's own strides where no extent is stretched (an
  /// extent known to be 1 is; constant strides of views stay constants), or NumPy's
  /// general broadcasting (a stride of 0 wherever an extent is 1).
  enum class StrideMode { Contiguous, Unstretched, Broadcast };
  void bind_strides(ElementwisePlan& plan, const std::vector<llvm::Value*>& shape, StrideMode mode);
  /// Whether an extent of an array value is the constant 1 (an axis None added), not
  /// just 1 when it runs.
  static bool known_one(llvm::Value* array, int axis);
  llvm::Value* element_value(const Expr& e, const ElementwisePlan& plan, const std::vector<llvm::Value*>& index);
  void run_elementwise(llvm::Value* dest, Type dest_type, const Expr& value, ElementwisePlan& plan,
                       std::optional<Operator> in_place);
  void elementwise_loops(llvm::Value* dest, Type dest_type, const Expr& value, ElementwisePlan& plan,
                         std::optional<Operator> in_place, llvm::Value* first_row, llvm::Value* end_row);
  llvm::Function* emit_elementwise_chunk(Type dest_type, const Expr& value, const ElementwisePlan& plan,
                                         std::optional<Operator> in_place, llvm::StructType* context_type);
  /// Below this many elements an array expression runs on the calling thread.
  static constexpr int64_t kParallelElements = 1 << 16;
  /// A new array holding the value of an array expression (one fused loop).
  llvm::Value* materialize(const Expr& e);
  /// dest[...] = value (or dest[...] op= value), broadcasting value to dest's shape;
  /// NumPy's ValueError when dest is read-only.
  void assign_elements(llvm::Value* dest, Type dest_type, const Expr& value, std::optional<Operator> in_place);
  llvm::Value* byte_bounds(llvm::Value* array, Type type, llvm::Value*& high);
  llvm::Value* overlaps_unsafely(llvm::Value* dest, Type dest_type, llvm::Value* source, Type source_type);

  // --- codegen_array_create.cpp
 public:
  void loop_nest(const std::vector<llvm::Value*>& extents,
                 const std::function<void(const std::vector<llvm::Value*>&)>& body);
  llvm::Value* allocate_array(Type type, const std::vector<llvm::Value*>& shape);
  std::vector<llvm::Value*> shape_values(const Expr& shape);
  std::vector<llvm::Value*> shape_of(llvm::Value* array, Type type);
  /// The number of elements of a shape.
  llvm::Value* product(const std::vector<llvm::Value*>& extents);
  /// scale times the product of extents; `overflowed` says whether the product of the
  /// non-zero factors leaves int64 (NumPy's "array is too big").
  llvm::Value* checked_product(const std::vector<llvm::Value*>& extents, llvm::Value*& overflowed,
                               uint64_t scale = 1);
  /// x.T: the same data with the axes in reverse order.
  llvm::Value* transposed(llvm::Value* array, Type type);
  void fill_array(llvm::Value* array, Type type, llvm::Value* value);
  llvm::Value* element_at(llvm::Value* array, Type type, const std::vector<llvm::Value*>& indices);
  llvm::Value* copy_array(llvm::Value* source, Type source_type);
  /// A C-ordered copy with its elements cast to `dtype` (NumPy's unsafe casting, as a store).
  llvm::Value* cast_copy(llvm::Value* source, Type source_type, Kind dtype);
  llvm::Value* array_creation(const Expr& e, const infer::CallTarget& target, const std::string& fn);

 public:
  // --- for the builtins' lowerings (src/library/)
  llvm::IRBuilder<>& builder() { return builder_; }
  ModuleEmitter& module() { return module_; }
  llvm::Value* view_at(llvm::Value* array, Type array_type, const std::vector<llvm::Value*>& indices);
  llvm::Value* dimension(llvm::Value* array, int axis);
  llvm::Value* stride(llvm::Value* array, Type array_type, int axis);
  llvm::Value* load_element(llvm::Value* pointer, Kind dtype);
  void store_element(llvm::Value* pointer, llvm::Value* value, Kind dtype);
  /// The empty value of a compile-time entity (a module, a builtin, range()).
  llvm::Value* no_value();

 private:
  // --- codegen_array.cpp
  llvm::Value* subscript(const Expr& e);
  /// t[i] for an index known at run time: IndexError("tuple index out of range") outside.
  llvm::Value* tuple_item(llvm::Value* tuple, Type tuple_type, llvm::Value* index, Kind index_kind, Type item_type);
  llvm::Value* slice_view(const Expr& e, llvm::Value* array, Type array_type);
  llvm::Value* element_pointer(const Expr& e, llvm::Value* array, Type array_type);
  llvm::Value* checked_index(llvm::Value* index, Kind index_kind, llvm::Value* size, int axis);
  llvm::Value* array_attribute(const Expr& e, llvm::Value* array, Type array_type);
  void raise_readonly();

 public:
  // --- codegen_list.cpp
  /// The bytes of one item of a list type, as an i64.
  llvm::Value* list_item_size(Type list_type);
  llvm::Value* list_field(llvm::Value* list, unsigned field);
  llvm::Value* list_size(llvm::Value* list);
  void set_list_size(llvm::Value* list, llvm::Value* size);
  /// Records that the list's items changed (see AccelList::changed).
  void mark_changed(llvm::Value* list);
  /// A list the runtime returned (null: its error propagates), owned by the statement.
  llvm::Value* list_result(llvm::Value* list, Type list_type);
  /// A new list of `size` items to be written, owned by the statement.
  llvm::Value* new_list(Type list_type, llvm::Value* size);
  llvm::Value* list_item_address(llvm::Value* list, Type list_type, llvm::Value* k);
  llvm::Value* load_list_item(llvm::Value* list, Type list_type, llvm::Value* k);
  void store_list_item(llvm::Value* list, Type list_type, llvm::Value* k, llvm::Value* value, Type value_type);
  void list_append(llvm::Value* list, Type list_type, llvm::Value* value, Type value_type);
  /// A list index as Python takes it (negative from the end), IndexError(message) outside.
  llvm::Value* list_position(llvm::Value* list, llvm::Value* index, Kind index_kind, const char* message);
  /// a == b for numbers and tuples of them.
  llvm::Value* items_equal(llvm::Value* a, Type at, llvm::Value* b, Type bt);
  /// ValueError("{value!r} is not in list") when `missing` is true, as list.index raises.
  void raise_not_in_list(llvm::Value* missing, llvm::Value* value, Type value_type);
  /// The first k in [start, stop) with list[k] == value, or -1; no stop: the list's end.
  llvm::Value* list_find(llvm::Value* list, Type list_type, llvm::Value* value, Type value_type, llvm::Value* start,
                         llvm::Value* stop = nullptr);
  llvm::Value* list_display(const Expr& e);
  llvm::Value* list_comprehension(const Expr& e);
  llvm::Value* list_subscript(const Expr& e, llvm::Value* list, Type list_type);
  /// l[i] = v.
  void list_store(const Expr& target, llvm::Value* value, Type value_type);
  /// l + m, l * n, n * l: a new list of type `result`.
  llvm::Value* list_binary(Operator op, llvm::Value* l, Type lt, llvm::Value* r, Type rt, Type result);
  /// l += m, l *= n: in place, as list.__iadd__ and __imul__.
  void list_update(Operator op, llvm::Value* list, Type list_type, llvm::Value* value, Type value_type);
  /// `class_path`(f"{value!r}{suffix}") when `failed` is true; `value_is_argument`: the
  /// exception holds the value itself as its argument (KeyError(key)).
  void raise_with_value(llvm::Value* failed, const char* class_path, llvm::Value* value, Type value_type,
                        const char* suffix, bool value_is_argument = false);

  // --- codegen_dict.cpp: dicts and sets (a set has keys only)
  int64_t byte_size(Type t);
  llvm::Value* dict_size(llvm::Value* dict);
  /// A dict the runtime returned (null: its error propagates), owned by the statement.
  llvm::Value* dict_result(llvm::Value* dict, Type container);
  llvm::Value* new_dict(Type container);
  /// The bytes of a dict's value (0 for a set), as an i64.
  llvm::Value* dict_value_size(Type container);
  /// The key converted to the container's key type, normalized, in a slot of its own.
  llvm::Value* key_address(Type container, llvm::Value* key, Type key_type);
  void store_key_fields(llvm::Value* address, llvm::Value* key, Type t);
  /// The entry holding key (its key's address), or null.
  llvm::Value* dict_find(llvm::Value* dict, Type container, llvm::Value* key, Type key_type);
  /// The entry for key, made when missing (`created`, an i32 slot, tells); MemoryError propagates.
  llvm::Value* dict_insert(llvm::Value* dict, Type container, llvm::Value* key, Type key_type,
                           llvm::Value* created = nullptr);
  llvm::Value* dict_value_address(llvm::Value* entry, Type container);
  llvm::Value* load_dict_key(llvm::Value* entry, Type container);
  llvm::Value* load_dict_value(llvm::Value* entry, Type container);
  void store_dict_value(llvm::Value* entry, Type container, llvm::Value* value, Type value_type);
  /// KeyError(key) when `missing` is true.
  void raise_key_error(llvm::Value* missing, llvm::Value* key, Type key_type);
  llvm::Value* dict_display(const Expr& e);  // {k: v, ...} and {v, ...}
  llvm::Value* container_comprehension(const Expr& e);
  llvm::Value* dict_subscript(const Expr& e, llvm::Value* dict, Type container);
  /// The key of d[k] (d[a, b]: the tuple (a, b)) and its type.
  std::pair<llvm::Value*, Type> subscript_key(const Expr& subscript);
  void dict_store(const Expr& target, llvm::Value* value, Type value_type);
  void delete_stmt(const frontend::Stmt& s);
  /// `item in container` of a dict or set, as an i1.
  llvm::Value* membership(llvm::Value* item, Type item_type, llvm::Value* container, Type container_type);
  /// a | b, a & b, a - b, a ^ b of sets: a new set.
  llvm::Value* set_binary(Operator op, llvm::Value* l, llvm::Value* r, Type result);
  /// a |= b, a &= b, a -= b, a ^= b: in place.
  void set_update(Operator op, llvm::Value* set, llvm::Value* other, Type set_type);
  enum class DictPart { Keys, Values, Items };
  Iteration dict_iteration(llvm::Value* dict, Type container, DictPart part);

  // --- ownership.cpp
  void retain(llvm::Value* value, Type type);
  void release(llvm::Value* value, Type type);
  void reference(llvm::Value* value, Type type, RT runtime_function);
  /// Registers a new (+1) array value to be released at the end of the statement.
  llvm::Value* own_temporary(llvm::Value* value, Type type);
  llvm::AllocaInst* entry_slot(llvm::Type* type, const char* name);
  void release_slot(llvm::AllocaInst* slot, Type type);
  void begin_statement();
  void end_statement();
  /// The truth of a test, its temporaries released before the branch that follows.
  llvm::Value* condition(const Expr& test);
  void release_everything();
  void store_variable(const std::string& name, llvm::Value* value, Type value_type);
  void finish_exits(bool leave_recursion);

  // --- errors (codegen_function.cpp)
  /// Branches to an error exit when `failed` is true, raising `kind` with `message`.
  void raise_if(llvm::Value* failed, AccelErrorKind kind, const char* message);
  /// `class_path`(message) when `failed` is true.
  void raise_class_if(llvm::Value* failed, const char* class_path, const char* message);
  void raise_now(AccelErrorKind kind, const char* message);
  llvm::BasicBlock* new_block(const char* name);
  llvm::Value* message_constant(const char* message);
  Type type_of(const Expr& e) const;

  ModuleEmitter& module_;
  const Specialization& spec_;
  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
  llvm::Function* function_ = nullptr;
  llvm::BasicBlock* fail_block_ = nullptr;
  llvm::BasicBlock* exit_block_ = nullptr;
  std::vector<std::string> owned_variables_;  // released on the way out
  std::vector<std::pair<llvm::AllocaInst*, Type>> temporaries_;
  std::vector<std::vector<std::pair<llvm::AllocaInst*, Type>>> statement_temporaries_;
  llvm::Value* result_pointer_ = nullptr;
  std::map<std::string, llvm::Value*> variables_;  // where each variable lives
  struct Loop {
    llvm::BasicBlock* continue_block;
    llvm::BasicBlock* break_block;
  };
  std::vector<Loop> loops_;
  const frontend::Block* loop_body_ = nullptr;  // the body of the for loop being emitted
  std::vector<llvm::AllocaInst*> record_slots_;     // each except clause's caught error
  std::vector<llvm::AllocaInst*> handler_records_;  // the clauses being emitted, innermost last
  bool boundscheck_ = true;
  bool numpy_semantics_ = false;  // elements of array expressions: NumPy's rules, not Python's
  bool numpy_errors_ = false;     // error_model="numpy": division by zero gives NumPy's result
  bool parallel_arrays_ = false;  // parallel=True: array expressions run on threads
  const std::unordered_map<const frontend::Stmt*, passes::ParallelLoop>* parallel_plans_ = nullptr;
};

}  // namespace accel::codegen
