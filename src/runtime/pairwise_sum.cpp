// NumPy's pairwise summation for float add-reductions, step for step, so that x.sum()
// in compiled code gives NumPy's bits: blocks of up to 128 elements summed with eight
// accumulators, larger ranges split in halves (rounded to multiples of eight).

#include "runtime/abi.h"

namespace {

template <typename T>
T load(const char* base, int64_t i, int64_t stride) {
  return *reinterpret_cast<const T*>(base + i * stride);
}

template <typename T>
T pairwise_sum(const char* a, int64_t n, int64_t stride) {
  if (n < 8) {
    T sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += load<T>(a, i, stride);
    return sum;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = load<T>(a, j, stride);
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += load<T>(a, i + j, stride);
    T sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += load<T>(a, i, stride);
    return sum;
  }
  int64_t half = n / 2;
  half -= half % 8;
  return pairwise_sum<T>(a, half, stride) + pairwise_sum<T>(a + half * stride, n - half, stride);
}

// NumPy's pairwise sum of complex numbers: the parts are summed side by side, the
// block of 8 accumulators holding 4 numbers (NumPy counts n in parts, 2 per number).
template <typename T>
void complex_pairwise_sum(const char* a, int64_t n, int64_t stride, T& re, T& im) {
  auto part = [&](int64_t i, int p) { return *reinterpret_cast<const T*>(a + i * stride + p * sizeof(T)); };
  if (n < 4) {
    re = 0;
    im = 0;
    for (int64_t i = 0; i < n; ++i) {
      re += part(i, 0);
      im += part(i, 1);
    }
    return;
  }
  if (n <= 64) {
    T r[8];
    for (int j = 0; j < 4; ++j) {
      r[2 * j] = part(j, 0);
      r[2 * j + 1] = part(j, 1);
    }
    int64_t i = 4;
    for (; i < n - (n % 4); i += 4)
      for (int j = 0; j < 4; ++j) {
        r[2 * j] += part(i + j, 0);
        r[2 * j + 1] += part(i + j, 1);
      }
    re = (r[0] + r[2]) + (r[4] + r[6]);
    im = (r[1] + r[3]) + (r[5] + r[7]);
    for (; i < n; ++i) {
      re += part(i, 0);
      im += part(i, 1);
    }
    return;
  }
  int64_t half = n / 2;
  half -= half % 4;
  T re1, im1, re2, im2;
  complex_pairwise_sum<T>(a, half, stride, re1, im1);
  complex_pairwise_sum<T>(a + half * stride, n - half, stride, re2, im2);
  re = re1 + re2;
  im = im1 + im2;
}

}  // namespace

extern "C" void accel_rt_pairwise_sum_complex(int32_t single, const char* data, int64_t n, int64_t stride, double* out) {
  if (single) {
    float re, im;
    complex_pairwise_sum<float>(data, n, stride, re, im);
    out[0] = 0.0f + re;
    out[1] = 0.0f + im;
    return;
  }
  double re, im;
  complex_pairwise_sum<double>(data, n, stride, re, im);
  out[0] = 0.0 + re;
  out[1] = 0.0 + im;
}

extern "C" double accel_rt_pairwise_sum_f64(const char* data, int64_t n, int64_t stride) {
  return 0.0 + pairwise_sum<double>(data, n, stride);
}

extern "C" float accel_rt_pairwise_sum_f32(const char* data, int64_t n, int64_t stride) {
  return 0.0f + pairwise_sum<float>(data, n, stride);
}
