// Lists made in compiled code: a counted header and a growable buffer of plain items.
// Codegen inlines what is hot (reading an item, appending into spare capacity); what
// moves many bytes or allocates lives here, once for every item type, by item size.

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "runtime/abi.h"

namespace {

std::atomic<int64_t> live_lists{0};

void no_memory() { accel_rt_raise(ACCEL_ERROR_MEMORY, "out of memory for a list in compiled code"); }

// Capacity for at least `needed` items, with room to grow as CPython's lists do (about
// 1/8 more), so a loop of appends costs amortized O(1).
bool reserve(AccelList* list, int64_t needed, int64_t item_size) {
  if (needed <= list->capacity) return true;
  const int64_t limit = std::numeric_limits<int64_t>::max() / std::max<int64_t>(item_size, 1) / 2;
  if (needed > limit) return false;
  const int64_t capacity = std::max<int64_t>(needed + (needed >> 3) + (needed < 9 ? 3 : 6), 4);
  void* data = std::realloc(list->data, static_cast<size_t>(capacity * item_size));
  if (!data) return false;
  list->data = static_cast<char*>(data);
  list->capacity = capacity;
  return true;
}

AccelList* make(int64_t size, int64_t item_size) {
  auto* list = static_cast<AccelList*>(std::malloc(sizeof(AccelList)));
  if (!list) {
    no_memory();
    return nullptr;
  }
  *list = AccelList{1, 0, 0, nullptr, 0, nullptr};
  if (size > 0 && !reserve(list, size, item_size)) {
    std::free(list);
    no_memory();
    return nullptr;
  }
  list->size = std::max<int64_t>(size, 0);
  live_lists.fetch_add(1, std::memory_order_relaxed);
  return list;
}

std::atomic_ref<int64_t> count_of(AccelList* list) { return std::atomic_ref<int64_t>(list->refcount); }

}  // namespace

extern "C" AccelList* accel_rt_list_new(int64_t size, int64_t item_size) { return make(size, item_size); }

extern "C" void accel_rt_list_incref(AccelList* list) {
  if (list) count_of(list).fetch_add(1, std::memory_order_relaxed);
}

extern "C" void accel_rt_list_decref(AccelList* list) {
  if (!list || count_of(list).fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  std::free(list->data);
  std::free(list);
  live_lists.fetch_sub(1, std::memory_order_relaxed);
}

extern "C" int64_t accel_rt_list_open(AccelList* list, int64_t index, int64_t item_size) {
  if (!reserve(list, list->size + 1, item_size)) {
    no_memory();
    return -1;
  }
  if (index < 0) index = std::max<int64_t>(index + list->size, 0);
  index = std::min(index, list->size);
  char* at = list->data + index * item_size;
  std::memmove(at + item_size, at, static_cast<size_t>((list->size - index) * item_size));
  ++list->size;
  list->changed = 1;
  return index;
}

extern "C" void accel_rt_list_close(AccelList* list, int64_t index, int64_t item_size) {
  char* at = list->data + index * item_size;
  std::memmove(at, at + item_size, static_cast<size_t>((list->size - index - 1) * item_size));
  --list->size;
  list->changed = 1;
}

extern "C" int32_t accel_rt_list_extend(AccelList* list, const AccelList* other, int64_t item_size) {
  const int64_t n = other->size;  // read before growing: `other` may be `list`
  if (n == 0) return 0;            // an empty list may have no buffer to copy from
  if (!reserve(list, list->size + n, item_size)) {
    no_memory();
    return 1;
  }
  std::memcpy(list->data + list->size * item_size, other->data, static_cast<size_t>(n * item_size));
  list->size += n;
  list->changed = 1;
  return 0;
}

extern "C" AccelList* accel_rt_list_slice(const AccelList* list, int64_t start, int64_t stop, int64_t step,
                                          int32_t given, int64_t item_size) {
  if (step == 0) {
    accel_rt_raise_class("builtins:ValueError|builtins:Exception|builtins:BaseException",
                         "slice step cannot be zero", 1);
    return nullptr;
  }
  // CPython's PySlice_AdjustIndices: missing bounds are the ends the step walks from and to.
  const int64_t n = list->size;
  auto adjust = [&](int64_t bound, bool present, int64_t missing) {
    if (!present) return missing;
    if (bound < 0) {
      bound += n;
      if (bound < 0) bound = step < 0 ? -1 : 0;
    } else if (bound >= n) {
      bound = step < 0 ? n - 1 : n;
    }
    return bound;
  };
  start = adjust(start, given & 1, step < 0 ? n - 1 : 0);
  stop = adjust(stop, given & 2, step < 0 ? -1 : n);
  int64_t count = 0;
  if (step > 0 && start < stop) count = (stop - start - 1) / step + 1;
  if (step < 0 && stop < start) count = (start - stop - 1) / -step + 1;
  AccelList* out = make(count, item_size);
  if (!out) return nullptr;
  for (int64_t k = 0; k < count; ++k)
    std::memcpy(out->data + k * item_size, list->data + (start + k * step) * item_size, static_cast<size_t>(item_size));
  return out;
}

extern "C" AccelList* accel_rt_list_concat(const AccelList* a, const AccelList* b, int64_t item_size) {
  AccelList* out = make(0, item_size);
  if (!out) return nullptr;
  if (accel_rt_list_extend(out, a, item_size) || accel_rt_list_extend(out, b, item_size)) {
    accel_rt_list_decref(out);
    return nullptr;
  }
  return out;
}

extern "C" int32_t accel_rt_list_repeat_in_place(AccelList* list, int64_t n, int64_t item_size) {
  const int64_t size = list->size;
  list->changed = 1;
  if (n <= 0 || size == 0) {
    list->size = 0;
    return 0;
  }
  if (size > std::numeric_limits<int64_t>::max() / n || !reserve(list, size * n, item_size)) {
    no_memory();
    return 1;
  }
  // Doubling what is there already: log2(n) copies, not n ([False] * 10**6 is one byte
  // repeated a million times).
  const int64_t total = size * n * item_size;
  for (int64_t filled = size * item_size; filled < total;) {
    const int64_t chunk = std::min(filled, total - filled);
    std::memcpy(list->data + filled, list->data, static_cast<size_t>(chunk));
    filled += chunk;
  }
  list->size = size * n;
  return 0;
}

extern "C" AccelList* accel_rt_list_repeat(const AccelList* list, int64_t n, int64_t item_size) {
  AccelList* out = make(0, item_size);
  if (!out) return nullptr;
  if (accel_rt_list_extend(out, list, item_size) || accel_rt_list_repeat_in_place(out, n, item_size)) {
    accel_rt_list_decref(out);
    return nullptr;
  }
  return out;
}

extern "C" void accel_rt_list_reverse(AccelList* list, int64_t item_size) {
  list->changed = 1;
  if (list->size < 2) return;
  char* low = list->data;
  char* high = list->data + (list->size - 1) * item_size;
  for (; low < high; low += item_size, high -= item_size) std::swap_ranges(low, low + item_size, high);
}

namespace accel::runtime {

int64_t live_list_blocks() { return live_lists.load(std::memory_order_relaxed); }

}  // namespace accel::runtime
