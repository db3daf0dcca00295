#pragma once
// Everything compiled code calls in the runtime: extern "C", one prefix, declared once
// here for both codegen (which emits the calls) and the runtime (which defines them).

#include <cstdint>
#include <string>

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
};

/// Records an error for the calling thread; the compiled function then returns 1.
void accel_rt_raise(int32_t kind, const char* message);
/// IndexError with NumPy's message, built only when the error happens.
void accel_rt_index_error(int64_t index, int64_t axis, int64_t size);
/// A reference-counted block for an array made in compiled code (count 1); *data gets
/// its 64-byte aligned payload. nullptr (with an error pending) when it cannot be had.
void* accel_rt_array_alloc(int64_t nbytes, void** data);
/// Reference counting of array blocks; nullptr (an array NumPy owns) is ignored.
void accel_rt_incref(void* meminfo);
void accel_rt_decref(void* meminfo);
/// NumPy's pairwise sum of n floats `stride` bytes apart (what x.sum() computes).
double accel_rt_pairwise_sum_f64(const char* data, int64_t n, int64_t stride);
float accel_rt_pairwise_sum_f32(const char* data, int64_t n, int64_t stride);
/// Sorts n contiguous elements of types::Kind `kind` in place, NaN last (np.sort's order).
void accel_rt_sort(void* data, int64_t n, int32_t kind);
/// OverflowError for a Python int that does not fit the NumPy integer type it goes to.
void accel_rt_int_bounds_error(int64_t value, const char* dtype);
/// One chunk [begin, end) of a prange loop's trip count; returns 0 or 1 (error pending).
typedef int32_t (*AccelChunkFunction)(int64_t begin, int64_t end, int64_t chunk, void* context);
/// How many chunks a parallel loop of this many iterations is split into.
int64_t accel_rt_parallel_chunks(int64_t trip_count);
/// Runs body over every chunk on the runtime's threads (OpenMP); 1 with the error of the
/// lowest failing chunk (the one a serial loop would have raised) moved to this thread.
int32_t accel_rt_parallel_for(int64_t trip_count, int64_t chunks, AccelChunkFunction body, void* context);
/// Counts the depth of recursive compiled calls; 1 (with RecursionError set) when too deep.
int32_t accel_rt_enter_recursive();
void accel_rt_leave_recursive();
}

namespace accel::runtime {

/// Runtime symbols by name, for the JIT to bind to their addresses.
struct RuntimeSymbol {
  const char* name;
  void* address;
};
const RuntimeSymbol* runtime_symbols(size_t& count);

struct PendingError {
  int32_t kind = ACCEL_ERROR_NONE;
  std::string message;
};

/// The calling thread's pending error, cleared.
PendingError take_error();

/// Threads a parallel loop uses: ACCEL_NUM_THREADS, else the cores this process may use.
int num_threads();
void set_num_threads(int n);
int max_threads();

/// Blocks allocated and not yet freed (for leak tests).
int64_t live_array_blocks();

/// How deep compiled recursion may go: well inside an 8 MiB thread stack.
constexpr int kMaxRecursionDepth = 10000;

}  // namespace accel::runtime
