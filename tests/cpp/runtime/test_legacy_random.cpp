// NumPy's legacy generator (RandomState / MT19937), bit for bit. Every expected value below
// was printed by NumPy 2.4.6 running the call in the comment above it; doubles are repr()s,
// so EXPECT_EQ compares them exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "runtime/abi.h"
#include "runtime/legacy_random.h"

using accel::runtime::LegacyRandom;

namespace {

std::vector<double> draws(LegacyRandom& random, int n, double (LegacyRandom::*draw)()) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back((random.*draw)());
  return out;
}

// Sum of the IEEE bit patterns mod 2**64: an exact fingerprint of a long sequence.
// NumPy: int(x.view(np.uint64).astype(object).sum() % 2**64)
uint64_t bit_sum(const std::vector<double>& values) {
  uint64_t sum = 0;
  for (double v : values) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    sum += bits;
  }
  return sum;
}

}  // namespace

TEST(LegacyRandom, RandMatchesNumpy) {
  LegacyRandom random;
  // np.random.seed(12345); np.random.rand(5)
  random.seed(12345);
  EXPECT_EQ(draws(random, 5, &LegacyRandom::random_sample),
            (std::vector<double>{0.9296160928171479, 0.3163755545817859, 0.18391881167709445,
                                 0.2045602785530397, 0.5677250290816866}));
  // np.random.seed(0); np.random.rand(3)
  random.seed(0);
  EXPECT_EQ(draws(random, 3, &LegacyRandom::random_sample),
            (std::vector<double>{0.5488135039273248, 0.7151893663724195, 0.6027633760716439}));
  // np.random.seed(2**32 - 1); np.random.rand(3)
  random.seed(0xffffffffU);
  EXPECT_EQ(draws(random, 3, &LegacyRandom::random_sample),
            (std::vector<double>{0.0976320289940138, 0.9123828453026218, 0.78903530185164}));
}

TEST(LegacyRandom, SeedByArrayMatchesNumpy) {
  LegacyRandom random;
  // np.random.seed([1, 2, 3]); np.random.rand(2)
  const uint32_t key[] = {1, 2, 3};
  random.seed_by_array(key);
  EXPECT_EQ(draws(random, 2, &LegacyRandom::random_sample),
            (std::vector<double>{0.6098612722867289, 0.8866970434146851}));
}

TEST(LegacyRandom, RandnKeepsTheSecondDeviateAcrossCalls) {
  LegacyRandom random;
  // np.random.seed(12345); np.random.randn(3); np.random.randn(4): the odd count leaves a
  // cached deviate that the second call must return first.
  random.seed(12345);
  EXPECT_EQ(draws(random, 3, &LegacyRandom::gauss),
            (std::vector<double>{-0.20470765948471295, 0.47894333805754824, -0.5194387150567381}));
  EXPECT_EQ(draws(random, 4, &LegacyRandom::gauss),
            (std::vector<double>{-0.55573030434749, 1.9657805725027142, 1.3934058329729904,
                                 0.09290787674371767}));
}

TEST(LegacyRandom, CachedDeviateSurvivesUniformDraws) {
  LegacyRandom random;
  // np.random.seed(7); [np.random.randn(), np.random.rand(), np.random.randn()]
  random.seed(7);
  EXPECT_EQ(random.gauss(), 1.690525703800356);
  EXPECT_EQ(random.random_sample(), 0.9779895119966027);
  EXPECT_EQ(random.gauss(), -0.4659373705408328);
}

TEST(LegacyRandom, ReseedForgetsTheCachedDeviate) {
  LegacyRandom random;
  // np.random.seed(7); np.random.randn(); np.random.seed(7); np.random.randn()
  random.seed(7);
  EXPECT_EQ(random.gauss(), 1.690525703800356);
  random.seed(7);
  EXPECT_EQ(random.gauss(), 1.690525703800356);
  // np.random.seed(5); np.random.rand(2); np.random.seed(9); np.random.rand(2)
  random.seed(5);
  EXPECT_EQ(draws(random, 2, &LegacyRandom::random_sample),
            (std::vector<double>{0.22199317108973948, 0.8707323061773764}));
  random.seed(9);
  EXPECT_EQ(draws(random, 2, &LegacyRandom::random_sample),
            (std::vector<double>{0.010374153885699955, 0.5018745921487388}));
}

TEST(LegacyRandom, UniformAndNormalMatchNumpy) {
  LegacyRandom random;
  // np.random.seed(3); [np.random.uniform(-2.0, 5.0) for _ in range(3)]; np.random.uniform(3.0, 1.0)
  random.seed(3);
  EXPECT_EQ(random.uniform(-2.0, 5.0), 1.8555853180220288);
  EXPECT_EQ(random.uniform(-2.0, 5.0), 2.957034758326734);
  EXPECT_EQ(random.uniform(-2.0, 5.0), 0.03633317239061018);
  EXPECT_EQ(random.uniform(3.0, 1.0), 1.978344789604674);
  // np.random.seed(3); [np.random.normal(10.0, 2.5) for _ in range(3)]
  random.seed(3);
  EXPECT_EQ(random.normal(10.0, 2.5), 14.471571183575797);
  EXPECT_EQ(random.normal(10.0, 2.5), 11.091274626279974);
  EXPECT_EQ(random.normal(10.0, 2.5), 10.241243670180022);
}

struct RandintCase {
  const char* numpy_call;
  int64_t low, high;
  std::vector<int64_t> expected;
};

void PrintTo(const RandintCase& c, std::ostream* os) { *os << c.numpy_call; }

class LegacyRandint : public ::testing::TestWithParam<RandintCase> {};

TEST_P(LegacyRandint, MatchesNumpy) {
  const RandintCase& c = GetParam();
  LegacyRandom random;
  random.seed(42);
  std::vector<int64_t> got;
  for (size_t i = 0; i < c.expected.size(); ++i) got.push_back(random.randint(c.low, c.high));
  EXPECT_EQ(got, c.expected) << c.numpy_call;
}

// Each: np.random.seed(42); [np.random.randint(low, high) for _ in range(len(expected))]
INSTANTIATE_TEST_SUITE_P(
    NumpyRanges, LegacyRandint,
    ::testing::Values(
        RandintCase{"randint(0, 10)", 0, 10, {6, 3, 7, 4, 6, 9, 2, 6}},
        RandintCase{"randint(-5, 3)", -5, 3, {1, -2, -1, 1, -3, 2, -1, -1}},
        // A span of exactly 2**32: every 32-bit draw is accepted.
        RandintCase{"randint(0, 2**32)", 0, 1LL << 32, {1608637542, 3421126067, 4083286876, 787846414}},
        // One more value: 64-bit draws (high word first) masked to 33 bits.
        RandintCase{"randint(0, 2**32 + 1)", 0, (1LL << 32) + 1, {3421126067, 787846414, 3348747335, 2563451924}},
        RandintCase{"randint(2**31, 2**32 + 2**31)", 1LL << 31, (1LL << 32) + (1LL << 31),
                    {3756121190, 5568609715, 6230770524, 2935330062}},
        RandintCase{"randint(-2**62, 2**62)", -(1LL << 62), 1LL << 62,
                    {2297359619001564595, 3702525538111689998, -332153208042826681,
                     -2791758168952460268}},
        RandintCase{"randint(-2**63, 2**63 - 1)", INT64_MIN, INT64_MAX,
                    {-2314326399425823309, 8314211556539077902, 4279532810384561223,
                     1819927849474927636}}));

TEST(LegacyRandom, RandintOfOneValueDrawsNothing) {
  LegacyRandom random;
  // np.random.seed(42); [np.random.randint(5, 6) for _ in range(3)]; np.random.rand()
  // equals np.random.seed(42); np.random.rand()
  random.seed(42);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(random.randint(5, 6), 5);
  EXPECT_EQ(random.random_sample(), 0.3745401188473625);
}

TEST(LegacyRandom, BulkFillsEqualSingleDrawsAcrossRegenerations) {
  LegacyRandom random;
  // np.random.seed(2024); x = np.random.rand(2000); x[[0, 311, 312, 623, 999, 1999]]
  random.seed(2024);
  std::vector<double> x(2000);
  random.fill_sample(x.data(), 2000);
  EXPECT_EQ(x[0], 0.5880145188953979);
  EXPECT_EQ(x[311], 0.5696456673829942);
  EXPECT_EQ(x[312], 0.4724499443507054);
  EXPECT_EQ(x[623], 0.01698567192458844);
  EXPECT_EQ(x[999], 0.2837885149622815);
  EXPECT_EQ(x[1999], 0.9803378227056961);
  EXPECT_EQ(bit_sum(x), 14794069541295841800ULL);

  // np.random.seed(2024); np.random.randint(0, 10); x = np.random.rand(700): one 32-bit draw
  // first, so a pair straddles the regeneration of the state.
  random.seed(2024);
  random.randint(0, 10);
  std::vector<double> odd(700);
  random.fill_sample(odd.data(), 700);
  EXPECT_EQ(odd[0], 0.7571533895962591);
  EXPECT_EQ(odd[310], 0.7323388201716964);
  EXPECT_EQ(odd[311], 0.24118918532468336);
  EXPECT_EQ(odd[312], 0.12447812665965852);
  EXPECT_EQ(odd[699], 0.9959263671694788);

  // np.random.seed(2024); x = np.random.randn(1001)
  random.seed(2024);
  std::vector<double> normal(1001);
  random.fill_gauss(normal.data(), 1001);
  EXPECT_EQ(normal[0], 1.668047321311954);
  EXPECT_EQ(normal[1], 0.7373477267548951);
  EXPECT_EQ(normal[500], -1.6473005342581661);
  EXPECT_EQ(normal[1000], 1.3915110091876546);
  EXPECT_EQ(bit_sum(normal), 5010036274606530588ULL);
}

TEST(LegacyRandom, UnseededGeneratorsDiffer) {
  LegacyRandom a, b;
  EXPECT_NE(a.next_uint64(), b.next_uint64());
}

// The extern "C" entry points, on the calling thread's generator.

TEST(LegacyRandomEntry, SeedSampleGaussAndFillsMatchNumpy) {
  ASSERT_EQ(accel_rt_random_seed(12345), 0);
  // np.random.seed(12345); np.random.random(); np.random.random_sample()
  EXPECT_EQ(accel_rt_random_sample(), 0.9296160928171479);
  EXPECT_EQ(accel_rt_random_sample(), 0.3163755545817859);
  ASSERT_EQ(accel_rt_random_seed(12345), 0);
  // np.random.seed(12345); np.random.randn(3)
  std::vector<double> normal(3);
  accel_rt_random_fill_gauss(normal.data(), 3);
  EXPECT_EQ(normal, (std::vector<double>{-0.20470765948471295, 0.47894333805754824,
                                         -0.5194387150567381}));
  // ...then np.random.randn(): the cached deviate of the odd fill
  EXPECT_EQ(accel_rt_random_gauss(), -0.55573030434749);
  ASSERT_EQ(accel_rt_random_seed(0), 0);
  // np.random.seed(0); np.random.rand(3)
  std::vector<double> uniform(3);
  accel_rt_random_fill_sample(uniform.data(), 3);
  EXPECT_EQ(uniform, (std::vector<double>{0.5488135039273248, 0.7151893663724195,
                                          0.6027633760716439}));
  accel_rt_random_fill_sample(nullptr, 0);  // n == 0 touches nothing
}

TEST(LegacyRandomEntry, RandintUniformNormalMatchNumpy) {
  ASSERT_EQ(accel_rt_random_seed(42), 0);
  // np.random.seed(42); np.random.randint(0, 10), np.random.randint(0, 10)
  int64_t value = -1;
  ASSERT_EQ(accel_rt_random_randint(0, 10, &value), 0);
  EXPECT_EQ(value, 6);
  ASSERT_EQ(accel_rt_random_randint(0, 10, &value), 0);
  EXPECT_EQ(value, 3);
  ASSERT_EQ(accel_rt_random_seed(3), 0);
  // np.random.seed(3); np.random.uniform(-2.0, 5.0)
  double real = 0.0;
  ASSERT_EQ(accel_rt_random_uniform(-2.0, 5.0, &real), 0);
  EXPECT_EQ(real, 1.8555853180220288);
  ASSERT_EQ(accel_rt_random_seed(3), 0);
  // np.random.seed(3); np.random.normal(10.0, 2.5)
  ASSERT_EQ(accel_rt_random_normal(10.0, 2.5, &real), 0);
  EXPECT_EQ(real, 14.471571183575797);
  // np.random.seed(1); np.random.normal(0.0, 0.0); np.random.normal(1.0, nan): allowed
  ASSERT_EQ(accel_rt_random_normal(0.0, 0.0, &real), 0);
  EXPECT_EQ(real, 0.0);
  ASSERT_EQ(accel_rt_random_normal(1.0, NAN, &real), 0);
  EXPECT_TRUE(std::isnan(real));
}

namespace {

void expect_error(int32_t status, int32_t kind, const char* message) {
  EXPECT_EQ(status, 1);
  const accel::runtime::PendingError error = accel::runtime::take_error();
  EXPECT_EQ(error.kind, kind);
  EXPECT_EQ(error.message, message);
}

}  // namespace

TEST(LegacyRandomEntry, ErrorsCarryNumpysMessages) {
  // np.random.seed(-1) and np.random.seed(2**32)
  expect_error(accel_rt_random_seed(-1), ACCEL_ERROR_VALUE, "Seed must be between 0 and 2**32 - 1");
  expect_error(accel_rt_random_seed(1LL << 32), ACCEL_ERROR_VALUE,
               "Seed must be between 0 and 2**32 - 1");
  // np.random.randint(5, 5) and np.random.randint(5, 4)
  int64_t value = 0;
  expect_error(accel_rt_random_randint(5, 5, &value), ACCEL_ERROR_VALUE, "low >= high");
  expect_error(accel_rt_random_randint(5, 4, &value), ACCEL_ERROR_VALUE, "low >= high");
  // np.random.uniform(-1e308, 1e308) and np.random.uniform(0, nan)
  double real = 0.0;
  expect_error(accel_rt_random_uniform(-1e308, 1e308, &real), ACCEL_ERROR_OVERFLOW,
               "Range exceeds valid bounds");
  expect_error(accel_rt_random_uniform(0.0, NAN, &real), ACCEL_ERROR_OVERFLOW,
               "Range exceeds valid bounds");
  // np.random.normal(0, -1) and np.random.normal(0, -0.0)
  expect_error(accel_rt_random_normal(0.0, -1.0, &real), ACCEL_ERROR_VALUE, "scale < 0");
  expect_error(accel_rt_random_normal(0.0, -0.0, &real), ACCEL_ERROR_VALUE, "scale < 0");
}

TEST(LegacyRandomEntry, EachThreadHasItsOwnStream) {
  ASSERT_EQ(accel_rt_random_seed(12345), 0);
  double other_first = 0.0;
  std::thread worker([&] {
    // Seeding here must not move the main thread's stream.
    accel_rt_random_seed(0);
    other_first = accel_rt_random_sample();
  });
  worker.join();
  EXPECT_EQ(other_first, 0.5488135039273248);             // np.random.seed(0); np.random.rand()
  EXPECT_EQ(accel_rt_random_sample(), 0.9296160928171479);  // np.random.seed(12345); np.random.rand()
}
