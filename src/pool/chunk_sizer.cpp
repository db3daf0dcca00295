#include "pool/chunk_sizer.h"

#include <algorithm>
#include <cmath>

namespace accel::pool {

void ChunkSizer::record(uint64_t duration_ns, uint64_t items) {
  if (items == 0) return;
  const double sample = std::max(1.0, static_cast<double>(duration_ns) / static_cast<double>(items));
  // An exponential average follows a drift in task cost without trusting one outlier.
  item_ns_ = item_ns_ == 0 ? sample : 0.7 * item_ns_ + 0.3 * sample;
}

std::size_t ChunkSizer::suggest(std::size_t remaining, std::size_t workers) const {
  if (remaining == 0) return 0;
  workers = std::max<std::size_t>(1, workers);
  if (item_ns_ == 0) {
    if (remaining >= kUnknownRemaining) return 1;
    return std::clamp<std::size_t>(remaining / (16 * workers), 1, kFirstChunkMax);
  }
  auto items_for = [&](double ns) { return static_cast<std::size_t>(std::clamp(ns / item_ns_, 1.0, 1e9)); };
  const std::size_t wanted = items_for(kTargetChunkNs);
  // Four chunks per worker for what is left keeps the end of the job balanced...
  const std::size_t balanced = std::max<std::size_t>(1, remaining / (4 * workers));
  // ...but a chunk worth less than kMinChunkNs would be mostly round-trip overhead.
  const std::size_t smallest = std::min(wanted, items_for(kMinChunkNs));
  return std::clamp<std::size_t>(std::max(std::min(wanted, balanced), smallest), 1, remaining);
}

}  // namespace accel::pool
