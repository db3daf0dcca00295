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

/// The entry points below by name and address, for the JIT to bind.
const RuntimeSymbol* legacy_random_symbols(size_t& count);

}  // namespace accel::runtime

// Compiled code calls these. Each thread has its own generator, created on first use and
// seeded from entropy until the thread calls accel_rt_random_seed; so the stream that matches
// NumPy's np.random for the same seed is the one of the thread that seeded it and drew from
// it (the main thread for ordinary code). Seeding inside a prange body seeds only the
// worker thread running that chunk. Functions returning int32_t return 0, or 1 with a Python
// exception recorded by accel_rt_raise.
extern "C" {

/// `np.random.seed(seed)`: ValueError "Seed must be between 0 and 2**32 - 1" outside that.
int32_t accel_rt_random_seed(int64_t seed);
/// `np.random.seed()`: reseeds from the operating system's entropy.
void accel_rt_random_seed_entropy(void);
/// `np.random.random()` / `rand()` / `random_sample()`: one double in [0, 1).
double accel_rt_random_sample(void);
/// `np.random.randn()` / `standard_normal()`: one standard normal deviate.
double accel_rt_random_gauss(void);
/// `np.random.randint(low, high)` for int64 into *out; ValueError "low >= high".
int32_t accel_rt_random_randint(int64_t low, int64_t high, int64_t* out);
/// `np.random.uniform(low, high)` into *out; OverflowError "Range exceeds valid bounds" when
/// high - low is not finite.
int32_t accel_rt_random_uniform(double low, double high, double* out);
/// `np.random.normal(loc, scale)` into *out; ValueError "scale < 0" when scale has its sign
/// bit set (-0.0 too, as NumPy); a NaN scale passes, as in NumPy.
int32_t accel_rt_random_normal(double loc, double scale, double* out);
/// `np.random.rand(n)` / `randn(n)` into out[0..n); nothing when n <= 0.
void accel_rt_random_fill_sample(double* out, int64_t n);
void accel_rt_random_fill_gauss(double* out, int64_t n);
}
