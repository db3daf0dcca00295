#include "pool/shared_memory_transport.h"

namespace accel::pool {

SharedMemoryTransport::SharedMemoryTransport(std::size_t workers, std::size_t ring_capacity,
                                             std::string segment_prefix)
    : segment_(PoolSegment::create(workers, ring_capacity)),
      prefix_(std::move(segment_prefix)),
      namer_(prefix_ + "p.") {}

StagedBuffer SharedMemoryTransport::stage(std::span<const std::byte> bytes) {
  return stage_in_segment(namer_, bytes);
}

void SharedMemoryTransport::prepare(OutgoingMessage& message) {
  RingBuffer ring = segment_.task_ring(0);
  spill_large_payload(message, namer_, max_inline_payload(ring));
}

bool SharedMemoryTransport::try_send(std::size_t worker, const OutgoingMessage& message) {
  RingBuffer ring = segment_.task_ring(worker);
  return try_write_message(ring, message);
}

void SharedMemoryTransport::discard(const OutgoingMessage& message) { discard_segments(message); }

std::optional<IncomingMessage> SharedMemoryTransport::try_receive(std::size_t worker) {
  RingBuffer ring = segment_.result_ring(worker);
  auto frame = ring.peek();
  if (!frame) return std::nullopt;
  IncomingMessage message = read_message(*frame);
  ring.pop();
  return message;
}

void SharedMemoryTransport::wait_for_messages(std::chrono::nanoseconds timeout) {
  WakeSignal& doorbell = segment_.results_ready();
  const uint32_t seen = doorbell.snapshot();
  for (std::size_t w = 0; w < worker_count(); ++w)
    if (!segment_.result_ring(w).empty()) return;
  doorbell.sleep(seen, timeout);
}

void SharedMemoryTransport::wake() { segment_.results_ready().ring(); }

int64_t SharedMemoryTransport::current_item(std::size_t worker) {
  return segment_.slot(worker).current_item.load(std::memory_order_acquire);
}

void SharedMemoryTransport::reset_worker(std::size_t worker) {
  RingBuffer tasks = segment_.task_ring(worker);
  // Tasks go back to the scheduler with their buffers; control messages are re-created.
  while (auto frame = tasks.peek()) {
    auto decoded = decode(*frame);
    if (decoded && decoded->header.kind != static_cast<uint32_t>(MessageKind::Task))
      for (const BufferRef& ref : decoded->refs) remove_named_segment(ref.location);
    tasks.pop();
  }
  RingBuffer results = segment_.result_ring(worker);
  discard_unread_messages(results);
  segment_.reset_slot(worker);
}

void SharedMemoryTransport::release_leftovers() {
  remove_named_segments_with_prefix(std::string_view(prefix_).substr(1));
}

void SharedMemoryTransport::release_leftovers_of(std::size_t worker, int64_t worker_id) {
  const std::string worker_prefix = prefix_ + "w" + std::to_string(worker) + "." + std::to_string(worker_id) + ".";
  remove_named_segments_with_prefix(std::string_view(worker_prefix).substr(1));
}

}  // namespace accel::pool
