#pragma once
// The seam between the scheduler (WorkerPool: who runs what, crash handling) and the
// medium that carries protocol messages: SharedMemoryTransport. The MPI pool
// swaps in above the C++ scheduler, in Python over mpi4py (docs/architecture.md, MPI),
// because MPI's ABI differs from one MPI library to the next.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "pool/message.h"

namespace accel::pool {

/// The pool's end of the channels to its workers. Not thread-safe except wake().
class Transport {
 public:
  virtual ~Transport() = default;

  virtual std::size_t worker_count() const = 0;

  /// Copies `bytes` where workers can reach them, so the caller's memory may go.
  virtual StagedBuffer stage(std::span<const std::byte> bytes) = 0;
  /// Gets `message` ready to send (e.g. moves an oversized payload out of line).
  virtual void prepare(OutgoingMessage& message) = 0;
  /// Sends a prepared message to `worker`; false when its channel is full now. The
  /// worker may not notice it before flush().
  virtual bool try_send(std::size_t worker, const OutgoingMessage& message) = 0;
  /// Wakes the workers that were sent something since the last flush, once each: a
  /// burst of small tasks costs one wake-up, not one per task.
  virtual void flush() = 0;
  /// Releases the staged parts of a message that will never be delivered.
  virtual void discard(const OutgoingMessage& message) = 0;
  /// A message sent to a worker that died before reading it will be sent again: its
  /// staged parts are this side's again, not the dead worker's.
  virtual void take_back(const OutgoingMessage& message) = 0;

  /// The next message from `worker`, if one has arrived. Throws CorruptChannel when
  /// what the worker wrote breaks the protocol (then it must be treated as dead).
  virtual std::optional<IncomingMessage> try_receive(std::size_t worker) = 0;
  /// A token to take before deciding to wait, so nothing that happens after it is missed.
  virtual uint32_t activity_snapshot() = 0;
  /// Sleeps until some worker may have sent a message or wake() was called since `seen`
  /// was taken, or `timeout`.
  virtual void wait_for_messages(uint32_t seen, std::chrono::nanoseconds timeout) = 0;
  /// Ends a wait_for_messages early; safe from any thread.
  virtual void wake() = 0;

  /// Bytes this side staged (copied out for workers) that have not come back yet.
  virtual std::size_t staged_bytes_in_use() const = 0;
  /// Sends `worker` the names of its buffers this side is done with, so it can reuse them.
  virtual void send_returns(std::size_t worker) = 0;

  /// The item `worker` reported running last, or -1 when it was idle.
  virtual int64_t current_item(std::size_t worker) = 0;
  /// Empties the channels of a worker that is gone. Unread tasks keep their staged
  /// buffers (they will be sent again); everything else it held is released, and the
  /// buffers it had received and not returned are free for reuse.
  virtual void reset_worker(std::size_t worker) = 0;
  /// Releases anything staged by the pool or by workers and never received.
  virtual void release_leftovers() = 0;
  /// Releases what the worker that ran as `worker_id` (its pid, locally) staged, and
  /// what this side kept of it for reuse.
  virtual void release_leftovers_of(std::size_t worker, int64_t worker_id) = 0;
};

}  // namespace accel::pool
