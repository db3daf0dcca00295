// fastmath flag names and how callees inherit fastmath and error_model.
#include <gtest/gtest.h>

#include "frontend/program.h"

using namespace accel::frontend;

TEST(FastMath, NamesAreNumbasAndFastMeansAll) {
  FastMath f;
  EXPECT_FALSE(f.any());
  EXPECT_TRUE(f.enable("reassoc"));
  EXPECT_TRUE(f.reassoc);
  EXPECT_FALSE(f.nnan);
  EXPECT_FALSE(f.enable("bogus"));
  FastMath all;
  EXPECT_TRUE(all.enable("fast"));
  EXPECT_TRUE(all.nnan && all.ninf && all.nsz && all.arcp && all.contract && all.afn && all.reassoc);
}

namespace {

// Function `from` names function `to` as a global, as a call to it would.
void calls(Program& p, size_t from, int to) {
  GlobalValue g;
  g.kind = GlobalValue::Kind::Function;
  g.function_index = to;
  p.functions[from].globals["f" + std::to_string(to)] = g;
}

}  // namespace

TEST(InheritOptions, UnsetOptionsComeFromTheCallerSetOnesStay) {
  // 0 (fastmath, numpy) calls 1 (inherits both) and 2 (sets both); 1 calls 3 (inherits),
  // 2 calls 4 (inherits): each takes its own caller's.
  Program p;
  p.functions.resize(5);
  p.functions[0].options.fastmath.enable("fast");
  p.functions[0].options.error_model = ErrorModel::NumPy;
  for (size_t i : {1, 3, 4}) p.functions[i].options.inherits_fastmath = p.functions[i].options.inherits_error_model = true;
  p.functions[2].options.fastmath.enable("nsz");
  calls(p, 0, 1);
  calls(p, 0, 2);
  calls(p, 1, 3);
  calls(p, 2, 4);
  inherit_options(p, 0);
  for (size_t i : {1, 3}) {
    EXPECT_TRUE(p.functions[i].options.fastmath.reassoc) << i;
    EXPECT_EQ(p.functions[i].options.error_model, ErrorModel::NumPy) << i;
  }
  for (size_t i : {2, 4}) {
    EXPECT_TRUE(p.functions[i].options.fastmath.nsz) << i;
    EXPECT_FALSE(p.functions[i].options.fastmath.reassoc) << i;
    EXPECT_EQ(p.functions[i].options.error_model, ErrorModel::Python) << i;
  }
}

TEST(InheritOptions, TheRootKeepsItsOwnAndRecursionEnds) {
  Program p;
  p.functions.resize(2);
  p.functions[0].options.inherits_fastmath = true;  // root: nothing to inherit from
  p.functions[1].options.fastmath.enable("afn");
  p.functions[1].options.inherits_error_model = true;
  calls(p, 0, 1);
  calls(p, 1, 0);  // mutual recursion
  calls(p, 1, 1);
  inherit_options(p, 0);
  EXPECT_FALSE(p.functions[0].options.fastmath.any());
  EXPECT_TRUE(p.functions[1].options.fastmath.afn);
  EXPECT_EQ(p.functions[1].options.error_model, ErrorModel::Python);
}
