#pragma once
// Sleeping on a 32-bit word that lives in memory shared between processes.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace accel::pool {

/// Sleeps while `*word == expected`, at most `timeout`; returns early on a wake-up,
/// a signal or a spurious wake, so callers re-check their condition in a loop.
void futex_wait(std::atomic<uint32_t>* word, uint32_t expected, std::chrono::nanoseconds timeout);

/// Wakes every process sleeping on `word`.
void futex_wake_all(std::atomic<uint32_t>* word);

}  // namespace accel::pool
