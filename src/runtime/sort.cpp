// np.sort's order for one contiguous line: ascending, NaN last (NumPy's rule for floats).

#include <algorithm>
#include <cmath>

#include "runtime/abi.h"

namespace {

template <typename T>
void sort_line(void* data, int64_t n) {
  T* begin = static_cast<T*>(data);
  T* end = begin + n;
  if constexpr (std::is_floating_point_v<T>) {
    T* numbers_end = std::partition(begin, end, [](T v) { return !std::isnan(v); });
    std::sort(begin, numbers_end);
  } else {
    std::sort(begin, end);
  }
}

}  // namespace

extern "C" void accel_rt_sort(void* data, int64_t n, int32_t element) {
  switch (element) {
    case ACCEL_SORT_UINT8: sort_line<uint8_t>(data, n); break;
    case ACCEL_SORT_UINT16: sort_line<uint16_t>(data, n); break;
    case ACCEL_SORT_UINT32: sort_line<uint32_t>(data, n); break;
    case ACCEL_SORT_UINT64: sort_line<uint64_t>(data, n); break;
    case ACCEL_SORT_INT8: sort_line<int8_t>(data, n); break;
    case ACCEL_SORT_INT16: sort_line<int16_t>(data, n); break;
    case ACCEL_SORT_INT32: sort_line<int32_t>(data, n); break;
    case ACCEL_SORT_INT64: sort_line<int64_t>(data, n); break;
    case ACCEL_SORT_FLOAT32: sort_line<float>(data, n); break;
    default: sort_line<double>(data, n); break;
  }
}
