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

extern "C" void accel_rt_sort(void* data, int64_t n, int32_t kind) {
  // Kinds as in types::Kind: Bool=3, Int8..Int64=4..7, UInt8..UInt64=8..11, Float32=12, Float64=13.
  switch (kind) {
    case 3: sort_line<uint8_t>(data, n); break;
    case 4: sort_line<int8_t>(data, n); break;
    case 5: sort_line<int16_t>(data, n); break;
    case 6: sort_line<int32_t>(data, n); break;
    case 7: sort_line<int64_t>(data, n); break;
    case 8: sort_line<uint8_t>(data, n); break;
    case 9: sort_line<uint16_t>(data, n); break;
    case 10: sort_line<uint32_t>(data, n); break;
    case 11: sort_line<uint64_t>(data, n); break;
    case 12: sort_line<float>(data, n); break;
    default: sort_line<double>(data, n); break;
  }
}
