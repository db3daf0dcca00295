#include <gtest/gtest.h>

#include "pool/chunk_sizer.h"

using accel::pool::ChunkSizer;

TEST(ChunkSizer, StartsSmallUntilSomethingWasMeasured) {
  ChunkSizer sizer;
  EXPECT_EQ(sizer.suggest(8, 2), 1u);      // a few long items: one by one
  EXPECT_EQ(sizer.suggest(1000, 2), 31u);  // 1/32 of the job per chunk
  EXPECT_EQ(sizer.suggest(1'000'000, 2), ChunkSizer::kFirstChunkMax);
  EXPECT_EQ(sizer.suggest(ChunkSizer::kUnknownRemaining, 2), 1u);
  EXPECT_EQ(sizer.suggest(0, 2), 0u);
}

TEST(ChunkSizer, BatchesTinyTasksButKeepsTheTailBalanced) {
  ChunkSizer sizer;
  sizer.record(/*duration_ns=*/1000, /*items=*/1);  // 1 us per item
  EXPECT_EQ(sizer.suggest(1'000'000, 2), 2000u);    // ~2 ms of work
  EXPECT_EQ(sizer.suggest(4000, 2), 500u);          // 4 chunks per worker for the rest
  EXPECT_EQ(sizer.suggest(800, 2), 200u);           // but at least 0.2 ms of work
  EXPECT_EQ(sizer.suggest(3, 2), 3u);
}

TEST(ChunkSizer, SendsLongTasksOneByOne) {
  ChunkSizer sizer;
  sizer.record(500'000'000, 1);
  EXPECT_EQ(sizer.suggest(1000, 2), 1u);
}

TEST(ChunkSizer, FollowsAChangeInTaskCost) {
  ChunkSizer sizer;
  sizer.record(1000, 1);
  for (int i = 0; i < 20; ++i) sizer.record(1'000'000, 1);
  EXPECT_EQ(sizer.suggest(1'000'000, 2), 2u);
}
