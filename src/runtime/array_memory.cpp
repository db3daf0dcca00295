#include <atomic>
#include <cstdlib>
#include <new>

#include <sys/mman.h>

#include "runtime/abi.h"

namespace {

// One block per array: the header, padded to a cache line so the data that follows
// is 64-byte aligned (full-width vector loads, no false sharing with the count).
struct alignas(64) MemInfo {
  std::atomic<int64_t> refcount;
  int64_t nbytes;
  void* allocation;  // what malloc returned, for free
};

std::atomic<int64_t> live_blocks{0};

constexpr size_t kAlignment = 64;
constexpr size_t kPage = 4096;
constexpr size_t kHugePageThreshold = size_t{4} << 20;

}  // namespace

extern "C" void* accel_rt_array_alloc(int64_t nbytes, void** data) {
  if (nbytes < 0) {
    accel_rt_raise(ACCEL_ERROR_VALUE, "negative dimensions are not allowed");
    return nullptr;
  }
  const size_t size = sizeof(MemInfo) + static_cast<size_t>(nbytes);
  // Plain malloc, aligned by hand: glibc then reuses a large block freed a moment ago
  // (an aligned_alloc of 2 MiB alignment went back to the kernel on every free, and a
  // 16 MB result paid its page faults again each call: 3x numba's time). Large blocks
  // are asked to be huge pages, as NumPy does.
  void* allocation = std::malloc(size + kAlignment);
  if (!allocation) {
    accel_rt_raise(ACCEL_ERROR_MEMORY, "unable to allocate array memory in compiled code");
    return nullptr;
  }
  const auto address = reinterpret_cast<uintptr_t>(allocation);
  void* block = reinterpret_cast<void*>((address + kAlignment) & ~(uintptr_t{kAlignment} - 1));
  if (size >= kHugePageThreshold) {
    const uintptr_t first = (address + kPage - 1) & ~(uintptr_t{kPage} - 1);
    const uintptr_t last = (address + size + kAlignment) & ~(uintptr_t{kPage} - 1);
    if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
  auto* info = new (block) MemInfo{{1}, nbytes, allocation};
  live_blocks.fetch_add(1, std::memory_order_relaxed);
  *data = reinterpret_cast<char*>(info) + sizeof(MemInfo);
  return info;
}

extern "C" void accel_rt_incref(void* meminfo) {
  if (meminfo) static_cast<MemInfo*>(meminfo)->refcount.fetch_add(1, std::memory_order_relaxed);
}

extern "C" void accel_rt_decref(void* meminfo) {
  if (!meminfo) return;
  auto* info = static_cast<MemInfo*>(meminfo);
  if (info->refcount.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    void* allocation = info->allocation;
    info->~MemInfo();
    std::free(allocation);
    live_blocks.fetch_sub(1, std::memory_order_relaxed);
  }
}

namespace accel::runtime {

int64_t live_array_blocks() { return live_blocks.load(std::memory_order_relaxed) + live_list_blocks() + live_dict_blocks(); }

}  // namespace accel::runtime
