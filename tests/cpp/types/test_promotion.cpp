// NumPy 2 promotion, checked against np.result_type tables (NEP 50).
#include <gtest/gtest.h>

#include "types/promotion.h"

using namespace accel::types;

struct Case {
  Kind a, b, expected;
};

class Promotion : public ::testing::TestWithParam<Case> {};

TEST_P(Promotion, MatchesNumpyResultType) {
  const Case c = GetParam();
  EXPECT_EQ(promote(c.a, c.b), c.expected) << name(c.a) << " + " << name(c.b);
  EXPECT_EQ(promote(c.b, c.a), c.expected) << "promotion must be symmetric";
}

// Expected values are np.result_type(np.<a>, np.<b>) for NumPy kinds, and NEP 50's
// weak-scalar rule (np.result_type(np.<a>(1), 1) etc.) for Python scalars.
INSTANTIATE_TEST_SUITE_P(
    NumpyTwo, Promotion,
    ::testing::Values(
        Case{Kind::Int8, Kind::Int8, Kind::Int8}, Case{Kind::Int8, Kind::UInt8, Kind::Int16},
        Case{Kind::Int16, Kind::UInt16, Kind::Int32}, Case{Kind::Int32, Kind::UInt32, Kind::Int64},
        Case{Kind::Int64, Kind::UInt64, Kind::Float64}, Case{Kind::UInt8, Kind::UInt32, Kind::UInt32},
        Case{Kind::Int64, Kind::UInt32, Kind::Int64}, Case{Kind::Int8, Kind::Float32, Kind::Float32},
        Case{Kind::Int16, Kind::Float32, Kind::Float32}, Case{Kind::Int32, Kind::Float32, Kind::Float64},
        Case{Kind::UInt16, Kind::Float32, Kind::Float32}, Case{Kind::Float32, Kind::Float64, Kind::Float64},
        Case{Kind::Bool, Kind::Int8, Kind::Int8}, Case{Kind::Bool, Kind::Float32, Kind::Float32},
        // Python scalars are weak.
        Case{Kind::PyInt, Kind::Int8, Kind::Int8}, Case{Kind::PyInt, Kind::UInt16, Kind::UInt16},
        Case{Kind::PyFloat, Kind::Float32, Kind::Float32}, Case{Kind::PyFloat, Kind::Int32, Kind::Float64},
        Case{Kind::PyInt, Kind::Bool, Kind::Int64}, Case{Kind::PyBool, Kind::Int16, Kind::Int16},
        Case{Kind::PyInt, Kind::PyFloat, Kind::PyFloat}, Case{Kind::PyBool, Kind::PyInt, Kind::PyInt},
        Case{Kind::PyInt, Kind::PyInt, Kind::PyInt}));

TEST(Unify, ArraysOfDifferentLayoutsShareAnyLayout) {
  EXPECT_EQ(unify(array(Kind::Float64, 2, Layout::C), array(Kind::Float64, 2, Layout::F)),
            array(Kind::Float64, 2, Layout::Any));
  EXPECT_EQ(unify(array(Kind::Float64, 2, Layout::C), array(Kind::Float32, 2, Layout::C)), nullptr);
  EXPECT_EQ(unify(array(Kind::Float64, 1, Layout::C), scalar(Kind::Float64)), nullptr);
}

TEST(Unify, TuplesUnifyElementwise) {
  EXPECT_EQ(unify(tuple({scalar(Kind::PyInt), scalar(Kind::Float32)}),
                  tuple({scalar(Kind::PyFloat), scalar(Kind::Float32)})),
            tuple({scalar(Kind::PyFloat), scalar(Kind::Float32)}));
  EXPECT_EQ(unify(tuple({scalar(Kind::PyInt)}), tuple({scalar(Kind::PyInt), scalar(Kind::PyInt)})), nullptr);
}

TEST(Types, AreInterned) {
  EXPECT_EQ(array(Kind::Int64, 3, Layout::Any), array(Kind::Int64, 3, Layout::Any));
  EXPECT_NE(array(Kind::Int64, 3, Layout::Any), array(Kind::Int64, 3, Layout::C));
  // One dimension is both C and F; it is always called C.
  EXPECT_EQ(array(Kind::Int8, 1, Layout::F), array(Kind::Int8, 1, Layout::C));
}

TEST(ArgCodes, RoundTrip) {
  for (Type t : {scalar(Kind::PyInt), scalar(Kind::Float32), array(Kind::UInt16, 4, Layout::F, true),
                 array(Kind::Bool, 1, Layout::C), array(Kind::Float64, 0, Layout::C)})
    EXPECT_EQ(from_arg_code(arg_code(t)), t) << name(t);
  EXPECT_EQ(from_arg_code(0xffu), nullptr);
}

TEST(ArgCodes, TuplesAreFlattenedAfterTheirLengthAndReadBack) {
  const Type inner = tuple({scalar(Kind::PyFloat), array(Kind::Int32, 2, Layout::C)});
  const std::vector<Type> arguments = {scalar(Kind::PyInt), tuple({inner, scalar(Kind::PyBool)}), tuple({})};
  const std::vector<uint32_t> codes = arg_codes(arguments);
  ASSERT_EQ(codes.size(), 7u);  // int, (2: (2: float, array), bool), ()
  EXPECT_EQ(codes[1], kTupleCode | 2);
  EXPECT_EQ(codes[2], kTupleCode | 2);
  EXPECT_EQ(codes[6], kTupleCode | 0);
  EXPECT_EQ(from_arg_codes(codes), arguments);
  // A tuple longer than the codes that follow it, and a code naming nothing, are malformed.
  EXPECT_EQ(from_arg_codes({kTupleCode | 3, arg_code(scalar(Kind::PyInt))}), std::nullopt);
  EXPECT_EQ(from_arg_codes({arg_code(scalar(Kind::PyInt)), 0xffu}), std::nullopt);
}
