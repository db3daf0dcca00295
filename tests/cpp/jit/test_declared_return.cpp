// A signature's declared return type is applied by the entry: the result is cast to it
// (NumPy's casting) and comes back as Python scalars, as numba returns it.
#include <gtest/gtest.h>

#include <cstring>

#include "../ast_builder.h"
#include "codegen/module_emitter.h"
#include "frontend/diagnostic.h"
#include "jit/compiler.h"

using namespace accel;
using namespace accel::testing;
using types::Kind;

namespace {

// def f(a): return a * 2
Program doubled() { return program("f", {"a"}, block(ret(bin(Operator::Mult, name("a"), lit(int64_t{2}))))); }

// def f(a): return a, a
Program pair() {
  auto t = expr(ExprKind::Tuple);
  t->operands.push_back(name("a"));
  t->operands.push_back(name("a"));
  return program("f", {"a"}, block(ret(std::move(t))));
}

std::vector<types::Type> one(Kind kind) { return {types::scalar(kind)}; }

void run(const jit::CompiledFunction& compiled, uint64_t argument, uint64_t* result) {
  ASSERT_EQ(reinterpret_cast<codegen::EntryFunction>(compiled.entry)(&argument, result), 0);
}

double as_double(uint64_t slot) {
  double d;
  std::memcpy(&d, &slot, sizeof d);
  return d;
}

}  // namespace

TEST(DeclaredReturn, AnIntResultDeclaredFloat64ComesBackAsAPythonFloat) {
  const auto compiled = jit::compile(doubled(), 0, one(Kind::PyInt), jit::DeclaredReturn{types::scalar(Kind::PyFloat)});
  EXPECT_EQ(compiled.return_type, types::scalar(Kind::PyFloat));
  uint64_t result = 0;
  run(compiled, 3, &result);
  EXPECT_EQ(as_double(result), 6.0);
}

TEST(DeclaredReturn, ANarrowIntWrapsThenComesBackAsAPythonInt) {
  const auto compiled = jit::compile(doubled(), 0, one(Kind::PyInt), jit::DeclaredReturn{types::scalar(Kind::Int8)});
  EXPECT_EQ(compiled.return_type, types::scalar(Kind::PyInt));
  uint64_t result = 0;
  run(compiled, 150, &result);  // 300 as int8 is 44
  EXPECT_EQ(static_cast<int64_t>(result), 44);
  run(compiled, 100, &result);  // 200 as int8 is -56, sign-extended
  EXPECT_EQ(static_cast<int64_t>(result), -56);
}

TEST(DeclaredReturn, WithoutADeclaredTypeNumpyResultsBecomePythonScalars) {
  const auto compiled = jit::compile(doubled(), 0, one(Kind::Float32), jit::DeclaredReturn{});
  EXPECT_EQ(compiled.return_type, types::scalar(Kind::PyFloat));
  uint64_t argument;
  const double value = 1.5;
  std::memcpy(&argument, &value, sizeof argument);
  uint64_t result = 0;
  run(compiled, argument, &result);
  EXPECT_EQ(as_double(result), 3.0);
}

TEST(DeclaredReturn, TuplesAreCastElementwise) {
  const auto declared = types::tuple({types::scalar(Kind::PyFloat), types::scalar(Kind::UInt8)});
  const auto compiled = jit::compile(pair(), 0, one(Kind::PyInt), jit::DeclaredReturn{declared});
  EXPECT_EQ(compiled.return_type, types::tuple({types::scalar(Kind::PyFloat), types::scalar(Kind::PyInt)}));
  uint64_t result[2] = {0, 0};
  run(compiled, static_cast<uint64_t>(int64_t{-1}), result);
  EXPECT_EQ(as_double(result[0]), -1.0);
  EXPECT_EQ(result[1], 255u);
}

TEST(DeclaredReturn, AResultThatCannotBeTheDeclaredTypeIsACompileError) {
  try {
    jit::compile(doubled(), 0, one(Kind::PyInt), jit::DeclaredReturn{types::array(Kind::Float64, 1, types::Layout::Any)});
    FAIL() << "compiled";
  } catch (const frontend::CompileFailure& failure) {
    EXPECT_NE(failure.diagnostic().message.find("returns int64"), std::string::npos) << failure.diagnostic().message;
    EXPECT_NE(failure.diagnostic().message.find("array(float64, 1d, A)"), std::string::npos);
  }
}
