#pragma once
// The task protocol: what travels between the pool and its workers, independent of the
// transport that carries it (shared memory today, MPI later). docs/architecture.md#pool
// describes the format for people; this header is its single definition for code.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pool/shared_memory.h"

namespace accel::pool {

enum class MessageKind : uint32_t {
  // Pool -> worker.
  Hello = 1,       // payload: the worker's set-up (sys.path, initializer), pickled
  DefineJob = 2,   // payload: the job's function and calling mode, pickled once per worker
  ReleaseJob = 3,  // the job is over: the worker may forget its function
  Task = 4,        // payload: the chunk's items, pickled; buffers: their large arrays
  Shutdown = 5,    // finish the current task, then exit with status 0
  // Either direction.
  ReturnBuffers = 6,  // refs: segments of the receiver that the sender is done with
  // Worker -> pool.
  Result = 16,     // payload: the chunk's results, pickled; buffers: their large arrays
  TaskError = 17,  // payload: (exception, traceback text), pickled; first_item = failing item
};

/// Fixed-size head of every message. Plain data, native byte order (both ends run on
/// one machine, or on identical MPI nodes).
struct MessageHeader {
  uint32_t kind = 0;          // a MessageKind
  uint32_t buffer_count = 0;  // out-of-band buffers, each described by a BufferRef
  uint64_t job_id = 0;        // which map/apply call the message belongs to
  uint64_t task_id = 0;       // unique per chunk within the pool
  uint64_t first_item = 0;    // index in the job of the chunk's first item
  uint64_t item_count = 0;    // items in the chunk
  uint64_t duration_ns = 0;   // Result/TaskError: time the worker spent on the chunk
  uint32_t flags = 0;         // kPayloadInBuffer
  uint32_t reserved = 0;
  uint64_t payload_size = 0;  // bytes of pickled payload
};
static_assert(sizeof(MessageHeader) == 64);

/// The payload itself travels as the last out-of-band buffer (it was too big to inline).
constexpr uint32_t kPayloadInBuffer = 1;

/// Where one out-of-band buffer lives: for shared memory, a /dev/shm segment name, whose
/// first `size` of `capacity` bytes hold the buffer.
struct BufferRef {
  uint64_t size = 0;
  uint64_t capacity = 0;
  char location[48] = {};
};
static_assert(sizeof(BufferRef) == 64);

/// Bytes handed to a transport ahead of sending, so the caller's memory can go away.
struct StagedBuffer {
  std::string location;
  uint64_t size = 0;
  uint64_t capacity = 0;
};

class BufferLease;

/// A message about to be sent. Buffers are staged already; the payload is inline
/// unless `header.flags & kPayloadInBuffer`, in which case it is buffers.back().
struct OutgoingMessage {
  MessageHeader header;
  std::vector<std::byte> payload;
  std::vector<StagedBuffer> buffers;
};

/// A received message: the payload copied out of the channel, each out-of-band buffer
/// a lease on shared memory that stays valid while referenced (segment_cache.h).
struct IncomingMessage {
  MessageHeader header;
  std::vector<std::byte> payload;
  std::vector<std::shared_ptr<BufferLease>> buffers;
};

/// The wire layout: header, then one BufferRef per buffer, then the inline payload.
struct EncodedMessage {
  MessageHeader header;
  std::vector<BufferRef> refs;
  std::span<const std::byte> inline_payload;
};

/// Lays out `message` for a channel (refs filled from the staged buffers).
EncodedMessage encode(const OutgoingMessage& message);

/// Parses one frame; nullopt if it is malformed (then the peer is not speaking our protocol).
std::optional<EncodedMessage> decode(std::span<const std::byte> frame);

}  // namespace accel::pool
