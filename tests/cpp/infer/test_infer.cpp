// Inference on hand-built functions: variable unification, recursion, errors.
#include <gtest/gtest.h>

#include "../ast_builder.h"
#include "infer/inference.h"

using namespace accel;
using namespace accel::testing;
using types::Kind;

TEST(Infer, AccumulatorWidensToTheArrayElementType) {
  // def f(x): y = 0; for v in x: y += v; return y
  Program p = program("f", {"x"},
                      block(assign("y", lit(int64_t{0})),
                            for_in("v", name("x"), block(aug("y", Operator::Add, name("v")))),
                            ret(name("y"))));
  infer::Inference inference(p);
  auto& spec = inference.specialize(0, {types::array(Kind::Float32, 1, types::Layout::C)});
  EXPECT_EQ(spec.variables.at("y"), types::scalar(Kind::Float32));
  EXPECT_EQ(spec.variables.at("v"), types::scalar(Kind::Float32));
  EXPECT_EQ(spec.return_type, types::scalar(Kind::Float32));
}

TEST(Infer, VariableAssignedLaterInALoopGetsOneType) {
  // def f(n): s = 0; for i in range(n): s = s + 0.5; return s
  Program p = program("f", {"n"},
                      block(assign("s", lit(int64_t{0})),
                            for_in("i", call(name("range"), [] {
                                     std::vector<ExprPtr> a;
                                     a.push_back(name("n"));
                                     return a;
                                   }()),
                                   block(assign("s", bin(Operator::Add, name("s"), lit(0.5))))),
                            ret(name("s"))));
  infer::Inference inference(p);
  auto& spec = inference.specialize(0, {types::scalar(Kind::PyInt)});
  EXPECT_EQ(spec.variables.at("s"), types::scalar(Kind::PyFloat));
  EXPECT_EQ(spec.variables.at("i"), types::scalar(Kind::PyInt));
}

TEST(Infer, RecursionTakesItsTypeFromTheBaseCase) {
  // def f(n): if n < 2: return n  else: return f(n - 1) + f(n - 2)
  auto recurse = [](int64_t k) {
    std::vector<ExprPtr> a;
    a.push_back(bin(Operator::Sub, name("n"), lit(k)));
    return call(name("f"), std::move(a));
  };
  Program p = program("f", {"n"},
                      block(if_else(cmp(Operator::Lt, name("n"), lit(int64_t{2})), block(ret(name("n"))),
                                    block(ret(bin(Operator::Add, recurse(1), recurse(2)))))));
  GlobalValue self;
  self.kind = GlobalValue::Kind::Function;
  self.function_index = 0;
  p.at(0).globals["f"] = self;
  infer::Inference inference(p);
  auto& spec = inference.specialize(0, {types::scalar(Kind::Int32)});
  EXPECT_EQ(spec.return_type, types::scalar(Kind::Int32));
  EXPECT_TRUE(spec.recursive);
}

TEST(Infer, ConflictingVariableTypesFailWithTheVariableName) {
  // def f(x): y = x; y = (x, x)
  auto pair = expr(ExprKind::Tuple);
  pair->operands.push_back(name("x"));
  pair->operands.push_back(name("x"));
  Program p = program("f", {"x"}, block(assign("y", name("x")), assign("y", std::move(pair))));
  infer::Inference inference(p);
  try {
    inference.specialize(0, {types::scalar(Kind::PyInt)});
    FAIL() << "expected a CompileFailure";
  } catch (const CompileFailure& failure) {
    EXPECT_NE(failure.diagnostic().message.find("variable 'y'"), std::string::npos);
    EXPECT_EQ(failure.diagnostic().code, ErrorCode::TypeMismatch);
  }
}

TEST(Infer, UndefinedNameFails) {
  Program p = program("f", {}, block(ret(name("nowhere"))));
  infer::Inference inference(p);
  EXPECT_THROW(inference.specialize(0, {}), CompileFailure);
}
