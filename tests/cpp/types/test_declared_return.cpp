// numba's declared return types: what converts to what, and what comes back to Python.
#include <gtest/gtest.h>

#include "types/declared_return.h"

using namespace accel::types;

namespace {
Type py_int() { return scalar(Kind::PyInt); }
Type py_float() { return scalar(Kind::PyFloat); }
}  // namespace

TEST(DeclaredReturn, NumbersComeBackAsPythonScalarsExceptUint64) {
  EXPECT_EQ(as_python_scalars(scalar(Kind::Int32)), py_int());
  EXPECT_EQ(as_python_scalars(scalar(Kind::UInt8)), py_int());
  EXPECT_EQ(as_python_scalars(scalar(Kind::Float32)), py_float());
  EXPECT_EQ(as_python_scalars(scalar(Kind::Bool)), scalar(Kind::PyBool));
  EXPECT_EQ(as_python_scalars(scalar(Kind::UInt64)), scalar(Kind::UInt64));
  const Type a = array(Kind::Int32, 1, Layout::C);
  EXPECT_EQ(as_python_scalars(tuple({scalar(Kind::Int16), a, none()})), tuple({py_int(), a, none()}));
}

TEST(DeclaredReturn, AnyNumberConvertsToAnyNumber) {
  const ReturnConversion c = declared_return(py_float(), scalar(Kind::Int8));
  EXPECT_TRUE(c.problem.empty()) << c.problem;
  EXPECT_EQ(c.result, py_int());
  EXPECT_EQ(declared_return(py_int(), scalar(Kind::PyBool)).result, scalar(Kind::PyBool));
}

TEST(DeclaredReturn, WithoutADeclarationTheInferredTypeComesBackAsPythonScalars) {
  const ReturnConversion c = declared_return(tuple({scalar(Kind::Float32), py_int()}), nullptr);
  EXPECT_TRUE(c.problem.empty());
  EXPECT_EQ(c.result, tuple({py_float(), py_int()}));
}

TEST(DeclaredReturn, ArraysKeepDtypeAndNdimAndMayOnlyLoseLayoutKnowledge) {
  const Type c = array(Kind::Float64, 2, Layout::C), any = array(Kind::Float64, 2, Layout::Any);
  EXPECT_EQ(declared_return(c, any).result, any);
  EXPECT_EQ(declared_return(c, array(Kind::Float64, 2, Layout::C, true)).result,
            array(Kind::Float64, 2, Layout::C, true));
  for (Type declared : {array(Kind::Float64, 2, Layout::F), array(Kind::Float32, 2, Layout::Any),
                        array(Kind::Float64, 1, Layout::Any), py_float()}) {
    const ReturnConversion refused = declared_return(any, declared);
    EXPECT_EQ(refused.result, nullptr) << name(declared);
    EXPECT_NE(refused.problem.find("array(float64, 2d, A)"), std::string::npos) << refused.problem;
  }
  EXPECT_NE(declared_return(any, c).problem.find("C-contiguous"), std::string::npos);
  EXPECT_NE(declared_return(array(Kind::Float64, 2, Layout::C, true), c).problem.find("read-only"),
            std::string::npos);
}

TEST(DeclaredReturn, TuplesConvertElementwiseAndNeedTheSameLength) {
  EXPECT_EQ(declared_return(tuple({py_int(), py_int()}), tuple({py_float(), scalar(Kind::Int8)})).result,
            tuple({py_float(), py_int()}));
  const ReturnConversion shorter = declared_return(tuple({py_int()}), tuple({py_int(), py_int()}));
  EXPECT_NE(shorter.problem.find("different lengths"), std::string::npos) << shorter.problem;
  EXPECT_NE(declared_return(py_int(), tuple({py_int()})).problem.find("only a tuple"), std::string::npos);
}

TEST(DeclaredReturn, NoneOnlyToNoneAndVoidRefusesAValue) {
  EXPECT_EQ(declared_return(none(), none()).result, none());
  const ReturnConversion value_from_void = declared_return(py_int(), none());
  EXPECT_NE(value_from_void.problem.find("must not return a value"), std::string::npos);
  EXPECT_NE(value_from_void.problem.find("returns int64"), std::string::npos) << value_from_void.problem;
  EXPECT_NE(declared_return(none(), py_float()).problem.find("returns none"), std::string::npos);
}
