#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "pool/channel.h"
#include "pool/pool_segment.h"
#include "pool/private_memory.h"
#include "pool/segment_cache.h"

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

// Two ends of one ring, each with its own cache, as a pool and a worker have.
struct Ends {
  PoolSegment segment;
  RingBuffer ring;
  SegmentCache sender{test_prefix() + "s."};
  SegmentCache receiver{test_prefix() + "r."};
  std::shared_ptr<ReturnQueue> returns = std::make_shared<ReturnQueue>();
  explicit Ends(std::size_t capacity)
      : segment(PoolSegment::create(1, capacity)), ring(segment.task_ring(0)) {}
  IncomingMessage receive() {
    auto frame = ring.peek();
    if (!frame) throw std::runtime_error("nothing to receive");
    IncomingMessage message = read_message(*frame, receiver, returns);
    ring.pop();
    return message;
  }
};

TEST(Channel, CarriesHeaderPayloadAndOutOfBandBuffers) {
  Ends ends(1 << 16);
  const auto big = pattern(300'000, 1);
  OutgoingMessage message = task(pattern(100, 2));
  message.buffers.push_back(ends.sender.stage(big));
  ASSERT_TRUE(try_write_message(ends.ring, message));

  IncomingMessage received = ends.receive();
  EXPECT_EQ(received.header.task_id, 42u);
  EXPECT_EQ(received.header.first_item, 10u);
  EXPECT_EQ(received.payload, pattern(100, 2));
  ASSERT_EQ(received.buffers.size(), 1u);
  ASSERT_EQ(received.buffers[0]->size(), big.size());
  EXPECT_EQ(std::memcmp(received.buffers[0]->data(), big.data(), big.size()), 0);
}

TEST(Channel, ReturnedSegmentsAreReusedWithoutNewSegments) {
  Ends ends(1 << 16);
  for (int round = 0; round < 5; ++round) {
    const auto big = pattern(200'000, round);
    OutgoingMessage message = task({});
    message.buffers.push_back(ends.sender.stage(big));
    ASSERT_TRUE(try_write_message(ends.ring, message));
    {
      IncomingMessage received = ends.receive();
      ASSERT_EQ(received.buffers.size(), 1u);
      EXPECT_EQ(std::memcmp(received.buffers[0]->data(), big.data(), big.size()), 0) << round;
      EXPECT_TRUE(ends.returns->take().empty());  // still leased
    }
    // The lease died: its name goes back to the sender, which may reuse the segment.
    auto names = ends.returns->take();
    ASSERT_EQ(names.size(), 1u);
    auto returned = make_return_message(names);
    ASSERT_TRUE(returned);
    ASSERT_TRUE(try_write_message(ends.ring, *returned));
    auto frame = ends.ring.peek();
    EXPECT_GE(ends.sender.bytes_in_use(), big.size());  // out until it comes back
    read_message(*frame, ends.sender, ends.returns);
    ends.ring.pop();
    EXPECT_EQ(ends.sender.owned_count(), 1u);
    EXPECT_EQ(ends.sender.idle_count(), 1u);
    EXPECT_EQ(ends.sender.bytes_in_use(), 0u);
  }
  EXPECT_EQ(segments_with_prefix(ends.sender.prefix()), 1);
  ends.sender.clear();
  EXPECT_EQ(segments_with_prefix(test_prefix()), 0);
}

TEST(Channel, ALeaseOutlivesItsCacheAndKeepsItsBytes) {
  std::shared_ptr<BufferLease> kept;
  const auto big = pattern(100'000, 9);
  {
    Ends ends(1 << 16);
    OutgoingMessage message = task({});
    message.buffers.push_back(ends.sender.stage(big));
    ASSERT_TRUE(try_write_message(ends.ring, message));
    kept = ends.receive().buffers.at(0);
  }
  EXPECT_EQ(segments_with_prefix(test_prefix()), 0);  // names gone with the caches
  EXPECT_EQ(std::memcmp(kept->data(), big.data(), big.size()), 0);  // memory not
}

TEST(Channel, SpillsPayloadsTooLargeForTheRing) {
  Ends ends(1 << 12);
  const auto payload = pattern(50'000, 3);
  OutgoingMessage message = task(payload);
  spill_large_payload(message, ends.sender, max_inline_payload(ends.ring));
  EXPECT_TRUE(message.header.flags & kPayloadInBuffer);
  ASSERT_TRUE(try_write_message(ends.ring, message));
  IncomingMessage received = ends.receive();
  EXPECT_EQ(received.payload, payload);
  EXPECT_TRUE(received.buffers.empty());
  EXPECT_EQ(ends.returns->take().size(), 1u);  // the spilled payload's segment, at once
}

TEST(Channel, DiscardingUnreadMessagesRemovesTheirSegments) {
  Ends ends(1 << 16);
  SegmentNamer namer(test_prefix() + "once.");
  OutgoingMessage message = task({});
  message.buffers.push_back(stage_in_segment(namer, pattern(1000, 4)));
  ASSERT_TRUE(try_write_message(ends.ring, message));
  discard_unread_messages(ends.ring);
  EXPECT_TRUE(ends.ring.empty());
  EXPECT_EQ(segments_with_prefix(namer.prefix()), 0);
}

TEST(Channel, ReadingAMessageWhoseSegmentVanishedThrows) {
  Ends ends(1 << 16);
  OutgoingMessage message = task({});
  message.buffers.push_back(ends.sender.stage(pattern(1000, 5)));
  discard_segments(message, ends.sender);
  ASSERT_TRUE(try_write_message(ends.ring, message));
  EXPECT_THROW(ends.receive(), std::system_error);
}

// A worker's BufferRef is checked against the segment it names: mapping more than the
// segment holds would make the first read past its end a SIGBUS in the pool.
TEST(Channel, ALeaseClaimingMoreThanItsSegmentHoldsIsRefused) {
  SegmentNamer namer(test_prefix() + "short.");
  StagedBuffer staged = stage_in_segment(namer, pattern(4096, 6));
  BufferRef ref;
  ref.size = 1 << 20;
  ref.capacity = 1 << 20;
  std::memcpy(ref.location, staged.location.data(), staged.location.size());
  SegmentCache receiver(test_prefix() + "r.");
  EXPECT_THROW(receiver.lease(ref, {}), CorruptChannel);
  remove_named_segment(staged.location);
}

TEST(Channel, DroppingAPeersMappingsKeepsLiveLeasesValid) {
  SegmentCache sender(test_prefix() + "peer.");
  SegmentCache receiver(test_prefix() + "r.");
  const auto data = pattern(1 << 16, 8);
  StagedBuffer first = sender.stage(data);
  StagedBuffer second = sender.stage(data);
  BufferRef ref;
  ref.size = first.size;
  ref.capacity = first.capacity;
  std::memcpy(ref.location, first.location.data(), first.location.size());
  auto kept = receiver.lease(ref, {});
  std::memcpy(ref.location, second.location.data(), second.location.size());
  receiver.lease(ref, {});
  EXPECT_EQ(receiver.mapped_count(), 2u);
  receiver.drop_mappings_with_prefix(sender.prefix());
  EXPECT_EQ(receiver.mapped_count(), 0u);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), kept->data()));
}

TEST(PrivateMemory, ARegionWhoseBufferDiedCarriesTheNextOne) {
  const std::size_t size = (std::size_t{4} << 20) + 123;
  const std::byte* first;
  {
    auto region = acquire_private_memory(size);
    ASSERT_GE(region->size(), size);
    first = region->data();
    std::memset(region->data(), 1, size);
  }
  EXPECT_GE(idle_private_memory(), size);
  auto again = acquire_private_memory(size);
  EXPECT_EQ(again->data(), first);
  auto other = acquire_private_memory(size);  // the idle one is taken: fresh memory
  EXPECT_NE(other->data(), first);
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
