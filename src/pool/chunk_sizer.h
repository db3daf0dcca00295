#pragma once
// Automatic chunk sizes from measured task durations: tiny tasks are batched so the
// per-message cost is amortised, long ones go one by one so the load stays balanced.
#include <cstddef>
#include <cstdint>

namespace accel::pool {

class ChunkSizer {
 public:
  /// Records that a chunk of `items` items took `duration_ns` in a worker.
  void record(uint64_t duration_ns, uint64_t items);
  /// Items to put in the next chunk, with `remaining` items left (kUnknownRemaining for
  /// an iterable without a length) and `workers` workers. Before any measurement:
  /// remaining / (16 * workers), at most kFirstChunkMax (1 for an unknown length), so a
  /// large map of tiny items does not start with thousands of single-item round trips
  /// and a short map of long items is not lumped together. Then enough items for
  /// ~kTargetChunkNs of work, but never so many that the tail of the job would sit on
  /// one worker, nor so few that a chunk is worth less than kMinChunkNs.
  std::size_t suggest(std::size_t remaining, std::size_t workers) const;
  /// Mean time of one item, 0 before any measurement.
  double item_ns() const { return item_ns_; }

  static constexpr double kTargetChunkNs = 2e6;
  static constexpr double kMinChunkNs = 2e5;
  static constexpr std::size_t kFirstChunkMax = 256;
  static constexpr std::size_t kUnknownRemaining = std::size_t{1} << 40;

 private:
  double item_ns_ = 0;
};

}  // namespace accel::pool
