#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "pool/channel.h"
#include "pool/pool_segment.h"

using namespace accel::pool;

namespace {
std::string test_prefix() { return "/accel-test." + std::to_string(::getpid()) + "."; }

int segments_with_prefix(const std::string& prefix) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm"))
    if (entry.path().filename().string().starts_with(prefix.substr(1))) ++count;
  return count;
}

std::vector<std::byte> pattern(std::size_t size, int seed) {
  std::vector<std::byte> data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::byte>((i * 131 + static_cast<std::size_t>(seed)) & 0xff);
  return data;
}

OutgoingMessage task(std::vector<std::byte> payload) {
  OutgoingMessage message;
  message.header.kind = static_cast<uint32_t>(MessageKind::Task);
  message.header.job_id = 7;
  message.header.task_id = 42;
  message.header.first_item = 10;
  message.header.item_count = 3;
  message.payload = std::move(payload);
  return message;
}
}  // namespace

TEST(Message, DecodeRejectsTruncatedFrames) {
  std::byte junk[10] = {};
  EXPECT_FALSE(decode(std::span<const std::byte>(junk, sizeof junk)));
}

TEST(Channel, CarriesHeaderPayloadAndOutOfBandBuffers) {
  PoolSegment segment = PoolSegment::create(1, 1 << 16);
  RingBuffer ring = segment.task_ring(0);
  SegmentNamer namer(test_prefix());
  const auto big = pattern(300'000, 1);
  OutgoingMessage message = task(pattern(100, 2));
  message.buffers.push_back(stage_in_segment(namer, big));
  ASSERT_TRUE(try_write_message(ring, message));
  EXPECT_EQ(segments_with_prefix(namer.prefix()), 1);

  auto frame = ring.peek();
  ASSERT_TRUE(frame);
  IncomingMessage received = read_message(*frame);
  ring.pop();
  EXPECT_EQ(received.header.task_id, 42u);
  EXPECT_EQ(received.header.first_item, 10u);
  EXPECT_EQ(received.payload, pattern(100, 2));
  ASSERT_EQ(received.buffers.size(), 1u);
  ASSERT_EQ(received.buffers[0]->size(), big.size());
  EXPECT_EQ(std::memcmp(received.buffers[0]->data(), big.data(), big.size()), 0);
  // The receiver owns the memory alone: the name is gone already.
  EXPECT_EQ(segments_with_prefix(namer.prefix()), 0);
}

TEST(Channel, SpillsPayloadsTooLargeForTheRing) {
  PoolSegment segment = PoolSegment::create(1, 1 << 12);
  RingBuffer ring = segment.task_ring(0);
  SegmentNamer namer(test_prefix());
  const auto payload = pattern(50'000, 3);
  OutgoingMessage message = task(payload);
  spill_large_payload(message, namer, max_inline_payload(ring));
  EXPECT_TRUE(message.header.flags & kPayloadInBuffer);
  ASSERT_TRUE(try_write_message(ring, message));
  IncomingMessage received = read_message(*ring.peek());
  ring.pop();
  EXPECT_EQ(received.payload, payload);
  EXPECT_TRUE(received.buffers.empty());
  EXPECT_EQ(segments_with_prefix(namer.prefix()), 0);
}

TEST(Channel, DiscardingUnreadMessagesRemovesTheirSegments) {
  PoolSegment segment = PoolSegment::create(1, 1 << 16);
  RingBuffer ring = segment.task_ring(0);
  SegmentNamer namer(test_prefix());
  OutgoingMessage message = task({});
  message.buffers.push_back(stage_in_segment(namer, pattern(1000, 4)));
  ASSERT_TRUE(try_write_message(ring, message));
  discard_unread_messages(ring);
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(segments_with_prefix(namer.prefix()), 0);
}

TEST(Channel, ReadingAMessageWhoseSegmentVanishedThrows) {
  PoolSegment segment = PoolSegment::create(1, 1 << 16);
  RingBuffer ring = segment.task_ring(0);
  SegmentNamer namer(test_prefix());
  OutgoingMessage message = task({});
  message.buffers.push_back(stage_in_segment(namer, pattern(1000, 5)));
  discard_segments(message);
  ASSERT_TRUE(try_write_message(ring, message));
  EXPECT_THROW(read_message(*ring.peek()), std::system_error);
}

TEST(SharedMemory, PrefixSweepRemovesOnlyMatchingSegments) {
  SegmentNamer mine(test_prefix() + "mine.");
  SegmentNamer other(test_prefix() + "other.");
  stage_in_segment(mine, pattern(10, 0));
  stage_in_segment(mine, pattern(10, 0));
  StagedBuffer kept = stage_in_segment(other, pattern(10, 0));
  EXPECT_EQ(remove_named_segments_with_prefix(mine.prefix().substr(1)), 2);
  EXPECT_EQ(segments_with_prefix(other.prefix()), 1);
  remove_named_segment(kept.location);
  EXPECT_EQ(segments_with_prefix(test_prefix()), 0);
}
