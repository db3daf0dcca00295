#pragma once
// Interned types: two equal types are the same pointer, so comparison is `==`.

#include <cstdint>
#include <string>
#include <optional>
#include <vector>

namespace accel::types {

enum class Kind : uint8_t {
  // Python scalars. NumPy 2 treats them as "weak": they take the other operand's type.
  PyBool, PyInt, PyFloat, PyComplex,
  // NumPy scalars (array elements, np.float32(...), ...).
  Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float32, Float64,
  Complex64, Complex128,  // {real, imag} of float32 / float64
  None,
  Array,    // dtype, ndim, layout
  Tuple,    // elements
  Range,    // range(start, stop, step) of PyInt, only as a for-loop iterable
  Module,   // compile-time entities: name holds the qualname
  Builtin,
  Function, // name holds the function index in the Program
  ExceptionClass,  // compile-time: name holds the class path (runtime/abi.h)
  Exception,       // an exception caught by `except ... as e`: the runtime's record of it
  Overload, // an object with an accel.overload: its implementation depends on the call's types
  Str,             // a str: {block (null for a constant), UTF-8 data, length in bytes}
  Iterator,        // enumerate/zip/reversed of elements (iterables), or a generator expression
                   // (name "generator", elements: its item type); only iterated, never stored
  List,            // a mutable list: elements holds its item type, or nothing while unknown
                   // (an empty `[]` before anything is appended); one pointer to an AccelList
  Dict,            // a mutable dict: elements holds {key, value}, or nothing while unknown
                   // (an empty `{}` before anything is stored); one pointer to an AccelDict
  Set,             // a mutable set: elements holds its item type, or nothing while unknown
                   // (`set()`); an AccelDict whose values have no bytes
};

enum class Layout : uint8_t { C, F, Any };

struct TypeNode;
using Type = const TypeNode*;

struct TypeNode {
  Kind kind;
  Kind dtype = Kind::None;  // Array: the element kind
  int ndim = 0;             // Array
  Layout layout = Layout::Any;
  bool readonly = false;    // Array
  std::vector<Type> elements;  // Tuple
  std::string name;         // Module/Builtin qualname, Function index as text
  int function_index = -1;  // Function
};

// Factories (thread-safe; each returns the one interned node).
Type scalar(Kind kind);
Type none();
Type array(Kind dtype, int ndim, Layout layout, bool readonly = false);
Type tuple(std::vector<Type> elements);
Type range();
Type module(const std::string& qualname);
Type builtin(const std::string& qualname);
Type function(int index);
Type exception_class(const std::string& class_path);
Type exception();
Type string();
Type iterator(const std::string& name, std::vector<Type> elements);
/// A list of `item`s; nullptr: a list whose item type is not known yet (`[]`).
Type list(Type item);
/// A list's item type, or nullptr while it is unknown.
inline Type list_item(Type list_type) { return list_type->elements.empty() ? nullptr : list_type->elements[0]; }
/// A dict from `key` to `value`; nullptrs: a dict whose types are not known yet (`{}`).
Type dict(Type key, Type value);
/// A dict's key and value types, or nullptr while they are unknown.
inline Type dict_key(Type dict_type) { return dict_type->elements.empty() ? nullptr : dict_type->elements[0]; }
inline Type dict_value(Type dict_type) { return dict_type->elements.empty() ? nullptr : dict_type->elements[1]; }
/// A set of `item`s; nullptr: a set whose item type is not known yet (`set()`).
Type set(Type item);
/// A set's item type, or nullptr while it is unknown.
inline Type set_item(Type set_type) { return set_type->elements.empty() ? nullptr : set_type->elements[0]; }
/// Numbers and tuples of them: values a list holds by plain copies of their bytes.
bool is_plain_data(Type t);
/// Range and Iterator: values that exist only as what a loop iterates over.
inline bool is_loop_only(Type t) { return t->kind == Kind::Range || t->kind == Kind::Iterator; }
/// The Python name of the class a class path starts with: "ValueError", "mymodule.MyError".
std::string class_name(const std::string& class_path);
/// The object of overload number `index` (Program::resolve_overload).
Type overload(int index, const std::string& shown);

bool is_scalar(Kind kind);
inline bool is_scalar(Type t) { return is_scalar(t->kind); }
bool is_python_scalar(Kind kind);  // PyBool, PyInt, PyFloat, PyComplex
bool is_bool(Kind kind);           // PyBool, Bool
bool is_integer(Kind kind);        // PyInt and Int*/UInt* (not bool)
bool is_signed(Kind kind);
bool is_float(Kind kind);          // PyFloat, Float32, Float64
bool is_complex(Kind kind);        // PyComplex, Complex64, Complex128
/// The kind of a complex number's parts (Float64 for PyComplex: CPython's complex is two
/// doubles); a real kind's complex counterpart is complex_of.
Kind complex_part(Kind kind);
Kind complex_of(Kind real);
int bit_width(Kind kind);          // storage bits: 1 for bools, 64 for PyInt/PyFloat, 128 for complex128
int64_t item_size(Kind kind);      // bytes of one array element (a bool takes one)
/// The element type of an array, as a NumPy scalar.
inline Type element(Type array_type) { return scalar(array_type->dtype); }
/// The row type: one dimension fewer (a scalar for 1-D arrays).
Type row_of(Type array_type);
/// The type of x.T: C and F order swap; read-only stays.
Type transposed(Type array_type);
bool is_compile_time(Type t);  // Module, Builtin, Function, ExceptionClass, Overload

/// "int64", "float32", "int" (Python), "array(float64, 2d, C)", "tuple(int, float)".
std::string name(Type t);
const char* name(Kind kind);

/// Type codes for dispatch: one 32-bit number per number or array type.
uint32_t arg_code(Type t);
/// nullptr for a code that names no supported type.
Type from_arg_code(uint32_t code);

/// A tuple argument is the code kTupleCode | its length, then its elements' codes, so a
/// call's argument types are one flat list of numbers, compared as a whole.
inline constexpr uint32_t kTupleCode = 1u << 16;
/// A list argument is kListCode, then its item type's codes.
inline constexpr uint32_t kListCode = 1u << 17;
/// The codes of a call's argument types (numbers, arrays, tuples of them, lists).
std::vector<uint32_t> arg_codes(const std::vector<Type>& types);
/// The argument types flat codes describe; nullopt when they are malformed.
std::optional<std::vector<Type>> from_arg_codes(const std::vector<uint32_t>& codes);

}  // namespace accel::types
