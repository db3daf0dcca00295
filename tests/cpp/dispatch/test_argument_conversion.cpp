// A number passed to a parameter of another type, converted in its slot as numba's
// unboxing does (Python's int() for integer parameters, 64-bit range checks).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "dispatch/argument_conversion.h"

using namespace accel::dispatch;
using accel::types::Kind;

namespace {

uint64_t slot_of(double d) {
  uint64_t s;
  std::memcpy(&s, &d, sizeof s);
  return s;
}

double double_of(uint64_t s) {
  double d;
  std::memcpy(&d, &s, sizeof d);
  return d;
}

uint64_t slot_of(int64_t v) { return static_cast<uint64_t>(v); }

}  // namespace

TEST(ArgumentConversion, OnlyAChangeOfRepresentationOrARangeCheckConverts) {
  EXPECT_EQ(slot_conversion(Kind::PyInt, Kind::PyFloat), SlotConversion::SignedToDouble);
  EXPECT_EQ(slot_conversion(Kind::PyBool, Kind::Float32), SlotConversion::SignedToDouble);
  EXPECT_EQ(slot_conversion(Kind::UInt64, Kind::PyFloat), SlotConversion::UnsignedToDouble);
  EXPECT_EQ(slot_conversion(Kind::PyFloat, Kind::Int8), SlotConversion::DoubleToSigned);
  EXPECT_EQ(slot_conversion(Kind::Float32, Kind::UInt16), SlotConversion::DoubleToUnsigned);
  EXPECT_EQ(slot_conversion(Kind::PyFloat, Kind::PyBool), SlotConversion::DoubleToBool);
  EXPECT_EQ(slot_conversion(Kind::PyInt, Kind::UInt8), SlotConversion::CheckNotNegative);
  EXPECT_EQ(slot_conversion(Kind::UInt64, Kind::PyInt), SlotConversion::CheckFitsSigned);
  // The entry narrows these itself: int64 to int8 wraps, double to float32 rounds.
  for (auto [from, to] : {std::pair{Kind::PyInt, Kind::Int8}, std::pair{Kind::PyFloat, Kind::Float32},
                          std::pair{Kind::Int64, Kind::PyInt}, std::pair{Kind::UInt8, Kind::Int8},
                          std::pair{Kind::PyInt, Kind::PyBool}, std::pair{Kind::PyBool, Kind::UInt64},
                          std::pair{Kind::UInt32, Kind::UInt8}})
    EXPECT_EQ(slot_conversion(from, to), SlotConversion::None);
}

TEST(ArgumentConversion, IntsBecomeDoublesSignedOrUnsigned) {
  uint64_t s = slot_of(int64_t{-3});
  ASSERT_EQ(convert_slot(SlotConversion::SignedToDouble, s), ConversionFailure::None);
  EXPECT_EQ(double_of(s), -3.0);
  s = std::numeric_limits<uint64_t>::max();
  ASSERT_EQ(convert_slot(SlotConversion::UnsignedToDouble, s), ConversionFailure::None);
  EXPECT_EQ(double_of(s), 18446744073709551615.0);
}

TEST(ArgumentConversion, FloatsToIntsTruncateLikePythonsInt) {
  for (auto [value, expected] : {std::pair{2.7, int64_t{2}}, std::pair{-2.7, int64_t{-2}},
                                 std::pair{-9223372036854775808.0, std::numeric_limits<int64_t>::min()}}) {
    uint64_t s = slot_of(value);
    ASSERT_EQ(convert_slot(SlotConversion::DoubleToSigned, s), ConversionFailure::None) << value;
    EXPECT_EQ(static_cast<int64_t>(s), expected) << value;
  }
  uint64_t s = slot_of(-0.5);  // int(-0.5) is 0: not negative
  ASSERT_EQ(convert_slot(SlotConversion::DoubleToUnsigned, s), ConversionFailure::None);
  EXPECT_EQ(s, 0u);
  s = slot_of(1.8e19);
  ASSERT_EQ(convert_slot(SlotConversion::DoubleToUnsigned, s), ConversionFailure::None);
  EXPECT_EQ(s, 18000000000000000000u);
}

TEST(ArgumentConversion, FloatsThatNoIntHoldsAreRefusedAndLeftAlone) {
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  struct Case { SlotConversion conversion; double value; ConversionFailure failure; };
  for (Case c : {Case{SlotConversion::DoubleToSigned, nan, ConversionFailure::NotANumber},
                 Case{SlotConversion::DoubleToSigned, -inf, ConversionFailure::Infinite},
                 Case{SlotConversion::DoubleToSigned, 9223372036854775808.0, ConversionFailure::TooLarge},
                 Case{SlotConversion::DoubleToUnsigned, inf, ConversionFailure::Infinite},
                 Case{SlotConversion::DoubleToUnsigned, -1.0, ConversionFailure::Negative},
                 Case{SlotConversion::DoubleToUnsigned, 18446744073709551616.0, ConversionFailure::TooLarge}}) {
    uint64_t s = slot_of(c.value);
    const uint64_t before = s;
    EXPECT_EQ(convert_slot(c.conversion, s), c.failure) << c.value;
    EXPECT_EQ(s, before);
  }
}

TEST(ArgumentConversion, RangeChecksBetweenSignedAndUnsigned) {
  uint64_t s = slot_of(int64_t{-1});
  EXPECT_EQ(convert_slot(SlotConversion::CheckNotNegative, s), ConversionFailure::Negative);
  s = 7;
  EXPECT_EQ(convert_slot(SlotConversion::CheckNotNegative, s), ConversionFailure::None);
  s = uint64_t{1} << 63;
  EXPECT_EQ(convert_slot(SlotConversion::CheckFitsSigned, s), ConversionFailure::TooLarge);
  s = (uint64_t{1} << 63) - 1;
  EXPECT_EQ(convert_slot(SlotConversion::CheckFitsSigned, s), ConversionFailure::None);
}

TEST(ArgumentConversion, FloatTruthIsPythons) {
  for (auto [value, truth] : {std::pair{0.0, 0u}, std::pair{-0.0, 0u}, std::pair{0.25, 1u},
                              std::pair{std::nan(""), 1u}}) {
    uint64_t s = slot_of(value);
    ASSERT_EQ(convert_slot(SlotConversion::DoubleToBool, s), ConversionFailure::None);
    EXPECT_EQ(s, truth) << value;
  }
}
