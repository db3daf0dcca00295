#include "runtime/legacy_random.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

// NumPy rounds every product before adding (its C is built without FMA, its ufuncs are
// separate passes); with -march flags allowing FMA, a contracted a * b + c would change
// draws and edges in the last bit.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace accel::runtime {
namespace {

// MT19937's parameters (Matsumoto & Nishimura 1998).
constexpr int kShift = 397;
constexpr uint32_t kTwistMatrix = 0x9908b0dfU;
constexpr uint32_t kUpperBit = 0x80000000U;
constexpr uint32_t kLowerBits = 0x7fffffffU;

inline uint32_t twist(uint32_t upper_from, uint32_t lower_from, uint32_t shifted) {
  const uint32_t y = (upper_from & kUpperBit) | (lower_from & kLowerBits);
  return shifted ^ (y >> 1) ^ ((y & 1U) ? kTwistMatrix : 0U);
}

inline uint32_t temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

// NumPy's legacy double: 27 high bits of one draw, 26 of the next, scaled by 2**-53.
inline double sample_from(uint32_t first, uint32_t second) {
  const double high = static_cast<double>(first >> 5);
  const double low = static_cast<double>(second >> 6);
  return (high * 67108864.0 + low) / 9007199254740992.0;
}

// The smallest all-ones mask covering max_offset: rejection then keeps > 1/2 of draws.
inline uint64_t covering_mask(uint64_t max_offset) {
  uint64_t mask = max_offset;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

}  // namespace

LegacyRandom::LegacyRandom() { seed_from_entropy(); }

void LegacyRandom::seed(uint32_t seed) {
  // Knuth TAOCP vol. 2, 3rd ed., p. 106: the multiplier of MT's reference initialisation.
  state_[0] = seed;
  for (int i = 1; i < kStateWords; ++i) {
    const uint32_t previous = state_[i - 1];
    state_[i] = 1812433253U * (previous ^ (previous >> 30)) + static_cast<uint32_t>(i);
  }
  position_ = kStateWords;
  has_cached_gauss_ = false;
  cached_gauss_ = 0.0;
}

void LegacyRandom::seed_by_array(std::span<const uint32_t> key) {
  // MT's 2002 init_by_array: mix the key into a fixed initial state, then diffuse.
  seed(19650218U);
  const int key_length = static_cast<int>(key.size());
  int i = 1;
  int j = 0;
  for (int k = std::max(kStateWords, key_length); k > 0; --k) {
    const uint32_t previous = state_[i - 1];
    state_[i] = (state_[i] ^ ((previous ^ (previous >> 30)) * 1664525U)) +
                (key_length ? key[static_cast<size_t>(j)] : 0U) + static_cast<uint32_t>(j);
    if (++i >= kStateWords) {
      state_[0] = state_[kStateWords - 1];
      i = 1;
    }
    if (++j >= key_length) j = 0;
  }
  for (int k = kStateWords - 1; k > 0; --k) {
    const uint32_t previous = state_[i - 1];
    state_[i] = (state_[i] ^ ((previous ^ (previous >> 30)) * 1566083941U)) -
                static_cast<uint32_t>(i);
    if (++i >= kStateWords) {
      state_[0] = state_[kStateWords - 1];
      i = 1;
    }
  }
  // Guarantees a non-zero state whatever the key.
  state_[0] = kUpperBit;
  position_ = kStateWords;
  has_cached_gauss_ = false;
  cached_gauss_ = 0.0;
}

void LegacyRandom::seed_from_entropy() {
  uint32_t key[8];
  try {
    std::random_device device;
    for (uint32_t& word : key) word = device();
  } catch (...) {
    // No entropy source: the clock and the thread still make streams differ.
    const uint64_t now =
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    const uint64_t thread = std::hash<std::thread::id>{}(std::this_thread::get_id());
    for (int i = 0; i < 8; ++i) {
      const uint64_t mixed = (now ^ (thread * 0x9e3779b97f4a7c15ULL)) >> (8 * (i % 4));
      key[i] = static_cast<uint32_t>(mixed) + static_cast<uint32_t>(i);
    }
  }
  seed_by_array(key);
}

void LegacyRandom::regenerate() {
  // Three loops instead of one with modulo arithmetic: the hot part has no wrap-around.
  int i = 0;
  for (; i < kStateWords - kShift; ++i)
    state_[i] = twist(state_[i], state_[i + 1], state_[i + kShift]);
  for (; i < kStateWords - 1; ++i)
    state_[i] = twist(state_[i], state_[i + 1], state_[i + kShift - kStateWords]);
  state_[kStateWords - 1] = twist(state_[kStateWords - 1], state_[0], state_[kShift - 1]);
  position_ = 0;
}

uint32_t LegacyRandom::next_uint32() {
  if (position_ == kStateWords) regenerate();
  return temper(state_[position_++]);
}

uint64_t LegacyRandom::next_uint64() {
  const uint64_t high = next_uint32();
  const uint64_t low = next_uint32();
  return (high << 32) | low;
}

double LegacyRandom::random_sample() {
  const uint32_t first = next_uint32();
  const uint32_t second = next_uint32();
  return sample_from(first, second);
}

double LegacyRandom::gauss() {
  if (has_cached_gauss_) {
    has_cached_gauss_ = false;
    const double cached = cached_gauss_;
    cached_gauss_ = 0.0;
    return cached;
  }
  double x1, x2, radius_squared;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    radius_squared = x1 * x1 + x2 * x2;
  } while (radius_squared >= 1.0 || radius_squared == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(radius_squared) / radius_squared);
  cached_gauss_ = factor * x1;
  has_cached_gauss_ = true;
  return factor * x2;
}

double LegacyRandom::uniform(double low, double high) {
  const double range = high - low;
  return low + range * random_sample();
}

double LegacyRandom::normal(double loc, double scale) { return loc + scale * gauss(); }

uint32_t LegacyRandom::bounded_masked_uint32(uint32_t max_offset) {
  const uint32_t mask = static_cast<uint32_t>(covering_mask(max_offset));
  uint32_t value;
  do {
    value = next_uint32() & mask;
  } while (value > max_offset);
  return value;
}

uint64_t LegacyRandom::bounded_masked_uint64(uint64_t max_offset) {
  const uint64_t mask = covering_mask(max_offset);
  uint64_t value;
  do {
    value = next_uint64() & mask;
  } while (value > max_offset);
  return value;
}

int64_t LegacyRandom::randint(int64_t low, int64_t high) {
  // Unsigned arithmetic: the span of [low, high) may exceed INT64_MAX.
  const uint64_t offset = static_cast<uint64_t>(low);
  const uint64_t max_offset = static_cast<uint64_t>(high) - offset - 1U;
  uint64_t value;
  if (max_offset == 0)
    value = 0;
  else if (max_offset <= 0xffffffffULL)
    value = bounded_masked_uint32(static_cast<uint32_t>(max_offset));
  else
    value = bounded_masked_uint64(max_offset);
  return static_cast<int64_t>(offset + value);
}

void LegacyRandom::fill_sample(double* out, int64_t n) {
  int64_t done = 0;
  while (done < n) {
    if (position_ == kStateWords) regenerate();
    if (position_ == kStateWords - 1) {
      // This pair straddles a regeneration.
      out[done++] = random_sample();
      continue;
    }
    // Whole pairs left in the current block, read without the per-draw position check.
    const int64_t pairs = std::min<int64_t>((kStateWords - position_) / 2, n - done);
    const uint32_t* words = state_ + position_;
    for (int64_t k = 0; k < pairs; ++k)
      out[done + k] = sample_from(temper(words[2 * k]), temper(words[2 * k + 1]));
    done += pairs;
    position_ += static_cast<int>(2 * pairs);
  }
}

void LegacyRandom::fill_gauss(double* out, int64_t n) {
  for (int64_t k = 0; k < n; ++k) out[k] = gauss();
}

namespace {
thread_local LegacyRandom thread_generator;
}  // namespace

LegacyRandom& thread_random() { return thread_generator; }

}  // namespace accel::runtime

using accel::runtime::thread_random;

extern "C" int32_t accel_rt_random_seed(int64_t seed) {
  if (seed < 0 || seed > 0xffffffffLL) {
    accel_rt_raise(ACCEL_ERROR_VALUE, "Seed must be between 0 and 2**32 - 1");
    return 1;
  }
  thread_random().seed(static_cast<uint32_t>(seed));
  return 0;
}

extern "C" void accel_rt_random_seed_entropy(void) { thread_random().seed_from_entropy(); }

extern "C" double accel_rt_random_sample(void) { return thread_random().random_sample(); }

extern "C" double accel_rt_random_gauss(void) { return thread_random().gauss(); }

extern "C" int32_t accel_rt_random_randint(int64_t low, int64_t high, int64_t* out) {
  if (low >= high) {
    accel_rt_raise(ACCEL_ERROR_VALUE, "low >= high");
    return 1;
  }
  *out = thread_random().randint(low, high);
  return 0;
}

extern "C" int32_t accel_rt_random_uniform(double low, double high, double* out) {
  if (!std::isfinite(high - low)) {
    accel_rt_raise(ACCEL_ERROR_OVERFLOW, "Range exceeds valid bounds");
    return 1;
  }
  *out = thread_random().uniform(low, high);
  return 0;
}

extern "C" int32_t accel_rt_random_normal(double loc, double scale, double* out) {
  if (std::signbit(scale) && !std::isnan(scale)) {
    accel_rt_raise(ACCEL_ERROR_VALUE, "scale < 0");
    return 1;
  }
  *out = thread_random().normal(loc, scale);
  return 0;
}

extern "C" void accel_rt_random_fill_sample(double* out, int64_t n) {
  if (n > 0) thread_random().fill_sample(out, n);
}

extern "C" void accel_rt_random_fill_gauss(double* out, int64_t n) {
  if (n > 0) thread_random().fill_gauss(out, n);
}
