// Lowering small functions to machine code and running them, without Python.
#include <gtest/gtest.h>

#include <cstring>

#include "../ast_builder.h"
#include "codegen/module_emitter.h"
#include "jit/compiler.h"
#include "runtime/abi.h"

using namespace accel;
using namespace accel::testing;
using types::Kind;

namespace {

int64_t run_int(const jit::CompiledFunction& f, std::vector<uint64_t> args, int32_t* status = nullptr) {
  uint64_t result = 0;
  int32_t s = reinterpret_cast<codegen::EntryFunction>(f.entry)(args.data(), &result);
  if (status) *status = s;
  return static_cast<int64_t>(result);
}

}  // namespace

TEST(Lowering, FloorDivisionAndModuloFollowPython) {
  // def f(a, b): return a // b * 1000 + a % b   (Python's floor semantics)
  Program p = program("f", {"a", "b"},
                      block(ret(bin(Operator::Add,
                                    bin(Operator::Mult, bin(Operator::FloorDiv, name("a"), name("b")), lit(int64_t{1000})),
                                    bin(Operator::Mod, name("a"), name("b"))))));
  auto f = jit::compile(p, 0, {types::scalar(Kind::PyInt), types::scalar(Kind::PyInt)});
  auto python = [](int64_t a, int64_t b) {
    int64_t q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) { q -= 1; r += b; }
    return q * 1000 + r;
  };
  for (int64_t a : {7, -7, 0, 13, -13})
    for (int64_t b : {2, -2, 5, -5})
      EXPECT_EQ(run_int(f, {static_cast<uint64_t>(a), static_cast<uint64_t>(b)}), python(a, b)) << a << " " << b;
}

TEST(Lowering, DivisionByZeroReportsZeroDivisionError) {
  Program p = program("f", {"a", "b"}, block(ret(bin(Operator::FloorDiv, name("a"), name("b")))));
  auto f = jit::compile(p, 0, {types::scalar(Kind::PyInt), types::scalar(Kind::PyInt)});
  int32_t status = 0;
  run_int(f, {1, 0}, &status);
  EXPECT_EQ(status, 1);
  auto error = runtime::take_error();
  EXPECT_EQ(error.kind, ACCEL_ERROR_ZERO_DIVISION);
  EXPECT_EQ(error.message, "integer division or modulo by zero");
  EXPECT_EQ(run_int(f, {9, 2}), 4);  // and the next call works
}

TEST(Lowering, SumOverAnArrayMatchesTheLoop) {
  // def f(x): y = 0; for v in x: y += v; return y
  Program p = program("f", {"x"},
                      block(assign("y", lit(int64_t{0})),
                            for_in("v", name("x"), block(aug("y", Operator::Add, name("v")))),
                            ret(name("y"))));
  auto f = jit::compile(p, 0, {types::array(Kind::Int64, 1, types::Layout::C)});
  std::vector<int64_t> data(1001);
  int64_t expected = 0;
  for (size_t i = 0; i < data.size(); ++i) expected += data[i] = static_cast<int64_t>(i * i % 97);
  int64_t shape[] = {static_cast<int64_t>(data.size())};
  int64_t strides[] = {8};
  EXPECT_EQ(run_int(f, {reinterpret_cast<uint64_t>(data.data()), reinterpret_cast<uint64_t>(shape),
                        reinterpret_cast<uint64_t>(strides)}),
            expected);
  EXPECT_NE(f.optimized_ir.find("vector"), std::string::npos) << "the int64 sum should vectorize";
}

TEST(Lowering, OutOfBoundsIndexNamesIndexAxisAndSize) {
  Program p = program("f", {"x", "i"}, block(ret(index(name("x"), name("i")))));
  auto f = jit::compile(p, 0, {types::array(Kind::Float64, 1, types::Layout::Any), types::scalar(Kind::PyInt)});
  double data[3] = {1.5, 2.5, 3.5};
  int64_t shape[] = {3}, strides[] = {8};
  auto call = [&](int64_t i, int32_t& status) {
    uint64_t args[] = {reinterpret_cast<uint64_t>(data), reinterpret_cast<uint64_t>(shape),
                       reinterpret_cast<uint64_t>(strides), static_cast<uint64_t>(i)};
    uint64_t result = 0;
    status = reinterpret_cast<codegen::EntryFunction>(f.entry)(args, &result);
    double out;
    std::memcpy(&out, &result, sizeof out);
    return out;
  };
  int32_t status = 0;
  EXPECT_EQ(call(-1, status), 3.5);
  EXPECT_EQ(status, 0);
  call(3, status);
  EXPECT_EQ(status, 1);
  EXPECT_EQ(runtime::take_error().message, "index 3 is out of bounds for axis 0 with size 3");
}

namespace {

// def f(x): y = 0.0; for v in x: y += v; return y, compiled for float64[::1].
jit::CompiledFunction float_sum(const FastMath& fastmath) {
  Program p = program("f", {"x"},
                      block(assign("y", lit(0.0)), for_in("v", name("x"), block(aug("y", Operator::Add, name("v")))),
                            ret(name("y"))));
  p.at(0).options.fastmath = fastmath;
  return jit::compile(p, 0, {types::array(Kind::Float64, 1, types::Layout::C)});
}

double run_float_sum(const jit::CompiledFunction& f, std::vector<double>& data) {
  int64_t shape[] = {static_cast<int64_t>(data.size())};
  int64_t strides[] = {8};
  uint64_t args[] = {reinterpret_cast<uint64_t>(data.data()), reinterpret_cast<uint64_t>(shape),
                     reinterpret_cast<uint64_t>(strides)};
  uint64_t result = 0;
  EXPECT_EQ(reinterpret_cast<codegen::EntryFunction>(f.entry)(args, &result), 0);
  double out;
  std::memcpy(&out, &result, sizeof out);
  return out;
}

}  // namespace

TEST(Lowering, ReassocLetsAFloatSumVectorize) {
  std::vector<double> data(10007);
  double in_order = 0.0;
  for (size_t i = 0; i < data.size(); ++i) in_order += data[i] = 1.0 / static_cast<double>(i + 1);

  auto exact = float_sum(FastMath{});
  EXPECT_EQ(exact.optimized_ir.find("x double>"), std::string::npos) << "an exact float sum stays in order";
  EXPECT_EQ(run_float_sum(exact, data), in_order);  // the same additions in the same order

  FastMath reassoc;
  reassoc.reassoc = true;
  auto fast = float_sum(reassoc);
  EXPECT_NE(fast.optimized_ir.find("x double>"), std::string::npos) << fast.optimized_ir;
  EXPECT_NE(fast.optimized_ir.find("fadd reassoc <"), std::string::npos) << fast.optimized_ir;
  EXPECT_NEAR(run_float_sum(fast, data), in_order, 1e-12 * in_order);
}

TEST(Lowering, NumpyErrorModelDividesByZeroWithoutRaising) {
  // def f(a, b): return a // b * 1000 + a % b   with error_model="numpy": 0 and 0
  Program p = program("f", {"a", "b"},
                      block(ret(bin(Operator::Add,
                                    bin(Operator::Mult, bin(Operator::FloorDiv, name("a"), name("b")), lit(int64_t{1000})),
                                    bin(Operator::Mod, name("a"), name("b"))))));
  p.at(0).options.error_model = ErrorModel::NumPy;
  auto f = jit::compile(p, 0, {types::scalar(Kind::PyInt), types::scalar(Kind::PyInt)});
  int32_t status = 1;
  EXPECT_EQ(run_int(f, {7, 0}, &status), 0);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(run_int(f, {static_cast<uint64_t>(-7), 2}), -4 * 1000 + 1);  // other divisors: Python's floor
}
