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
};

std::atomic<int64_t> live_blocks{0};

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kHugePageThreshold = size_t{4} << 20;

}  // namespace

extern "C" void* accel_rt_array_alloc(int64_t nbytes, void** data) {
  if (nbytes < 0) {
    accel_rt_raise(ACCEL_ERROR_VALUE, "negative dimensions are not allowed");
    return nullptr;
  }
  const size_t size = sizeof(MemInfo) + static_cast<size_t>(nbytes);
  // Large blocks are aligned to 2 MiB and asked to be huge pages, as NumPy does: a
  // fresh 80 MB result otherwise spends more time in page faults than in arithmetic.
  const size_t alignment = size >= kHugePageThreshold ? kHugePage : 64;
  void* block = std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  if (block && alignment == kHugePage) madvise(block, size, MADV_HUGEPAGE);
  if (!block) {
    accel_rt_raise(ACCEL_ERROR_MEMORY, "unable to allocate array memory in compiled code");
    return nullptr;
  }
  auto* info = new (block) MemInfo{{1}, nbytes};
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
    info->~MemInfo();
    std::free(info);
    live_blocks.fetch_sub(1, std::memory_order_relaxed);
  }
}

namespace accel::runtime {

int64_t live_array_blocks() { return live_blocks.load(std::memory_order_relaxed); }

}  // namespace accel::runtime
