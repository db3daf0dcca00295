#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "pool/pool_segment.h"
#include "pool/ring_buffer.h"

using namespace accel::pool;

namespace {
std::span<const std::byte> bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }
std::string text(std::span<const std::byte> b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

bool write(RingBuffer& ring, const std::string& s) {
  std::span<const std::byte> parts[] = {bytes(s)};
  return ring.try_write(parts);
}

std::string read(RingBuffer& ring) {
  auto frame = ring.peek();
  if (!frame) return "<empty>";
  std::string out = text(*frame);
  ring.pop();
  return out;
}

struct LocalRing {
  RingControl control;
  WakeSignal signal;
  std::vector<std::byte> data;
  RingBuffer ring;
  explicit LocalRing(std::size_t capacity) : data(capacity), ring(&control, data.data(), capacity, &signal) {}
};
}  // namespace

TEST(RingBuffer, KeepsMessagesInOrderAndJoinsParts) {
  LocalRing r(256);
  std::string a = "hello", b = " world";
  std::span<const std::byte> parts[] = {bytes(a), bytes(b)};
  ASSERT_TRUE(r.ring.try_write(parts));
  ASSERT_TRUE(write(r.ring, ""));
  ASSERT_TRUE(write(r.ring, "x"));
  EXPECT_EQ(read(r.ring), "hello world");
  EXPECT_EQ(read(r.ring), "");
  EXPECT_EQ(read(r.ring), "x");
  EXPECT_EQ(read(r.ring), "<empty>");
  EXPECT_TRUE(r.ring.empty());
}

TEST(RingBuffer, RefusesWhenFullAndAcceptsAfterPop) {
  LocalRing r(128);
  const std::string message(50, 'a');  // 8 + 56 = 64 bytes per frame
  ASSERT_TRUE(write(r.ring, message));
  ASSERT_TRUE(write(r.ring, message));
  EXPECT_FALSE(write(r.ring, message));
  EXPECT_EQ(read(r.ring), message);
  EXPECT_TRUE(write(r.ring, message));
}

TEST(RingBuffer, WrapsAroundWithVaryingSizesWithoutCorruption) {
  LocalRing r(256);
  std::vector<std::string> expected;
  std::size_t next_read = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string message(static_cast<std::size_t>((i * 37) % 100), static_cast<char>('a' + i % 26));
    message += std::to_string(i);
    while (!write(r.ring, message)) {
      ASSERT_LT(next_read, expected.size()) << "ring full while empty";
      EXPECT_EQ(read(r.ring), expected[next_read++]);
    }
    expected.push_back(message);
  }
  while (next_read < expected.size()) EXPECT_EQ(read(r.ring), expected[next_read++]);
  EXPECT_TRUE(r.ring.empty());
}

TEST(RingBuffer, RejectsMessagesLargerThanHalfTheRing) {
  LocalRing r(256);
  EXPECT_THROW(write(r.ring, std::string(r.ring.max_message_size() + 1, 'x')), std::length_error);
  EXPECT_TRUE(write(r.ring, std::string(r.ring.max_message_size(), 'x')));
}

TEST(RingBuffer, RejectsCapacitiesThatAreNotPowersOfTwo) {
  RingControl control;
  WakeSignal signal;
  std::vector<std::byte> data(300);
  EXPECT_THROW(RingBuffer(&control, data.data(), 300, &signal), std::invalid_argument);
}

TEST(RingBuffer, WaitReturnsFalseAfterTimeoutWhenNothingArrives) {
  LocalRing r(256);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(r.ring.wait_readable(std::chrono::milliseconds(20)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(15));
}

// A producer in another process, a consumer here, sleeping on the futex between bursts.
TEST(RingBuffer, CarriesMessagesBetweenProcesses) {
  PoolSegment segment = PoolSegment::create(1, 4096);
  constexpr int kMessages = 20000;
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RingBuffer ring = segment.result_ring(0);
    for (int i = 0; i < kMessages; ++i) {
      const std::string message = std::to_string(i);
      std::span<const std::byte> parts[] = {bytes(message)};
      while (!ring.try_write(parts)) ring.wait_writable(message.size(), std::chrono::milliseconds(100));
    }
    _exit(0);
  }
  RingBuffer ring = segment.result_ring(0);
  int received = 0;
  bool in_order = true;
  // A wake-up can be spurious (the producer's ring for a message already read), so only
  // a deadline ends the loop early.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (received < kMessages && std::chrono::steady_clock::now() < deadline) {
    ring.wait_readable(std::chrono::milliseconds(100));
    while (auto frame = ring.peek()) {
      in_order = in_order && text(*frame) == std::to_string(received);
      ring.pop();
      ++received;
    }
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(received, kMessages);
  EXPECT_TRUE(in_order);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// The producer may be a worker that went wrong: the consumer checks what it wrote.
TEST(RingBuffer, RefusesAFrameWhoseLengthWordGoesBeyondWhatWasWritten) {
  LocalRing local(256);
  ASSERT_TRUE(write(local.ring, "hello"));
  const uint64_t huge = uint64_t{1} << 40;
  std::memcpy(local.data.data(), &huge, sizeof huge);
  EXPECT_THROW(local.ring.peek(), CorruptChannel);
  const uint64_t past_written = 64;  // fits the ring, but only 16 bytes were written
  std::memcpy(local.data.data(), &past_written, sizeof past_written);
  EXPECT_THROW(local.ring.peek(), CorruptChannel);
}

TEST(RingBuffer, RefusesAWritePositionBeyondTheRing) {
  LocalRing local(256);
  ASSERT_TRUE(write(local.ring, "hello"));
  local.control.written.fetch_add(uint64_t{1} << 30);
  EXPECT_THROW(local.ring.peek(), CorruptChannel);
}

TEST(RingBuffer, RefusesAWrapMarkerWithNothingWrittenAfterIt) {
  LocalRing local(256);
  ASSERT_TRUE(write(local.ring, "hello"));
  const uint64_t wrap = ~uint64_t{0};
  std::memcpy(local.data.data(), &wrap, sizeof wrap);  // skips the whole ring: 256 > 16 written
  EXPECT_THROW(local.ring.peek(), CorruptChannel);
}
