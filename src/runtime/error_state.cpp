#include <new>
#include <string>
#include <string_view>

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

void restore_error(PendingError error) {
  if (pending.kind == ACCEL_ERROR_NONE) pending = std::move(error);
}

std::string class_path_of(const PendingError& error) {
  switch (error.kind) {
    case ACCEL_ERROR_ZERO_DIVISION:
      return "builtins:ZeroDivisionError|builtins:ArithmeticError|builtins:Exception|builtins:BaseException";
    case ACCEL_ERROR_INDEX:
      return "builtins:IndexError|builtins:LookupError|builtins:Exception|builtins:BaseException";
    case ACCEL_ERROR_VALUE: return "builtins:ValueError|builtins:Exception|builtins:BaseException";
    case ACCEL_ERROR_OVERFLOW:
    case ACCEL_ERROR_RANGE:  // `except OverflowError` catches a float ** that overflowed
      return "builtins:OverflowError|builtins:ArithmeticError|builtins:Exception|builtins:BaseException";
    case ACCEL_ERROR_RECURSION:
      return "builtins:RecursionError|builtins:RuntimeError|builtins:Exception|builtins:BaseException";
    case ACCEL_ERROR_MEMORY: return "builtins:MemoryError|builtins:Exception|builtins:BaseException";
    case ACCEL_ERROR_CLASS: return error.class_path;
    default: return "";
  }
}

}  // namespace accel::runtime

using accel::runtime::pending;
using accel::runtime::PendingError;
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

extern "C" void accel_rt_raise_class(const char* class_path, const char* message, int32_t has_message) {
  if (pending.kind != ACCEL_ERROR_NONE) return;
  pending.kind = ACCEL_ERROR_CLASS;
  pending.class_path = class_path;
  pending.message = message;
  pending.has_message = has_message != 0;
}

extern "C" void accel_rt_raise_class_text(const char* class_path, const char* message, int64_t n,
                                          int32_t has_message) {
  if (pending.kind != ACCEL_ERROR_NONE) return;
  pending.kind = ACCEL_ERROR_CLASS;
  pending.class_path = class_path;
  pending.message.assign(message, static_cast<size_t>(n));
  pending.has_message = has_message != 0;
}

extern "C" void accel_rt_error_argument(const uint64_t* slots, int64_t n, const char* type_text) {
  if (pending.kind != ACCEL_ERROR_CLASS) return;
  try {
    pending.argument.assign(slots, slots + n);
    pending.argument_type = type_text;
  } catch (const std::bad_alloc&) {  // the message stays the argument
    pending.argument.clear();
  }
}

extern "C" int32_t accel_rt_error_matches(const char* class_entry) {
  const std::string path = accel::runtime::class_path_of(pending);
  const std::string_view entry(class_entry);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('|', start);
    if (end == std::string::npos) end = path.size();
    if (std::string_view(path).substr(start, end - start) == entry) return 1;
    start = end + 1;
  }
  return 0;
}

extern "C" void* accel_rt_catch() {
  // nothrow: compiled frames cannot unwind. Without memory the error stays pending and
  // the handler runs without its record (a re-raise then has nothing to raise).
  auto* caught = new (std::nothrow) PendingError;
  if (caught) *caught = accel::runtime::take_error();
  return caught;
}

extern "C" void accel_rt_reraise(void* caught) {
  if (caught) accel::runtime::restore_error(*static_cast<PendingError*>(caught));
}

extern "C" void accel_rt_discard(void* caught) { delete static_cast<PendingError*>(caught); }

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
