#pragma once
// Everything compiled code calls in the runtime: extern "C", one prefix, listed once in
// abi_functions.h and declared here for both codegen (which emits the calls) and the
// runtime (which defines them).

#include <cstdint>
#include <span>
#include <new>
#include <string>
#include <vector>

extern "C" {

/// Python exception classes compiled code can raise; the dispatcher maps them back.
enum AccelErrorKind : int32_t {
  ACCEL_ERROR_NONE = 0,
  ACCEL_ERROR_ZERO_DIVISION = 1,
  ACCEL_ERROR_INDEX = 2,
  ACCEL_ERROR_VALUE = 3,
  ACCEL_ERROR_OVERFLOW = 4,
  ACCEL_ERROR_RECURSION = 5,
  ACCEL_ERROR_MEMORY = 6,
  /// Any other class, raised by a `raise` or `assert` in compiled code: the error's
  /// class path says which (below).
  ACCEL_ERROR_CLASS = 7,
  ACCEL_ERROR_RANGE = 8,  // OverflowError(ERANGE, strerror(ERANGE)), as CPython's float **
};

/// The element types accel_rt_sort sorts (bool sorts as uint8: false before true).
enum AccelSortElement : int32_t {
  ACCEL_SORT_UINT8, ACCEL_SORT_UINT16, ACCEL_SORT_UINT32, ACCEL_SORT_UINT64,
  ACCEL_SORT_INT8, ACCEL_SORT_INT16, ACCEL_SORT_INT32, ACCEL_SORT_INT64,
  ACCEL_SORT_FLOAT32, ACCEL_SORT_FLOAT64,
};

/// What accel_rt_lapack_* return when the process has no LAPACK.
constexpr int64_t ACCEL_NO_LAPACK = INT64_MIN;
/// ... and when a workspace LAPACK asked for cannot be had.
constexpr int64_t ACCEL_LAPACK_NO_MEMORY = INT64_MIN + 1;

/// Which numbers accel_rt_complex_power computes with, and the functions of
/// accel_rt_complex_function.
enum AccelComplexKind : int32_t { ACCEL_COMPLEX_PYTHON = 0, ACCEL_COMPLEX_SINGLE = 1, ACCEL_COMPLEX_DOUBLE = 2 };
enum AccelComplexFunction : int32_t {
  ACCEL_COMPLEX_EXP, ACCEL_COMPLEX_LOG, ACCEL_COMPLEX_SQRT, ACCEL_COMPLEX_SIN, ACCEL_COMPLEX_COS,
  ACCEL_COMPLEX_TAN, ACCEL_COMPLEX_SINH, ACCEL_COMPLEX_COSH, ACCEL_COMPLEX_TANH,
};

// A class path names an exception class and its bases, most derived first, each as
// "module:qualname", without `object`: "builtins:ZeroDivisionError|builtins:ArithmeticError|
// builtins:Exception|builtins:BaseException". `except C` matches an error whose path holds
// C's first entry, so compiled code tests subclassing without Python.

/// A list made in compiled code. Items sit one after another in their LLVM in-memory
/// layout (item_size bytes each); codegen reads size and data directly (codegen/
/// list_layout.h). The items are plain data (numbers, tuples of numbers), so moving and
/// freeing them needs no per-item work.
struct AccelList {
  int64_t refcount;
  int64_t size;
  int64_t capacity;
  char* data;
  /// Set by every change to the items or the size: a list argument is written back into
  /// the caller's Python list only when its function changed it.
  int64_t changed;
  /// The caller's Python list a list argument was made from (borrowed), or null.
  void* parent;
};

/// A dict (or, with value_size 0, a set) made in compiled code: entries in insertion
/// order, as CPython's compact dicts keep them, and an open-addressing index over them.
/// An entry is { u64 hash; key (key_size bytes, padded to 8); value (value_size bytes) };
/// a removed entry keeps its place with hash kAccelDeadEntry until the table is rebuilt.
/// Keys are plain data compared by their bytes, so codegen stores them normalized (no
/// -0.0, zeroed padding; docs/semantics.md). Codegen reads only size (len) and used
/// (the bound of iteration, codegen/dict_layout.h).
struct AccelDict {
  int64_t refcount;
  int64_t size;            // live entries
  int64_t used;            // entries written, removed ones included
  int64_t entry_capacity;  // entries there is room for
  char* entries;
  int64_t* index;          // index_mask + 1 slots: -1 empty, else an entry's position
  int64_t index_mask;
  int64_t key_size, value_size, entry_size;
  int64_t changed;         // as AccelList's
  void* parent;            // as AccelList's
};
/// Where an entry's value starts after its key's address.
inline constexpr int64_t accel_dict_value_offset(int64_t key_size) { return (key_size + 7) / 8 * 8; }

/// One chunk [begin, end) of a prange loop's trip count; returns 0 or 1 (error pending).
typedef int32_t (*AccelChunkFunction)(int64_t begin, int64_t end, int64_t chunk, void* context);

#define ACCEL_RUNTIME_FUNCTION(name, result, parameters, attribute) result name parameters;
#include "runtime/abi_functions.h"
#undef ACCEL_RUNTIME_FUNCTION
}

namespace accel::runtime {

/// The functions of abi_functions.h, in its order.
enum class Function {
#define ACCEL_RUNTIME_FUNCTION(name, result, parameters, attribute) name,
#include "runtime/abi_functions.h"
#undef ACCEL_RUNTIME_FUNCTION
};

enum class FunctionAttribute { Plain, Cold };

/// A runtime function by name and address, for the JIT to bind.
struct RuntimeSymbol {
  const char* name;
  void* address;
  FunctionAttribute attribute;
};

/// Every function of abi_functions.h, indexed by Function.
std::span<const RuntimeSymbol> runtime_functions();
inline const RuntimeSymbol& runtime_function(Function f) { return runtime_functions()[static_cast<size_t>(f)]; }

struct PendingError {
  int32_t kind = ACCEL_ERROR_NONE;
  std::string message;
  std::string class_path;    // ACCEL_ERROR_CLASS: which class (see above)
  bool has_message = true;   // false: the class was raised without arguments (`raise E`)
  /// When argument_type is not empty, the exception's one argument instead of the message (KeyError(key)):
  /// its slots as a result of the type types::to_text wrote in argument_type.
  std::vector<uint64_t> argument;
  std::string argument_type;
};

/// The calling thread's pending error, cleared.
PendingError take_error();
/// Makes `error` the calling thread's pending error (unless one is pending already).
void restore_error(PendingError error);
/// The class path of an error, for any kind.
std::string class_path_of(const PendingError& error);

/// Runs `body` (returning 0, or non-zero with an error set) for an entry point that
/// compiled code calls: those frames are nounwind, so an exception leaving the runtime
/// would be std::terminate. std::bad_alloc becomes MemoryError, as in NumPy.
template <class Body>
int32_t without_exceptions(const Body& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    accel_rt_raise(ACCEL_ERROR_MEMORY, "out of memory in compiled code");
  } catch (...) {
    accel_rt_raise(ACCEL_ERROR_VALUE, "an internal error in accel's runtime (a bug)");
  }
  return 1;
}

/// Threads a parallel loop uses: ACCEL_NUM_THREADS, else the cores this process may use.
int num_threads();
void set_num_threads(int n);
int max_threads();

/// Blocks allocated and not yet freed (for leak tests): arrays, strings, lists and dicts.
int64_t live_array_blocks();
int64_t live_list_blocks();
int64_t live_dict_blocks();

/// The LAPACK routines np.linalg calls in compiled code, as found in the process (the
/// first LAPACK call looks): their symbol prefix and suffix ("scipy_", "_64_"), or ""
/// when there is none (or ACCEL_LAPACK=0), and the library's own factorizations run.
std::string lapack_symbols();

/// How deep compiled recursion may go: well inside an 8 MiB thread stack.
constexpr int kMaxRecursionDepth = 10000;

}  // namespace accel::runtime
