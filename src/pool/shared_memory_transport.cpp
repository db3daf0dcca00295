#include "pool/shared_memory_transport.h"

namespace accel::pool {


SharedMemoryTransport::SharedMemoryTransport(std::size_t workers, std::size_t ring_capacity,
                                             std::string segment_prefix)
    : segment_(PoolSegment::create(workers, ring_capacity)),
      prefix_(std::move(segment_prefix)),
      segments_(prefix_ + "p.") {
  for (std::size_t w = 0; w < workers; ++w) returns_.push_back(std::make_shared<ReturnQueue>());
  unnotified_.assign(workers, false);
}

StagedBuffer SharedMemoryTransport::stage(std::span<const std::byte> bytes) { return segments_.stage(bytes); }

void SharedMemoryTransport::prepare(OutgoingMessage& message) {
  RingBuffer ring = segment_.task_ring(0);
  spill_large_payload(message, segments_, max_inline_payload(ring));
}

bool SharedMemoryTransport::try_send(std::size_t worker, const OutgoingMessage& message) {
  RingBuffer ring = segment_.task_ring(worker);
  if (!try_write_message(ring, message, /*notify=*/false)) return false;
  for (const StagedBuffer& buffer : message.buffers) segments_.lent(buffer.location, static_cast<int>(worker));
  unnotified_[worker] = true;
  return true;
}

void SharedMemoryTransport::flush() {
  for (std::size_t w = 0; w < unnotified_.size(); ++w) {
    if (!unnotified_[w]) continue;
    unnotified_[w] = false;
    segment_.task_ring(w).notify();
  }
}

void SharedMemoryTransport::discard(const OutgoingMessage& message) { discard_segments(message, segments_); }

void SharedMemoryTransport::take_back(const OutgoingMessage& message) {
  for (const StagedBuffer& buffer : message.buffers) segments_.lent(buffer.location, SegmentCache::kHeldHere);
}

std::optional<IncomingMessage> SharedMemoryTransport::try_receive(std::size_t worker) {
  RingBuffer ring = segment_.result_ring(worker);
  while (auto frame = ring.peek()) {
    IncomingMessage message = read_message(*frame, segments_, returns_[worker]);
    ring.pop();
    if (message.header.kind == static_cast<uint32_t>(MessageKind::ReturnBuffers)) continue;
    // Results are copied out (private_memory.h says why): the worker's segment goes
    // back with the next dispatch, so its next result reuses warm pages.
    for (auto& buffer : message.buffers) buffer = buffer->private_copy();
    return message;
  }
  return std::nullopt;
}

void SharedMemoryTransport::send_returns(std::size_t worker) {
  std::vector<std::string> names = returns_[worker]->take();
  if (names.empty()) return;
  // Bounded messages, so a long list never exceeds what a ring takes.
  constexpr std::size_t kPerMessage = 1024;
  RingBuffer ring = segment_.task_ring(worker);
  for (std::size_t start = 0; start < names.size(); start += kPerMessage) {
    const auto end = std::min(names.size(), start + kPerMessage);
    auto message = make_return_message(std::vector<std::string>(names.begin() + static_cast<std::ptrdiff_t>(start),
                                                                names.begin() + static_cast<std::ptrdiff_t>(end)));
    if (!try_write_message(ring, *message)) {
      for (std::size_t i = start; i < names.size(); ++i) returns_[worker]->push(std::move(names[i]));
      return;
    }
  }
}

uint32_t SharedMemoryTransport::activity_snapshot() { return segment_.results_ready().snapshot(); }

void SharedMemoryTransport::wait_for_messages(uint32_t seen, std::chrono::nanoseconds timeout) {
  WakeSignal& doorbell = segment_.results_ready();
  for (std::size_t w = 0; w < worker_count(); ++w)
    if (!segment_.result_ring(w).empty()) return;
  doorbell.sleep(seen, timeout);
}

void SharedMemoryTransport::wake() { segment_.results_ready().ring(); }

int64_t SharedMemoryTransport::current_item(std::size_t worker) {
  return segment_.slot(worker).current_item.load(std::memory_order_acquire);
}

void SharedMemoryTransport::reset_worker(std::size_t worker) {
  // What the dead worker left in its rings is parsed only as far as it is sound: a
  // corrupt ring is simply emptied (the worker's own segments go by prefix after this).
  RingBuffer tasks = segment_.task_ring(worker);
  try {
    // Tasks go back to the scheduler with their buffers; control messages are re-created.
    while (auto frame = tasks.peek()) {
      auto decoded = decode(*frame);
      const auto kind = decoded ? static_cast<MessageKind>(decoded->header.kind) : MessageKind::Task;
      if (kind != MessageKind::Task && kind != MessageKind::ReturnBuffers)
        for (const BufferRef& ref : decoded->refs) segments_.forget(ref.location);
      tasks.pop();
    }
  } catch (const CorruptChannel&) {
  }
  RingBuffer results = segment_.result_ring(worker);
  try {
    discard_unread_messages(results);
  } catch (const CorruptChannel&) {
  }
  segment_.reset_slot(worker);
  // Its mappings died with it: what it held of ours is free again.
  segments_.reclaim_lent_to(static_cast<int>(worker));
  // Leases of the dead worker's buffers may still live here; their returns go nowhere.
  returns_[worker] = std::make_shared<ReturnQueue>();
}

void SharedMemoryTransport::release_leftovers() {
  segments_.clear();
  remove_named_segments_with_prefix(std::string_view(prefix_).substr(1));
}

void SharedMemoryTransport::release_leftovers_of(std::size_t worker, int64_t worker_id) {
  const std::string worker_prefix = prefix_ + "w" + std::to_string(worker) + "." + std::to_string(worker_id) + ".";
  remove_named_segments_with_prefix(std::string_view(worker_prefix).substr(1));
  segments_.drop_mappings_with_prefix(worker_prefix);
}

}  // namespace accel::pool
