#pragma once
// A single-producer single-consumer queue of variable-sized messages in shared memory.
// Each message is a frame: an 8-byte length, then the bytes, padded to 8. A frame never
// wraps: when it does not fit before the end, the producer writes a wrap marker and
// starts again at offset 0. Positions are byte counters that only grow, so
// `written - read` is the fill level without ambiguity between empty and full.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>

#include "pool/wake_signal.h"

namespace accel::pool {

/// What the other end wrote into a channel breaks its rules (a length word beyond what
/// was written, a buffer larger than its segment): that end cannot be trusted any more.
class CorruptChannel : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The shared state of one ring; placed in shared memory, zero-initialised = empty.
struct RingControl {
  alignas(64) std::atomic<uint64_t> written{0};  // advanced by the producer only
  alignas(64) std::atomic<uint64_t> read{0};     // advanced by the consumer only
  alignas(64) WakeSignal space;                  // rung by the consumer after each pop
};

/// A view of a ring: its control block, its data area and the signal rung on writes
/// (several rings may share one, so a consumer can sleep on all of them at once).
class RingBuffer {
 public:
  /// `capacity` must be a power of two and a multiple of 8.
  RingBuffer(RingControl* control, std::byte* data, std::size_t capacity, WakeSignal* data_signal);

  /// The largest message `try_write` accepts for this capacity.
  std::size_t max_message_size() const { return capacity_ / 2 - kFrameHeader; }

  /// Appends one message made of `parts` concatenated; false when there is no room now.
  /// With `notify` false the reader is not woken: call notify() after a burst, so the
  /// burst costs one wake-up.
  bool try_write(std::span<const std::span<const std::byte>> parts, bool notify = true);
  /// Wakes the reader if it sleeps.
  void notify() { data_signal_->ring(); }

  /// The oldest unread message, valid until pop(); nullopt when the ring is empty.
  /// The producer may be another process gone wrong: a position or length word that
  /// would reach past what it wrote throws CorruptChannel, and nothing outside the ring
  /// is ever read.
  std::optional<std::span<const std::byte>> peek();
  /// Releases the message returned by the last peek().
  void pop();

  bool empty() const;
  /// Sleeps until a message may be readable (or `timeout`); returns whether one is.
  bool wait_readable(std::chrono::nanoseconds timeout);
  /// Sleeps until the producer may have room for `message_size` bytes (or `timeout`).
  bool wait_writable(std::size_t message_size, std::chrono::nanoseconds timeout);

  /// Forgets all content. Only valid while neither side is using the ring.
  void reset();

 private:
  static constexpr std::size_t kFrameHeader = 8;
  static constexpr uint64_t kWrapMarker = ~uint64_t{0};
  static std::size_t frame_size(std::size_t message_size) {
    return kFrameHeader + ((message_size + 7) & ~std::size_t{7});
  }
  bool has_room_for(std::size_t message_size) const;

  RingControl* control_;
  std::byte* data_;
  std::size_t capacity_;
  WakeSignal* data_signal_;
  std::size_t peeked_frame_ = 0;
};

}  // namespace accel::pool
