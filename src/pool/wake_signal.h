#pragma once
// A doorbell in shared memory: producers ring it after publishing something, consumers
// sleep on it with a futex. The sleeper count lets a producer skip the wake-up system
// call when nobody sleeps, which keeps the busy path free of syscalls.
#include <atomic>
#include <chrono>
#include <cstdint>

#include "pool/futex.h"

namespace accel::pool {

/// Lives inside a shared mapping; zero-initialised memory is a valid, quiet signal.
struct WakeSignal {
  std::atomic<uint32_t> sequence{0};
  std::atomic<uint32_t> sleepers{0};

  /// Called after publishing: wakes sleepers, if any.
  void ring() {
    sequence.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers.load(std::memory_order_seq_cst) != 0) futex_wake_all(&sequence);
  }

  /// Snapshot to take before checking the condition one is about to sleep on.
  uint32_t snapshot() const { return sequence.load(std::memory_order_seq_cst); }

  /// Sleeps unless the signal rang since `seen` was taken; bounded by `timeout`.
  void sleep(uint32_t seen, std::chrono::nanoseconds timeout) {
    sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (sequence.load(std::memory_order_seq_cst) == seen) futex_wait(&sequence, seen, timeout);
    sleepers.fetch_sub(1, std::memory_order_seq_cst);
  }
};

}  // namespace accel::pool
