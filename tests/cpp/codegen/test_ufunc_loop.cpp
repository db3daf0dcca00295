// NumPy's inner loop around a compiled kernel (codegen/ufunc_loop.h), called on C arrays
// the way NumPy calls it: no Python, no NumPy.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "../ast_builder.h"
#include "jit/compiler.h"
#include "runtime/abi.h"

using namespace accel;
using namespace accel::testing;
using types::Kind;

namespace {

codegen::UFuncOperand number(Kind dtype) {
  codegen::UFuncOperand op;
  op.dtype = dtype;
  return op;
}

// An elementwise loop: these inputs, and the output dtype (None: what the kernel returns).
codegen::UFuncLoopLayout elementwise(std::vector<Kind> inputs, Kind output = Kind::None) {
  codegen::UFuncLoopLayout layout;
  for (Kind k : inputs) layout.operands.push_back(number(k));
  layout.operands.push_back(number(output));
  layout.nin = static_cast<int>(inputs.size());
  return layout;
}

int32_t run(const jit::CompiledUFuncLoop& loop, std::vector<void*> args, std::vector<intptr_t> dimensions,
            std::vector<intptr_t> steps) {
  auto fn = reinterpret_cast<codegen::UFuncLoopFunction>(loop.code.entry);
  return fn(reinterpret_cast<char**>(args.data()), dimensions.data(), steps.data(), nullptr);
}

// def f(a, b): return a * b + 1.0
Program multiply_add() {
  return program("f", {"a", "b"}, block(ret(bin(Operator::Add, bin(Operator::Mult, name("a"), name("b")), lit(1.0)))));
}

}  // namespace

TEST(UFuncLoop, ElementwiseLoopTakesContiguousStridedAndBroadcastOperands) {
  auto loop = jit::compile_ufunc_loop(multiply_add(), 0, elementwise({Kind::Float64, Kind::Float64}));
  ASSERT_EQ(loop.layout.operands.back().dtype, Kind::Float64);  // inferred from the kernel
  std::vector<double> a(101), b(202), out(101, -1.0);
  for (size_t i = 0; i < a.size(); ++i) a[i] = 0.5 * static_cast<double>(i);
  for (size_t i = 0; i < b.size(); ++i) b[i] = 3.0 - static_cast<double>(i);
  const intptr_t n = static_cast<intptr_t>(a.size());

  ASSERT_EQ(run(loop, {a.data(), b.data(), out.data()}, {n}, {8, 8, 8}), 0);  // contiguous
  for (size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(out[i], a[i] * b[i] + 1.0) << i;

  ASSERT_EQ(run(loop, {a.data(), b.data(), out.data()}, {n}, {8, 16, 8}), 0);  // b strided
  for (size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(out[i], a[i] * b[2 * i] + 1.0) << i;

  ASSERT_EQ(run(loop, {a.data(), b.data(), out.data()}, {n}, {8, 0, 8}), 0);  // b broadcast
  for (size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(out[i], a[i] * b[0] + 1.0) << i;

  ASSERT_EQ(run(loop, {b.data(), a.data(), out.data()}, {n}, {0, 8, 8}), 0);  // the first broadcast
  for (size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(out[i], b[0] * a[i] + 1.0) << i;

  // A reduction: NumPy passes the accumulator as the first input and the output, step 0.
  double sum = 0.0;
  ASSERT_EQ(run(loop, {&sum, a.data(), &sum}, {4}, {0, 8, 0}), 0);
  double expected = 0.0;
  for (int i = 0; i < 4; ++i) expected = expected * a[static_cast<size_t>(i)] + 1.0;
  EXPECT_DOUBLE_EQ(sum, expected);

  out.assign(out.size(), -1.0);
  ASSERT_EQ(run(loop, {a.data(), b.data(), out.data()}, {0}, {8, 8, 8}), 0);  // nothing to do
  EXPECT_EQ(out[0], -1.0);
}

TEST(UFuncLoop, ContiguousVersionIsVectorized) {
  auto loop = jit::compile_ufunc_loop(multiply_add(), 0, elementwise({Kind::Float64, Kind::Float64}));
  EXPECT_NE(loop.code.optimized_ir.find(" x double>"), std::string::npos)
      << "the kernel should be inlined into a loop LLVM vectorizes";
  // Only the loop is exported: the kernel is inlined and internal.
  EXPECT_NE(loop.code.entry_name.find(".ufunc_loop"), std::string::npos) << loop.code.entry_name;
}

TEST(UFuncLoop, OutputIsCastToTheDeclaredDtype) {
  // int64 inputs, a float64 output declared: the kernel's int64 result converts.
  Program p = program("f", {"a", "b"}, block(ret(bin(Operator::Add, name("a"), name("b")))));
  auto loop = jit::compile_ufunc_loop(p, 0, elementwise({Kind::Int64, Kind::Int64}, Kind::Float64));
  std::vector<int64_t> a = {1, -2, 3}, b = {10, 20, -30};
  std::vector<double> out(3);
  ASSERT_EQ(run(loop, {a.data(), b.data(), out.data()}, {3}, {8, 8, 8}), 0);
  EXPECT_EQ(out, (std::vector<double>{11.0, 18.0, -27.0}));

  // bool elements are one byte each way.
  Program less = program("f", {"a", "b"}, block(ret(cmp(Operator::Lt, name("a"), name("b")))));
  auto compare = jit::compile_ufunc_loop(less, 0, elementwise({Kind::Float32, Kind::Float32}));
  EXPECT_EQ(compare.layout.operands.back().dtype, Kind::Bool);
  std::vector<float> x = {1.f, 5.f, 2.f}, y = {2.f, 4.f, 2.f};
  std::vector<uint8_t> flags(3, 7);
  ASSERT_EQ(run(compare, {x.data(), y.data(), flags.data()}, {3}, {4, 4, 1}), 0);
  EXPECT_EQ(flags, (std::vector<uint8_t>{1, 0, 0}));
}

TEST(UFuncLoop, KernelErrorStopsTheLoopWithItsError) {
  Program p = program("f", {"a", "b"}, block(ret(bin(Operator::FloorDiv, name("a"), name("b")))));
  auto loop = jit::compile_ufunc_loop(p, 0, elementwise({Kind::Int64, Kind::Int64}));
  std::vector<int64_t> a = {7, 8, 9, 10}, b = {2, 4, 0, 5}, out(4, -1);
  EXPECT_EQ(run(loop, {a.data(), b.data(), out.data()}, {4}, {8, 8, 8}), 1);
  EXPECT_EQ(out, (std::vector<int64_t>{3, 2, -1, -1}));  // written up to the failing element
  auto error = runtime::take_error();
  EXPECT_EQ(error.kind, ACCEL_ERROR_ZERO_DIVISION);
  EXPECT_EQ(error.message, "integer division or modulo by zero");
  b[2] = 3;
  EXPECT_EQ(run(loop, {a.data(), b.data(), out.data()}, {4}, {8, 8, 8}), 0);
  EXPECT_EQ(out, (std::vector<int64_t>{3, 2, 3, 2}));
}

TEST(UFuncLoop, GeneralizedLoopHandsTheKernelCoreArrays) {
  // "(n)->()": def f(x, out): s = 0.0; for v in x: s += v; out[0] = s
  auto store = stmt(StmtKind::Assign);
  store->targets.push_back(index(name("out"), lit(int64_t{0})));
  store->value = name("s");
  Program p = program("f", {"x", "out"},
                      block(assign("s", lit(0.0)), for_in("v", name("x"), block(aug("s", Operator::Add, name("v")))),
                            std::move(store)));
  codegen::UFuncLoopLayout layout;
  layout.generalized = true;
  layout.nin = 1;
  codegen::UFuncOperand x = number(Kind::Float64);
  x.core_dims = {0};
  x.as_array = true;
  x.readonly = true;
  codegen::UFuncOperand out = number(Kind::Float64);
  out.as_array = true;  // "()" output: a one-element array
  layout.operands = {x, out};
  auto loop = jit::compile_ufunc_loop(p, 0, layout);

  // Two rows of three; then one row whose elements are every other double (a strided view).
  std::vector<double> data = {1, 2, 3, 0, 0, 0, 10, -1, 20, -1, 30, -1};
  std::vector<double> totals(2, -1.0);
  // dimensions: outer count, n; steps: outer x, outer out, core x.
  ASSERT_EQ(run(loop, {data.data(), totals.data()}, {2, 3}, {24, 8, 8}), 0);
  EXPECT_EQ(totals, (std::vector<double>{6.0, 0.0}));
  ASSERT_EQ(run(loop, {data.data() + 6, totals.data()}, {1, 3}, {0, 8, 16}), 0);
  EXPECT_EQ(totals[0], 60.0);
}

TEST(UFuncLoop, KernelThatDoesNotFitTheLoopIsACompileError) {
  // An elementwise kernel returns a number; a gufunc kernel returns nothing.
  Program returns_nothing = program("f", {"a"}, block(assign("b", name("a"))));
  EXPECT_THROW(jit::compile_ufunc_loop(returns_nothing, 0, elementwise({Kind::Float64})), frontend::CompileFailure);

  codegen::UFuncLoopLayout layout;
  layout.generalized = true;
  layout.nin = 1;
  codegen::UFuncOperand x = number(Kind::Float64);
  codegen::UFuncOperand out = number(Kind::Float64);
  out.as_array = true;
  layout.operands = {x, out};
  Program returns_value = program("f", {"x", "out"}, block(ret(name("x"))));
  EXPECT_THROW(jit::compile_ufunc_loop(returns_value, 0, layout), frontend::CompileFailure);

  // Parameters must match the operands.
  EXPECT_THROW(jit::compile_ufunc_loop(multiply_add(), 0, elementwise({Kind::Float64})), frontend::CompileFailure);
}
