// fastmath flag names, as numba spells them.
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
