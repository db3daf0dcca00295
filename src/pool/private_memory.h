#pragma once
// Memory of this process's own for buffers received from workers. A result the caller
// keeps would otherwise pin the worker's shared segment, so the worker would need a
// fresh one for each result, and fresh shared pages are the dearest memory there is:
// shared memory gets no huge pages here (shmem_enabled=never is the common default),
// so each 4 KiB page is a fault and a zero-fill (5-20 ms per 8 MB on the project's
// VM). Private memory gets transparent huge pages where the kernel allows them
// (MADV_HUGEPAGE, as NumPy asks), and regions whose arrays died are kept for the next
// buffers, across pools: a warm region costs only the copy.
#include <cstddef>
#include <memory>

#include "pool/shared_memory.h"

namespace accel::pool {

/// A region of at least `size` bytes: an idle one that fits (at most twice as large),
/// or fresh memory. When the last reference goes, it waits, idle, for the next buffer;
/// at most `kIdleBudget` bytes wait (least recently given back go first). Thread-safe.
std::shared_ptr<MappedRegion> acquire_private_memory(std::size_t size);

/// Bytes of idle private regions waiting for reuse.
std::size_t idle_private_memory();

inline constexpr std::size_t kPrivateMemoryIdleBudget = std::size_t{256} << 20;

}  // namespace accel::pool
