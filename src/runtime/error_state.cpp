#include <new>
#include <string>

#include "runtime/abi.h"

namespace accel::runtime {
namespace {

// Per thread: compiled functions may run concurrently with the GIL released.
thread_local PendingError pending;
thread_local int recursion_depth = 0;

}  // namespace

PendingError take_error() {
  PendingError out = std::move(pending);
  pending = PendingError{};
  return out;
}

}  // namespace accel::runtime

using accel::runtime::pending;
using accel::runtime::recursion_depth;

extern "C" void accel_rt_raise(int32_t kind, const char* message) {
  // The innermost error wins, as in Python: callers only propagate it.
  if (pending.kind != ACCEL_ERROR_NONE) return;
  pending.kind = kind;
  try {
    pending.message = message;
  } catch (const std::bad_alloc&) {  // compiled frames cannot unwind: no exception leaves
    pending.kind = ACCEL_ERROR_MEMORY;
    pending.message.clear();
  }
}

extern "C" void accel_rt_index_error(int64_t index, int64_t axis, int64_t size) {
  accel::runtime::without_exceptions([&] {
    const std::string message = "index " + std::to_string(index) + " is out of bounds for axis " +
                                std::to_string(axis) + " with size " + std::to_string(size);
    accel_rt_raise(ACCEL_ERROR_INDEX, message.c_str());
    return 0;
  });
}

extern "C" void accel_rt_int_bounds_error(int64_t value, const char* dtype) {
  accel::runtime::without_exceptions([&] {
    const std::string message = "Python integer " + std::to_string(value) + " out of bounds for " + dtype;
    accel_rt_raise(ACCEL_ERROR_OVERFLOW, message.c_str());
    return 0;
  });
}

extern "C" int32_t accel_rt_enter_recursive() {
  if (++recursion_depth > accel::runtime::kMaxRecursionDepth) {
    --recursion_depth;
    accel_rt_raise(ACCEL_ERROR_RECURSION, "maximum recursion depth exceeded in compiled code");
    return 1;
  }
  return 0;
}

extern "C" void accel_rt_leave_recursive() { --recursion_depth; }
