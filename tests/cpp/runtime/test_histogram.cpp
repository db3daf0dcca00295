// np.histogram for float64 data, against NumPy 2.4.6. Each expected value was printed by the
// NumPy call in the comment above it (doubles as repr(), compared exactly).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/abi.h"
#include "runtime/histogram.h"
#include "runtime/legacy_random.h"

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Histogram {
  std::vector<int64_t> counts;
  std::vector<double> edges;
};

// The result, or the pending error's message when the call failed.
struct Outcome {
  std::optional<Histogram> histogram;
  std::string error;
};

Outcome uniform(const std::vector<double>& data, int64_t bins,
                std::optional<std::pair<double, double>> range = std::nullopt) {
  Histogram h{std::vector<int64_t>(static_cast<size_t>(std::max<int64_t>(bins, 0))),
              std::vector<double>(static_cast<size_t>(std::max<int64_t>(bins + 1, 0)))};
  const int32_t status = accel_rt_histogram_uniform(
      reinterpret_cast<const char*>(data.data()), static_cast<int64_t>(data.size()),
      sizeof(double), bins, range.has_value(), range ? range->first : 0.0,
      range ? range->second : 0.0, h.counts.data(), h.edges.data());
  if (status == 0) return {h, ""};
  const accel::runtime::PendingError error = accel::runtime::take_error();
  EXPECT_EQ(status, 1);
  EXPECT_EQ(error.kind, ACCEL_ERROR_VALUE);
  return {std::nullopt, error.message};
}

Outcome with_edges(const std::vector<double>& data, const std::vector<double>& edges) {
  Histogram h{std::vector<int64_t>(edges.size() > 1 ? edges.size() - 1 : 0), edges};
  const int32_t status = accel_rt_histogram_edges(
      reinterpret_cast<const char*>(data.data()), static_cast<int64_t>(data.size()),
      sizeof(double), reinterpret_cast<const char*>(edges.data()),
      static_cast<int64_t>(edges.size()), sizeof(double), h.counts.data());
  if (status == 0) return {h, ""};
  const accel::runtime::PendingError error = accel::runtime::take_error();
  EXPECT_EQ(status, 1);
  EXPECT_EQ(error.kind, ACCEL_ERROR_VALUE);
  return {std::nullopt, error.message};
}

using Counts = std::vector<int64_t>;
using Edges = std::vector<double>;

// NumPy: sum((i + 1) * c * (c + 7) for i, c in enumerate(counts)) % 2**64, an exact
// fingerprint of 1000-bin histograms.
uint64_t fingerprint(const std::vector<int64_t>& counts) {
  uint64_t sum = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const uint64_t c = static_cast<uint64_t>(counts[i]);
    sum += (i + 1) * c * (c + 7);
  }
  return sum;
}

}  // namespace

TEST(Histogram, ValuesOnEdgesLandInNumpysBin) {
  // np.histogram(np.linspace(0, 1, 11), bins=10, range=(0.0, 1.0))
  const std::vector<double> data{0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001,
          0.8, 0.9, 1.0};
  const Outcome out = uniform(data, 10, std::pair{0.0, 1.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 1, 1, 1, 1, 1, 1, 1, 1, 2}));
  EXPECT_EQ(out.histogram->edges, (Edges{0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5,
                                         0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1.0}));
}

TEST(Histogram, RoundingCorrectionsMatchNumpy) {
  // np.histogram([0.7999999999999999], bins=6, range=(0.1, 2.2)): the scaled index says bin
  // 2, the value is below edge 2 (0.8), NumPy steps down to bin 1.
  Outcome out = uniform({0.7999999999999999}, 6, std::pair{0.1, 2.2});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(out.histogram->edges, (Edges{0.1, 0.45000000000000007, 0.8, 1.1500000000000001,
                                         1.5000000000000002, 1.8500000000000003, 2.2}));
  // np.histogram([0.5454545454545454], bins=55, range=(0.3, 1.2)): scaled index 14, but the
  // value equals edge 15, so NumPy steps up.
  out = uniform({0.5454545454545454}, 55, std::pair{0.3, 1.2});
  ASSERT_TRUE(out.histogram) << out.error;
  Counts expected(55, 0);
  expected[15] = 1;
  EXPECT_EQ(out.histogram->counts, expected);
  EXPECT_EQ(out.histogram->edges[15], 0.5454545454545454);
  EXPECT_EQ(out.histogram->edges[54], 1.1836363636363636);
  EXPECT_EQ(out.histogram->edges[55], 1.2);
}

TEST(Histogram, ValuesOutsideTheRangeAreIgnoredAndTheLastBinIsClosed) {
  // np.histogram([-1.0, 0.0, 0.5, 2.0, 2.0000000000000004, 3.5, -0.1], bins=4, range=(0.0, 2.0))
  const Outcome out = uniform({-1.0, 0.0, 0.5, 2.0, 2.0000000000000004, 3.5, -0.1}, 4, std::pair{0.0, 2.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 1, 0, 1}));
  EXPECT_EQ(out.histogram->edges, (Edges{0.0, 0.5, 1.0, 1.5, 2.0}));
}

TEST(Histogram, RangeFromTheData) {
  // np.histogram([3.0, 1.0, 2.5, 1.5, 2.0], bins=4)
  Outcome out = uniform({3.0, 1.0, 2.5, 1.5, 2.0}, 4);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 1, 1, 2}));
  EXPECT_EQ(out.histogram->edges, (Edges{1.0, 1.5, 2.0, 2.5, 3.0}));
  // np.histogram([2.0, 2.0], bins=3): one value, widened by 0.5 each way
  out = uniform({2.0, 2.0}, 3);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 2, 0}));
  EXPECT_EQ(out.histogram->edges, (Edges{1.5, 1.8333333333333333, 2.1666666666666665, 2.5}));
  // np.histogram([-0.0, 0.0], bins=2)
  out = uniform({-0.0, 0.0}, 2);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 2}));
  EXPECT_EQ(out.histogram->edges, (Edges{-0.5, 0.0, 0.5}));
}

TEST(Histogram, AnEmptySuppliedRangeIsWidenedToo) {
  // np.histogram([1.0, 0.5, 1.5, 1.6], bins=2, range=(1.0, 1.0))
  const Outcome out = uniform({1.0, 0.5, 1.5, 1.6}, 2, std::pair{1.0, 1.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 2}));
  EXPECT_EQ(out.histogram->edges, (Edges{0.5, 1.0, 1.5}));
}

TEST(Histogram, EmptyData) {
  // np.histogram(np.array([]), bins=4): range 0..1
  Outcome out = uniform({}, 4);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 0, 0, 0}));
  EXPECT_EQ(out.histogram->edges, (Edges{0.0, 0.25, 0.5, 0.75, 1.0}));
  // np.histogram(np.array([]), bins=2, range=(-1.0, 1.0))
  out = uniform({}, 2, std::pair{-1.0, 1.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 0}));
  EXPECT_EQ(out.histogram->edges, (Edges{-1.0, 0.0, 1.0}));
}

TEST(Histogram, NanAndInfinityInsideDataWithARange) {
  // np.histogram([0.5, nan, 1.5, nan], bins=2, range=(0.0, 2.0))
  Outcome out = uniform({0.5, kNan, 1.5, kNan}, 2, std::pair{0.0, 2.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 1}));
  // np.histogram([0.5, inf, -inf], bins=2, range=(0.0, 1.0))
  out = uniform({0.5, kInf, -kInf}, 2, std::pair{0.0, 1.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 1}));
  EXPECT_EQ(out.histogram->edges, (Edges{0.0, 0.5, 1.0}));
}

TEST(Histogram, TinyRangeStillHasDistinctEdges) {
  // np.histogram([1.0], bins=5, range=(1.0, 1.0 + 1e-15))
  const Outcome out = uniform({1.0}, 5, std::pair{1.0, 1.0 + 1e-15});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 0, 0, 0, 0}));
  EXPECT_EQ(out.histogram->edges, (Edges{1.0, 1.0000000000000002, 1.0000000000000004,
                                         1.0000000000000007, 1.0000000000000009, 1.000000000000001}));
}

TEST(Histogram, UniformErrorsCarryNumpysMessages) {
  // np.histogram([1.0], bins=0)
  EXPECT_EQ(uniform({1.0}, 0).error, "`bins` must be positive, when an integer");
  EXPECT_EQ(uniform({1.0}, -3).error, "`bins` must be positive, when an integer");
  // np.histogram([1.0], bins=2, range=(2.0, 1.0))
  EXPECT_EQ(uniform({1.0}, 2, std::pair{2.0, 1.0}).error,
            "max must be larger than min in range parameter.");
  // np.histogram([1.0], bins=2, range=(0.0, inf)) and range=(nan, 1.0)
  EXPECT_EQ(uniform({1.0}, 2, std::pair{0.0, kInf}).error, "supplied range of [0.0, inf] is not finite");
  EXPECT_EQ(uniform({1.0}, 2, std::pair{kNan, 1.0}).error, "supplied range of [nan, 1.0] is not finite");
  // np.histogram([0.5, nan], bins=2), [0.5, inf], [-inf, 0.5, 3.0]
  EXPECT_EQ(uniform({0.5, kNan}, 2).error, "autodetected range of [nan, nan] is not finite");
  EXPECT_EQ(uniform({0.5, kInf}, 2).error, "autodetected range of [0.5, inf] is not finite");
  EXPECT_EQ(uniform({-kInf, 0.5, 3.0}, 2).error, "autodetected range of [-inf, 3.0] is not finite");
  // np.histogram([1e16], bins=10): 1e16 +- 0.5 rounds back to 1e16
  EXPECT_EQ(uniform({1e16}, 10).error,
            "Too many bins for data range. Cannot create 10 finite-sized bins.");
}

TEST(Histogram, ExplicitEdges) {
  // np.histogram([0.0, 1.0, 1.5, 2.0, 2.5, 10.0, -1.0, 11.0, 10.0], bins=[0.0, 1.0, 2.0, 10.0])
  Outcome out = with_edges({0.0, 1.0, 1.5, 2.0, 2.5, 10.0, -1.0, 11.0, 10.0}, {0.0, 1.0, 2.0, 10.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 2, 4}));
  // np.histogram([1.0, 1.0, 2.0, 0.5], bins=[0.0, 1.0, 1.0, 2.0]): an empty bin between equal edges
  out = with_edges({1.0, 1.0, 2.0, 0.5}, {0.0, 1.0, 1.0, 2.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 0, 3}));
  // np.histogram([1.0, 2.0, 2.0], bins=[0.0, 2.0, 2.0])
  out = with_edges({1.0, 2.0, 2.0}, {0.0, 2.0, 2.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 2}));
  // np.histogram([nan, 0.5, nan, 1.5], bins=[0.0, 1.0, 2.0])
  out = with_edges({kNan, 0.5, kNan, 1.5}, {0.0, 1.0, 2.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 1}));
  // np.histogram([-1e300, 0.0, 1e300, inf, -inf], bins=[-inf, 0.0, inf])
  out = with_edges({-1e300, 0.0, 1e300, kInf, -kInf}, {-kInf, 0.0, kInf});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{2, 3}));
}

TEST(Histogram, ValueJustBelowAnEdgeThatStartsAGridCell) {
  // Edge 8 is where one of the search grid's cells starts; the value one ulp below it
  // rounds into that cell, so the locator must walk back a bin.
  // np.histogram([0.8980722278155923, 0.8980722278155924], bins=edges)
  const std::vector<double> edges{0.3250178694183971, 0.46678502881861,   0.5370058719462001,
                                  0.605588304327175,  0.6115450486169947, 0.6752177551055719,
                                  0.6863226886564651, 0.834399521327015,  0.8980722278155924,
                                  0.9617449343041695, 0.9751034290148131, 1.089090347281324};
  const Outcome out = with_edges({0.8980722278155923, 0.8980722278155924}, edges);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0}));
}

TEST(Histogram, NanEdgesCountAsNumpysSearchsorted) {
  // np.histogram([1.0, nan], bins=[0.0, nan, 2.0])
  Outcome out = with_edges({1.0, kNan}, {0.0, kNan, 2.0});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{1, 0}));
  // np.histogram([1.0, nan, 5.0], bins=[0.0, nan]): a NaN last edge takes everything
  out = with_edges({1.0, kNan, 5.0}, {0.0, kNan});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(out.histogram->counts, (Counts{3}));
}

TEST(Histogram, FewerThanTwoEdgesGiveNoCounts) {
  // np.histogram([1.0], bins=[1.0]) and bins=np.array([]): empty counts, no error
  EXPECT_TRUE(with_edges({1.0}, {1.0}).histogram);
  EXPECT_TRUE(with_edges({1.0}, {}).histogram);
}

TEST(Histogram, EdgesMustIncrease) {
  // np.histogram([1.0], bins=[0.0, 2.0, 1.0])
  EXPECT_EQ(with_edges({1.0}, {0.0, 2.0, 1.0}).error,
            "`bins` must increase monotonically, when an array");
}

TEST(Histogram, StridedAndReversedData) {
  // Every other element of [3.0, 99, 1.0, 99, 2.5, 99, 1.5, 99, 2.0]: np.histogram(a[::2], bins=4)
  const std::vector<double> interleaved{3.0, 99.0, 1.0, 99.0, 2.5, 99.0, 1.5, 99.0, 2.0};
  Histogram h{Counts(4), Edges(5)};
  ASSERT_EQ(accel_rt_histogram_uniform(reinterpret_cast<const char*>(interleaved.data()), 5,
                                       2 * sizeof(double), 4, 0, 0.0, 0.0, h.counts.data(),
                                       h.edges.data()),
            0);
  EXPECT_EQ(h.counts, (Counts{1, 1, 1, 2}));
  EXPECT_EQ(h.edges, (Edges{1.0, 1.5, 2.0, 2.5, 3.0}));
  // a[::-2] of the same data with edges [1.0, 2.0, 3.0] read backwards from a strided array
  const std::vector<double> edge_storage{3.0, -7.0, 2.0, -7.0, 1.0};
  Counts counts(2);
  ASSERT_EQ(accel_rt_histogram_edges(reinterpret_cast<const char*>(&interleaved[8]), 5,
                                     -2 * static_cast<int64_t>(sizeof(double)),
                                     reinterpret_cast<const char*>(&edge_storage[4]), 3,
                                     -2 * static_cast<int64_t>(sizeof(double)), counts.data()),
            0);
  // np.histogram([2.0, 1.5, 2.5, 1.0, 3.0], bins=[1.0, 2.0, 3.0])
  EXPECT_EQ(counts, (Counts{2, 3}));
}

TEST(Histogram, RandomDataMatchesNumpy) {
  // np.random.seed(1); a = np.random.rand(100000)
  accel::runtime::LegacyRandom random;
  random.seed(1);
  std::vector<double> a(100000);
  random.fill_sample(a.data(), 100000);

  // c, e = np.histogram(a, bins=1024)
  Outcome out = uniform(a, 1024);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(fingerprint(out.histogram->counts), 5399920224u);
  EXPECT_EQ(Counts(out.histogram->counts.begin(), out.histogram->counts.begin() + 5),
            (Counts{110, 97, 101, 79, 95}));
  EXPECT_EQ(out.histogram->edges[0], 1.0369382176134145e-05);
  EXPECT_EQ(out.histogram->edges[1], 0.000986912267991523);
  EXPECT_EQ(out.histogram->edges[512], 0.5000003269196553);
  EXPECT_EQ(out.histogram->edges[1024], 0.9999902844571344);

  // b = a * 3.3 - 1.1; np.histogram(b, bins=1000)
  std::vector<double> b(a.size());
  for (size_t i = 0; i < a.size(); ++i) b[i] = a[i] * 3.3 - 1.1;
  out = uniform(b, 1000);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(fingerprint(out.histogram->counts), 5390893842u);
  EXPECT_EQ(out.histogram->edges[0], -1.0999657810388188);
  EXPECT_EQ(out.histogram->edges[1], -1.0966658473190714);
  EXPECT_EQ(out.histogram->edges[1000], 2.1999679387085433);

  // np.histogram(b, bins=997, range=(-0.5, 1.7))
  out = uniform(b, 997, std::pair{-0.5, 1.7});
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(fingerprint(out.histogram->counts), 2470545468u);
  EXPECT_EQ(out.histogram->edges[1], -0.49779338014042124);

  // edges = np.sort(np.random.rand(300)) * 2.2 - 1.0 (continuing the stream);
  // np.histogram(b, bins=edges)
  std::vector<double> edges(300);
  random.fill_sample(edges.data(), 300);
  std::sort(edges.begin(), edges.end());
  for (double& e : edges) e = e * 2.2 - 1.0;
  ASSERT_EQ(edges.front(), -0.9988898243915042);
  ASSERT_EQ(edges.back(), 1.1974942609906312);
  out = with_edges(b, edges);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(fingerprint(out.histogram->counts), 4208405400u);
  EXPECT_EQ(Counts(out.histogram->counts.begin(), out.histogram->counts.begin() + 3),
            (Counts{1213, 116, 52}));

  // Edges crowded near one end (too many per grid cell, so the binary search runs):
  // x = np.sort(np.random.rand(300)); x2 = x*x; x4 = x2*x2; x8 = x4*x4;
  // np.histogram(b, bins=x8 * 2.2 - 1.0)
  std::vector<double> crowded(300);
  random.fill_sample(crowded.data(), 300);
  std::sort(crowded.begin(), crowded.end());
  for (double& e : crowded) {
    const double square = e * e;
    const double fourth = square * square;
    e = (fourth * fourth) * 2.2 - 1.0;
  }
  ASSERT_EQ(crowded.back(), 1.1797175302351484);
  out = with_edges(b, crowded);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(fingerprint(out.histogram->counts), 31715295308u);
  EXPECT_EQ(Counts(out.histogram->counts.end() - 3, out.histogram->counts.end()),
            (Counts{115, 378, 681}));

  // Every edge is a data value: on = np.unique(a[:2000]); np.histogram(a, bins=on)
  std::vector<double> on_data(a.begin(), a.begin() + 2000);
  std::sort(on_data.begin(), on_data.end());
  on_data.erase(std::unique(on_data.begin(), on_data.end()), on_data.end());
  ASSERT_EQ(on_data.size(), 2000u);
  out = with_edges(a, on_data);
  ASSERT_TRUE(out.histogram) << out.error;
  EXPECT_EQ(fingerprint(out.histogram->counts), 9911816820u);
  EXPECT_EQ(Counts(out.histogram->counts.begin(), out.histogram->counts.begin() + 3),
            (Counts{36, 33, 30}));
}

TEST(Histogram, PythonFloatRepr) {
  // [repr(x) for x in [1.0, 1e16, 1e15, 1e-5, 1e-4, 0.1, -2.5, 123456789.125, 1.5e300, -0.0,
  //                    5e-324, 2.0**53]]
  using accel::runtime::python_float_repr;
  EXPECT_EQ(python_float_repr(1.0), "1.0");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float_repr(1e-5), "1e-05");
  EXPECT_EQ(python_float_repr(1e-4), "0.0001");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(-2.5), "-2.5");
  EXPECT_EQ(python_float_repr(123456789.125), "123456789.125");
  EXPECT_EQ(python_float_repr(1.5e300), "1.5e+300");
  EXPECT_EQ(python_float_repr(-0.0), "-0.0");
  EXPECT_EQ(python_float_repr(5e-324), "5e-324");
  EXPECT_EQ(python_float_repr(9007199254740992.0), "9007199254740992.0");
}
