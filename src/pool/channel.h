#pragma once
// Moving protocol messages through a shared-memory ring: large pieces (out-of-band
// buffers, oversized payloads) go to named segments and only their names go through
// the ring, so the ring stays small and a big array is copied exactly once.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>
#include <string>
#include <utility>

#include "pool/message.h"
#include "pool/ring_buffer.h"

namespace accel::pool {

class SegmentCache;
class ReturnQueue;

/// Names the segments one process creates, "<prefix><counter>", so that everything a
/// pool (or one of its workers) created can be found again by prefix and removed.
class SegmentNamer {
 public:
  /// `prefix` starts with '/', e.g. "/accel.1234.1."
  explicit SegmentNamer(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string next() { return prefix_ + std::to_string(counter_++); }
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
  uint64_t counter_ = 0;
};

/// Copies `bytes` into a fresh named segment (not recycled; for one-off buffers).
StagedBuffer stage_in_segment(SegmentNamer& namer, std::span<const std::byte> bytes);

/// Moves the payload into a segment when it is longer than `max_inline` bytes.
void spill_large_payload(OutgoingMessage& message, SegmentCache& segments, std::size_t max_inline);

/// The most payload bytes kept inline in a ring of `ring` size: a quarter of what fits,
/// so a few tasks can queue up behind a large one.
std::size_t max_inline_payload(const RingBuffer& ring);

/// Writes `message` into `ring`; false when the ring has no room now. `notify`: as
/// RingBuffer::try_write.
bool try_write_message(RingBuffer& ring, const OutgoingMessage& message, bool notify = true);

/// Reads the message in `frame`: copies the payload and leases its buffers from
/// `segments`; released leases queue their names on `returns`. ReturnBuffers messages
/// are applied to `segments` here and come back with no buffers. Throws
/// std::runtime_error on a malformed frame, std::system_error on a missing segment.
IncomingMessage read_message(std::span<const std::byte> frame, SegmentCache& segments,
                             const std::shared_ptr<ReturnQueue>& returns);

/// A ReturnBuffers message for `names`, or nullopt when there are none.
std::optional<OutgoingMessage> make_return_message(const std::vector<std::string>& names);

/// Removes the segments of a message that will never be read.
void discard_segments(const OutgoingMessage& message, SegmentCache& segments);

/// Removes the segments referenced by every unread message left in `ring` and empties
/// it; for the task ring of a worker that died.
void discard_unread_messages(RingBuffer& ring);

}  // namespace accel::pool
