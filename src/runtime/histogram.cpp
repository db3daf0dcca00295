#include "runtime/histogram.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

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

// Element i of a strided float64 vector; memcpy because a view may be unaligned.
inline double element(const char* base, int64_t stride, int64_t i) {
  double value;
  std::memcpy(&value, base + i * stride, sizeof(double));
  return value;
}

int32_t value_error(const std::string& message) {
  accel_rt_raise(ACCEL_ERROR_VALUE, message.c_str());
  return 1;
}

// np.linspace(first, last, bins + 1) step for step: its denormal branch (a zero step
// divides before multiplying), and the last edge set to `last` exactly.
void linspace_edges(double first, double last, int64_t bins, double* edges) {
  const double divisor = static_cast<double>(bins);
  const double delta = last - first;
  const double step = delta / divisor;
  if (step == 0.0) {
    for (int64_t i = 0; i <= bins; ++i) edges[i] = (static_cast<double>(i) / divisor) * delta + first;
  } else {
    for (int64_t i = 0; i <= bins; ++i) edges[i] = static_cast<double>(i) * step + first;
  }
  edges[bins] = last;
}

// NumPy's bincount path for one value known to lie in [first, last]: a scaled index, then
// one step down or up where rounding put it on the wrong side of an edge.
inline int64_t uniform_bin(double x, double first, double denominator, double bins_as_double,
                           int64_t bins, const double* edges) {
  const double scaled = ((x - first) / denominator) * bins_as_double;
  // Equal to bins only for x == last; NaN (an infinite denominator) also lands last.
  int64_t index = scaled < bins_as_double ? static_cast<int64_t>(scaled) : bins - 1;
  if (index > 0 && x < edges[index]) --index;
  if (index != bins - 1 && x >= edges[index + 1]) ++index;
  return index;
}

template <bool kContiguous>
void count_uniform(const char* data, int64_t n, int64_t stride, double first, double last,
                   int64_t bins, const double* edges, int64_t* counts) {
  const double denominator = last - first;
  const double bins_as_double = static_cast<double>(bins);
  for (int64_t i = 0; i < n; ++i) {
    const double x = kContiguous ? element(data, sizeof(double), i) : element(data, stride, i);
    // Also drops NaN, as NumPy's (a >= first) & (a <= last) mask does.
    if (!(x >= first && x <= last)) continue;
    ++counts[uniform_bin(x, first, denominator, bins_as_double, bins, edges)];
  }
}

// NumPy's sort order for floats: NaN after everything, equal to itself.
constexpr auto numpy_less = [](double a, double b) { return a < b || (b != b && a == a); };

// NumPy's own algorithm (sort, then searchsorted each edge; the last one from the right),
// kept for edges containing NaN, where bins are not intervals and counts may even be negative.
void count_edges_with_nan(const char* data, int64_t n, int64_t stride,
                          const std::vector<double>& edges, int64_t* counts) {
  std::vector<double> sorted(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) sorted[static_cast<size_t>(i)] = element(data, stride, i);
  std::sort(sorted.begin(), sorted.end(), numpy_less);
  const size_t last = edges.size() - 1;
  std::vector<int64_t> below(edges.size());
  for (size_t j = 0; j < last; ++j)
    below[j] = std::lower_bound(sorted.begin(), sorted.end(), edges[j], numpy_less) - sorted.begin();
  below[last] = std::upper_bound(sorted.begin(), sorted.end(), edges[last], numpy_less) - sorted.begin();
  for (size_t j = 0; j < last; ++j) counts[j] = below[j + 1] - below[j];
}

// Locators find the bin of x for sorted edges without NaN, given edges[0] <= x < edges.back():
// the last edge not above x.

// Binary search without branches (they would mispredict on random data); any edges.
struct BisectLocator {
  const double* edges;
  int64_t n_edges;

  int64_t operator()(double x) const {
    const double* base = edges;
    int64_t length = n_edges;
    while (length > 1) {
      const int64_t half = length / 2;
      base = base[half] <= x ? base + half : base;
      length -= half;
    }
    return base - edges;
  }
};

// A guess from a uniform grid over the edges' span, then a walk to the exact bin: a few
// instructions per value instead of log2(bins) dependent loads. Only built when no grid cell
// holds more than kMaxEdgesPerCell edges, so the walk stays short (log-spaced edges bisect).
class GridLocator {
 public:
  static constexpr int64_t kMaxEdgesPerCell = 4;

  static std::optional<GridLocator> build(const std::vector<double>& edges) {
    const int64_t bins = static_cast<int64_t>(edges.size()) - 1;
    const double first = edges.front();
    const double span = edges.back() - first;
    const int64_t cells = std::min<int64_t>(4 * bins, int64_t{1} << 20);
    const double scale = static_cast<double>(cells) / span;
    if (bins < 1 || bins >= int64_t{UINT32_MAX} || !std::isfinite(span) || !(span > 0.0) ||
        !std::isfinite(scale))
      return std::nullopt;
    GridLocator grid;
    grid.edges_ = edges.data();
    grid.first_ = first;
    grid.scale_ = scale;
    grid.last_cell_ = cells - 1;
    grid.first_bin_.resize(static_cast<size_t>(cells));
    int64_t bin = 0;
    for (int64_t cell = 0; cell < cells; ++cell) {
      const double cell_start = first + span * (static_cast<double>(cell) / static_cast<double>(cells));
      const int64_t previous = bin;
      while (bin < bins - 1 && edges[static_cast<size_t>(bin + 1)] <= cell_start) ++bin;
      if (bin - previous > kMaxEdgesPerCell) return std::nullopt;
      grid.first_bin_[static_cast<size_t>(cell)] = static_cast<uint32_t>(bin);
    }
    if (bins - 1 - bin > kMaxEdgesPerCell) return std::nullopt;
    return grid;
  }

  int64_t operator()(double x) const {
    const double scaled = (x - first_) * scale_;
    const int64_t cell = scaled < static_cast<double>(last_cell_) ? static_cast<int64_t>(scaled) : last_cell_;
    int64_t bin = first_bin_[static_cast<size_t>(cell)];
    // One step without a branch covers the usual case; the loops only run after rounding
    // put x in a neighbouring cell or a cell holds several edges.
    bin += edges_[bin + 1] <= x;
    while (edges_[bin + 1] <= x) ++bin;
    while (edges_[bin] > x) --bin;
    return bin;
  }

 private:
  const double* edges_ = nullptr;
  double first_ = 0.0;
  double scale_ = 0.0;
  int64_t last_cell_ = 0;
  std::vector<uint32_t> first_bin_;
};

template <bool kContiguous, typename Locator>
void count_edges(const char* data, int64_t n, int64_t stride, const std::vector<double>& edges,
                 const Locator& locate, int64_t* counts) {
  const int64_t n_edges = static_cast<int64_t>(edges.size());
  const double first = edges.front();
  const double last = edges.back();
  for (int64_t i = 0; i < n; ++i) {
    const double x = kContiguous ? element(data, sizeof(double), i) : element(data, stride, i);
    if (!(x >= first && x <= last)) continue;
    // The closed last bin: searchsorted 'right' on the last edge.
    if (x == last) {
      ++counts[n_edges - 2];
      continue;
    }
    ++counts[locate(x)];
  }
}

template <typename Locator>
void count_edges_any_stride(const char* data, int64_t n, int64_t stride,
                            const std::vector<double>& edges, const Locator& locate,
                            int64_t* counts) {
  if (stride == static_cast<int64_t>(sizeof(double)))
    count_edges<true>(data, n, stride, edges, locate, counts);
  else
    count_edges<false>(data, n, stride, edges, locate, counts);
}

}  // namespace

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, as Python's repr; then Python's layout of them.
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string scientific(buffer, result.ptr);
  const size_t e_at = scientific.find('e');
  const int exponent = std::atoi(scientific.c_str() + e_at + 1);
  // Appends only: GCC 12 warns falsely (-Wrestrict) on chains of string operator+.
  std::string out = std::signbit(value) ? "-" : "";
  std::string digits;
  for (size_t i = out.size(); i < e_at; ++i)
    if (scientific[i] != '.') digits.push_back(scientific[i]);
  if (exponent < -4 || exponent >= 16) {
    out.push_back(digits[0]);
    if (digits.size() > 1) out.append(".").append(digits, 1);
    out.append(exponent < 0 ? "e-" : "e+");
    if (std::abs(exponent) < 10) out.push_back('0');
    out.append(std::to_string(std::abs(exponent)));
  } else if (exponent >= 0) {
    const size_t integer_digits = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= integer_digits) {
      out.append(digits).append(integer_digits - digits.size(), '0').append(".0");
    } else {
      out.append(digits, 0, integer_digits).append(".").append(digits, integer_digits);
    }
  } else {
    out.append("0.").append(static_cast<size_t>(-exponent - 1), '0').append(digits);
  }
  return out;
}

}  // namespace accel::runtime

using accel::runtime::python_float_repr;
using accel::runtime::value_error;

namespace {

int32_t histogram_uniform(const char* data, int64_t n, int64_t stride, int64_t bins, int32_t has_range, double lo,
                          double hi, int64_t* counts, double* edges) {
  // (1) Validate in NumPy's order: bins, then the range.
  if (bins < 1) return value_error("`bins` must be positive, when an integer");
  if (n < 0) return value_error("histogram of a negative number of values");
  double first, last;
  if (has_range) {
    first = lo;
    last = hi;
    if (first > last) return value_error("max must be larger than min in range parameter.");
    if (!std::isfinite(first) || !std::isfinite(last))
      return value_error("supplied range of [" + python_float_repr(first) + ", " +
                         python_float_repr(last) + "] is not finite");
  } else if (n == 0) {
    first = 0.0;
    last = 1.0;
  } else {
    // a.min() and a.max(): NaN anywhere makes both NaN.
    first = last = accel::runtime::element(data, stride, 0);
    bool has_nan = false;
    for (int64_t i = 0; i < n; ++i) {
      const double x = accel::runtime::element(data, stride, i);
      has_nan |= x != x;
      first = std::min(first, x);
      last = std::max(last, x);
    }
    if (has_nan) first = last = NAN;
    if (!std::isfinite(first) || !std::isfinite(last))
      return value_error("autodetected range of [" + python_float_repr(first) + ", " +
                         python_float_repr(last) + "] is not finite");
  }
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  // (2) Edges, refused when rounding made two of them equal.
  accel::runtime::linspace_edges(first, last, bins, edges);
  for (int64_t i = 0; i < bins; ++i)
    if (edges[i] >= edges[i + 1])
      return value_error("Too many bins for data range. Cannot create " + std::to_string(bins) +
                         " finite-sized bins.");
  // (3) One pass over the data.
  std::fill(counts, counts + bins, int64_t{0});
  if (stride == static_cast<int64_t>(sizeof(double)))
    accel::runtime::count_uniform<true>(data, n, stride, first, last, bins, edges, counts);
  else
    accel::runtime::count_uniform<false>(data, n, stride, first, last, bins, edges, counts);
  return 0;
}

int32_t histogram_edges(const char* data, int64_t n, int64_t stride, const char* edges, int64_t n_edges,
                        int64_t edges_stride, int64_t* counts) {
  if (n < 0 || n_edges < 0) return value_error("histogram of a negative number of values");
  // A contiguous copy of the edges: the search reads them many times per value.
  std::vector<double> sorted_edges(static_cast<size_t>(n_edges));
  bool has_nan = false;
  for (int64_t i = 0; i < n_edges; ++i) {
    sorted_edges[static_cast<size_t>(i)] = accel::runtime::element(edges, edges_stride, i);
    has_nan |= std::isnan(sorted_edges[static_cast<size_t>(i)]);
  }
  // NumPy's check compares neighbours with '>', so NaN edges pass it.
  for (int64_t i = 0; i + 1 < n_edges; ++i)
    if (sorted_edges[static_cast<size_t>(i)] > sorted_edges[static_cast<size_t>(i + 1)])
      return value_error("`bins` must increase monotonically, when an array");
  if (n_edges < 2) return 0;
  std::fill(counts, counts + (n_edges - 1), int64_t{0});
  if (has_nan) {
    accel::runtime::count_edges_with_nan(data, n, stride, sorted_edges, counts);
  } else if (const auto grid = accel::runtime::GridLocator::build(sorted_edges)) {
    accel::runtime::count_edges_any_stride(data, n, stride, sorted_edges, *grid, counts);
  } else {
    const accel::runtime::BisectLocator bisect{sorted_edges.data(), n_edges};
    accel::runtime::count_edges_any_stride(data, n, stride, sorted_edges, bisect, counts);
  }
  return 0;
}

}  // namespace

extern "C" int32_t accel_rt_histogram_uniform(const char* data, int64_t n, int64_t stride,
                                              int64_t bins, int32_t has_range, double lo,
                                              double hi, int64_t* counts, double* edges) {
  return accel::runtime::without_exceptions(
      [&] { return histogram_uniform(data, n, stride, bins, has_range, lo, hi, counts, edges); });
}

extern "C" int32_t accel_rt_histogram_edges(const char* data, int64_t n, int64_t stride,
                                            const char* edges, int64_t n_edges,
                                            int64_t edges_stride, int64_t* counts) {
  return accel::runtime::without_exceptions(
      [&] { return histogram_edges(data, n, stride, edges, n_edges, edges_stride, counts); });
}
