#pragma once
// NumPy's legacy global generator (np.random.seed/rand/randn/randint/uniform/normal/random,
// i.e. RandomState over MT19937), reproduced bit for bit so compiled code draws the same
// numbers as the uncompiled function for the same seed.

#include <cstddef>
#include <cstdint>
#include <span>

#include "runtime/abi.h"

namespace accel::runtime {

/// MT19937 state plus the spare normal deviate the legacy polar method keeps between calls.
class LegacyRandom {
 public:
  static constexpr int kStateWords = 624;

  /// Seeded from the operating system's entropy, as an unseeded RandomState is.
  LegacyRandom();

  /// `np.random.seed(seed)` for an int: Knuth's linear initialisation of the state
  /// (MT's init_genrand); forgets the cached normal deviate.
  void seed(uint32_t seed);
  /// `np.random.seed(array)`: MT's init_by_array over the words; forgets the cached deviate.
  void seed_by_array(std::span<const uint32_t> key);
  /// A fresh seed from the operating system (`np.random.seed()` / `seed(None)`).
  void seed_from_entropy();

  /// One tempered 32-bit output of the twister.
  uint32_t next_uint32();
  /// Two 32-bit outputs, the first one in the high half (NumPy's next_uint64 for MT19937).
  uint64_t next_uint64();
  /// `random_sample()`: 53 random bits from two draws (27 + 26 bits), in [0, 1).
  double random_sample();
  /// `standard_normal()` / `randn()`: polar Box-Muller; every other call returns the cached
  /// second deviate without drawing.
  double gauss();
  /// `uniform(low, high)`: low + (high - low) * random_sample(). The caller checks that
  /// high - low is finite (NumPy raises OverflowError otherwise).
  double uniform(double low, double high);
  /// `normal(loc, scale)`: loc + scale * gauss(). The caller checks scale (NumPy: "scale < 0").
  double normal(double loc, double scale);
  /// `randint(low, high)` for dtype int64, high exclusive; requires low < high. Masked
  /// rejection on 32-bit draws when the range fits in 32 bits, on 64-bit draws otherwise;
  /// a range of one value draws nothing.
  int64_t randint(int64_t low, int64_t high);

  /// Bulk `rand(n)` / `randn(n)`: the same numbers as n single calls, faster.
  void fill_sample(double* out, int64_t n);
  void fill_gauss(double* out, int64_t n);

 private:
  void regenerate();
  uint32_t bounded_masked_uint32(uint32_t max_offset);
  uint64_t bounded_masked_uint64(uint64_t max_offset);

  uint32_t state_[kStateWords];
  int position_ = kStateWords;
  bool has_cached_gauss_ = false;
  double cached_gauss_ = 0.0;
};

/// The calling thread's generator (see accel_rt_random_* below).
LegacyRandom& thread_random();


}  // namespace accel::runtime

// Compiled code reaches the generators through accel_rt_random_* (runtime/abi_functions.h).
