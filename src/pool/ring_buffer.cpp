#include "pool/ring_buffer.h"

#include <cstring>
#include <stdexcept>

namespace accel::pool {

RingBuffer::RingBuffer(RingControl* control, std::byte* data, std::size_t capacity, WakeSignal* data_signal)
    : control_(control), data_(data), capacity_(capacity), data_signal_(data_signal) {
  if (capacity < 64 || (capacity & (capacity - 1)) != 0)
    throw std::invalid_argument("ring capacity must be a power of two of at least 64 bytes");
}

bool RingBuffer::has_room_for(std::size_t message_size) const {
  const uint64_t written = control_->written.load(std::memory_order_relaxed);
  const uint64_t read = control_->read.load(std::memory_order_acquire);
  const std::size_t free_bytes = capacity_ - static_cast<std::size_t>(written - read);
  const std::size_t offset = static_cast<std::size_t>(written & (capacity_ - 1));
  const std::size_t frame = frame_size(message_size);
  const std::size_t until_end = capacity_ - offset;
  return frame <= until_end ? frame <= free_bytes : until_end + frame <= free_bytes;
}

bool RingBuffer::try_write(std::span<const std::span<const std::byte>> parts, bool notify) {
  std::size_t message_size = 0;
  for (auto part : parts) message_size += part.size();
  if (message_size > max_message_size()) throw std::length_error("message larger than the ring allows");
  if (!has_room_for(message_size)) return false;

  uint64_t written = control_->written.load(std::memory_order_relaxed);
  std::size_t offset = static_cast<std::size_t>(written & (capacity_ - 1));
  const std::size_t frame = frame_size(message_size);
  if (frame > capacity_ - offset) {
    std::memcpy(data_ + offset, &kWrapMarker, sizeof kWrapMarker);
    written += capacity_ - offset;
    offset = 0;
  }
  const uint64_t length = message_size;
  std::memcpy(data_ + offset, &length, sizeof length);
  std::byte* cursor = data_ + offset + kFrameHeader;
  for (auto part : parts) {
    if (!part.empty()) std::memcpy(cursor, part.data(), part.size());
    cursor += part.size();
  }
  // The release store publishes the bytes above together with the new position.
  control_->written.store(written + frame, std::memory_order_release);
  if (notify) data_signal_->ring();
  return true;
}

std::optional<std::span<const std::byte>> RingBuffer::peek() {
  const uint64_t read = control_->read.load(std::memory_order_relaxed);
  const uint64_t written = control_->written.load(std::memory_order_acquire);
  if (read == written) return std::nullopt;
  // Frames start 8-aligned, and no more than the ring can hold is ever unread.
  const uint64_t unread = written - read;
  if (unread > capacity_ || unread % 8 != 0 || read % 8 != 0)
    throw CorruptChannel("corrupt pool channel: " + std::to_string(unread) + " bytes unread in a ring of " +
                         std::to_string(capacity_));
  std::size_t offset = static_cast<std::size_t>(read & (capacity_ - 1));
  uint64_t length;
  std::memcpy(&length, data_ + offset, sizeof length);
  std::size_t skipped = 0;
  if (length == kWrapMarker) {
    skipped = capacity_ - offset;
    if (skipped >= unread)
      throw CorruptChannel("corrupt pool channel: a wrap marker with nothing written after it");
    offset = 0;
    std::memcpy(&length, data_, sizeof length);
  }
  // A frame never wraps, and it lies within what the producer published.
  if (length > max_message_size() || frame_size(static_cast<std::size_t>(length)) > unread - skipped ||
      frame_size(static_cast<std::size_t>(length)) > capacity_ - offset)
    throw CorruptChannel("corrupt pool channel: a frame claims " + std::to_string(length) + " bytes, but " +
                         std::to_string(unread - skipped) + " were written");
  peeked_frame_ = skipped + frame_size(static_cast<std::size_t>(length));
  return std::span<const std::byte>(data_ + offset + kFrameHeader, static_cast<std::size_t>(length));
}

void RingBuffer::pop() {
  if (peeked_frame_ == 0) return;
  const uint64_t read = control_->read.load(std::memory_order_relaxed);
  control_->read.store(read + peeked_frame_, std::memory_order_release);
  peeked_frame_ = 0;
  control_->space.ring();
}

bool RingBuffer::empty() const {
  return control_->read.load(std::memory_order_acquire) == control_->written.load(std::memory_order_acquire);
}

bool RingBuffer::wait_readable(std::chrono::nanoseconds timeout) {
  const uint32_t seen = data_signal_->snapshot();
  if (!empty()) return true;
  data_signal_->sleep(seen, timeout);
  return !empty();
}

bool RingBuffer::wait_writable(std::size_t message_size, std::chrono::nanoseconds timeout) {
  const uint32_t seen = control_->space.snapshot();
  if (has_room_for(message_size)) return true;
  control_->space.sleep(seen, timeout);
  return has_room_for(message_size);
}

void RingBuffer::reset() {
  control_->written.store(0, std::memory_order_relaxed);
  control_->read.store(0, std::memory_order_relaxed);
  peeked_frame_ = 0;
}

}  // namespace accel::pool
