#include "pool/worker_endpoint.h"

#include <unistd.h>

namespace accel::pool {

namespace {
// How often a waiting worker checks that its owner still exists.
constexpr std::chrono::milliseconds kOwnerCheckPeriod{100};
}  // namespace

WorkerEndpoint::WorkerEndpoint(int fd, std::size_t slot, pid_t owner, const std::string& segment_prefix)
    : segment_(PoolSegment::attach(fd)),
      slot_(slot),
      owner_(owner),
      namer_(segment_prefix + std::to_string(::getpid()) + ".") {
  (void)segment_.slot(slot_);  // validates the slot index
}

// Re-parenting to init (or a subreaper) is how a worker learns its owner died.
bool WorkerEndpoint::owner_alive() const { return ::getppid() == owner_; }

std::optional<IncomingMessage> WorkerEndpoint::receive() {
  RingBuffer ring = segment_.task_ring(slot_);
  for (;;) {
    if (auto frame = ring.peek()) {
      if (auto decoded = decode(*frame); decoded && decoded->header.kind == static_cast<uint32_t>(MessageKind::Task))
        set_current_item(static_cast<int64_t>(decoded->header.first_item));
      IncomingMessage message = read_message(*frame);
      ring.pop();
      return message;
    }
    if (!owner_alive()) return std::nullopt;
    ring.wait_readable(kOwnerCheckPeriod);
  }
}

bool WorkerEndpoint::send(OutgoingMessage message) {
  RingBuffer ring = segment_.result_ring(slot_);
  spill_large_payload(message, namer_, max_inline_payload(ring));
  const std::size_t size = sizeof(MessageHeader) + message.buffers.size() * sizeof(BufferRef) + message.payload.size();
  while (!try_write_message(ring, message)) {
    if (!owner_alive()) {
      discard_segments(message);
      return false;
    }
    ring.wait_writable(size, kOwnerCheckPeriod);
  }
  set_current_item(-1);
  return true;
}

void WorkerEndpoint::set_current_item(int64_t item) {
  segment_.slot(slot_).current_item.store(item, std::memory_order_release);
}

}  // namespace accel::pool
