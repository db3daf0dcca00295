#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <sched.h>

#include "runtime/abi.h"
#include "runtime/text.h"

namespace accel::runtime {
namespace {

// Chunks per thread: enough that uneven iterations (Mandelbrot rows) balance out,
// few enough that the per-chunk cost stays invisible.
constexpr int64_t kChunksPerThread = 8;

int cores_available() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

int initial_threads() {
  if (const char* text = std::getenv("ACCEL_NUM_THREADS")) {
    const int n = std::atoi(text);
    if (n > 0) return n;
  }
  return cores_available();
}

std::atomic<int> thread_count{initial_threads()};

}  // namespace

int num_threads() { return thread_count.load(std::memory_order_relaxed); }
void set_num_threads(int n) { thread_count.store(std::max(1, n), std::memory_order_relaxed); }
int max_threads() { return cores_available(); }

}  // namespace accel::runtime

using accel::runtime::PendingError;

extern "C" int64_t accel_rt_parallel_chunks(int64_t trip_count) {
  const int64_t threads = accel::runtime::num_threads();
  if (trip_count <= 0) return 1;
  return std::max<int64_t>(1, std::min<int64_t>(trip_count, threads * accel::runtime::kChunksPerThread));
}

extern "C" int32_t accel_rt_parallel_for(int64_t trip_count, int64_t chunks, AccelChunkFunction body,
                                         void* context) {
  // An empty loop still runs its one chunk: that chunk writes the reductions' identities.
  // The error that a serial loop would have raised is the one from the lowest failing
  // chunk: chunks are contiguous and each stops at its first error.
  std::mutex error_mutex;
  int64_t failed_chunk = chunks;
  PendingError first_error;
  std::atomic<int64_t> next{0};
  const int threads = static_cast<int>(std::min<int64_t>(accel::runtime::num_threads(), chunks));
#pragma omp parallel num_threads(threads)
  {
    for (;;) {
      const int64_t chunk = next.fetch_add(1, std::memory_order_relaxed);
      if (chunk >= chunks) break;
      {
        // Work after an earlier chunk failed would be thrown away; skip it.
        std::lock_guard lock(error_mutex);
        if (chunk > failed_chunk) continue;
      }
      // In 128 bits: trip_count * chunk overflows int64 for a range of 2**60 and more.
      const auto begin = static_cast<int64_t>(static_cast<__int128>(trip_count) * chunk / chunks);
      const auto end = static_cast<int64_t>(static_cast<__int128>(trip_count) * (chunk + 1) / chunks);
      const bool nested = accel::runtime::in_parallel_loop();
      accel::runtime::set_in_parallel_loop(true);
      const int32_t status = body(begin, end, chunk, context);
      accel::runtime::set_in_parallel_loop(nested);
      if (status != 0) {
        PendingError error = accel::runtime::take_error();
        std::lock_guard lock(error_mutex);
        if (chunk < failed_chunk) {
          failed_chunk = chunk;
          first_error = std::move(error);
        }
      }
    }
  }
  if (failed_chunk == chunks) return 0;
  accel::runtime::restore_error(std::move(first_error));
  return 1;
}
