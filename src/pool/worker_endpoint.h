#pragma once
// The worker's end of the shared-memory transport: reads tasks from its slot's task
// ring, writes results to its result ring, and notices when the pool's process is gone
// (then it stops, so a killed parent never leaves workers behind).
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <sys/types.h>

#include "pool/channel.h"
#include "pool/pool_segment.h"
#include "pool/segment_cache.h"

namespace accel::pool {

class WorkerEndpoint {
 public:
  /// `fd`: the inherited pool segment; `owner`: the pool's pid; `parent`: the process
  /// that started this one (the pool, or its fork server); `segment_prefix`: the name
  /// prefix for this worker's segments (its pid is appended).
  WorkerEndpoint(int fd, std::size_t slot, pid_t owner, pid_t parent, const std::string& segment_prefix);

  /// Waits for the next message. nullopt when the owner has exited. Marks a task's first
  /// item as running before its buffers are taken, so a crash is blamed on it.
  std::optional<IncomingMessage> receive();
  /// Copies a large buffer of a result into shared memory: into one of this worker's
  /// segments the pool has given back, when one has come.
  StagedBuffer stage(std::span<const std::byte> bytes);
  /// Sends a result or error, waiting for room; marks the worker idle once sent.
  /// False when the owner has exited.
  bool send(OutgoingMessage message);
  /// Records which item runs now, for crash reports.
  void set_current_item(int64_t item);

 private:
  bool parent_alive() const;
  /// Reads every message waiting in the task ring: returned segments are recycled now,
  /// the rest waits in `ahead_` for receive(). The pool queues a worker's tasks ahead
  /// of its returns, so without this a map of large results would see none of its
  /// segments back before its last task and fault a fresh one per result.
  void read_ahead();
  bool write_blocking(RingBuffer& ring, const OutgoingMessage& message);
  /// The parent is gone: if the pool's process is gone too, nobody else will remove
  /// the pool's segments.
  void clean_up_after_owner();

  PoolSegment segment_;
  std::size_t slot_;
  pid_t owner_;
  pid_t parent_;
  std::string pool_prefix_;
  SegmentCache segments_;
  std::shared_ptr<ReturnQueue> returns_ = std::make_shared<ReturnQueue>();
  std::deque<IncomingMessage> ahead_;
};

}  // namespace accel::pool
