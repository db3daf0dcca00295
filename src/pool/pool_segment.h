#pragma once
// The one shared-memory segment of a pool (an anonymous memfd handed to each worker at
// spawn): a header with the pool-wide "results ready" doorbell, then one slot per
// worker with its two rings (tasks in, results out) and crash bookkeeping.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "pool/ring_buffer.h"
#include "pool/shared_memory.h"

namespace accel::pool {

/// Per-worker shared state.
struct SlotControl {
  /// Index of the item the worker is running, or -1 when idle; read by the pool after
  /// a crash to name the culprit.
  alignas(64) std::atomic<int64_t> current_item{-1};
  alignas(64) WakeSignal tasks_ready;
  RingControl tasks;
  RingControl results;
};

/// A mapped pool segment, as seen from the pool (create) or from a worker (attach).
class PoolSegment {
 public:
  /// Creates a segment for `slots` workers with rings of `ring_capacity` bytes each.
  static PoolSegment create(std::size_t slots, std::size_t ring_capacity);
  /// Maps the segment a worker inherited as `fd`; throws if it is not a pool segment.
  static PoolSegment attach(int fd);

  PoolSegment(PoolSegment&&) noexcept;
  PoolSegment& operator=(PoolSegment&&) noexcept;
  ~PoolSegment();

  int fd() const { return fd_; }
  std::size_t slot_count() const;
  SlotControl& slot(std::size_t index);
  /// The ring the pool writes tasks into for worker `index`.
  RingBuffer task_ring(std::size_t index);
  /// The ring worker `index` writes results into; shared doorbell for the pool.
  RingBuffer result_ring(std::size_t index);
  WakeSignal& results_ready();
  /// Empties both rings of a slot whose worker is gone, before a replacement starts.
  void reset_slot(std::size_t index);

 private:
  PoolSegment(int fd, MappedRegion region);
  struct Header;
  Header& header() const;
  std::byte* ring_data(std::size_t index, bool results) const;

  int fd_ = -1;
  MappedRegion region_;
};

}  // namespace accel::pool
