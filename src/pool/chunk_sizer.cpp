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
  const double wanted = std::floor(kTargetChunkNs / item_ns_);
  // Four chunks per worker for what is left keeps the end of the job balanced.
  const std::size_t balanced = std::max<std::size_t>(1, remaining / (4 * workers));
  const std::size_t size = wanted < 1 ? 1 : static_cast<std::size_t>(std::min(wanted, 1e9));
  return std::clamp<std::size_t>(size, 1, balanced);
}

}  // namespace accel::pool
