#pragma once
// Transport over one PoolSegment: a task ring and a result ring per worker, out-of-band
// buffers in named /dev/shm segments that the receiver unlinks on arrival.
#include <memory>
#include <string>
#include <vector>

#include "pool/channel.h"
#include "pool/pool_segment.h"
#include "pool/segment_cache.h"
#include "pool/transport.h"

namespace accel::pool {

class SharedMemoryTransport final : public Transport {
 public:
  /// `segment_prefix` names every segment of this pool, e.g. "/accel.1234.1."; the
  /// pool's own end uses "<prefix>p.", worker w's "<prefix>w<w>.<pid>.".
  SharedMemoryTransport(std::size_t workers, std::size_t ring_capacity, std::string segment_prefix);

  /// The memfd every worker inherits.
  int segment_fd() const { return segment_.fd(); }
  const std::string& segment_prefix() const { return prefix_; }

  std::size_t worker_count() const override { return segment_.slot_count(); }
  StagedBuffer stage(std::span<const std::byte> bytes) override;
  void prepare(OutgoingMessage& message) override;
  bool try_send(std::size_t worker, const OutgoingMessage& message) override;
  void flush() override;
  void discard(const OutgoingMessage& message) override;
  void take_back(const OutgoingMessage& message) override;
  std::optional<IncomingMessage> try_receive(std::size_t worker) override;
  uint32_t activity_snapshot() override;
  void wait_for_messages(uint32_t seen, std::chrono::nanoseconds timeout) override;
  void wake() override;
  std::size_t staged_bytes_in_use() const override { return segments_.bytes_in_use(); }
  void send_returns(std::size_t worker) override;
  int64_t current_item(std::size_t worker) override;
  void reset_worker(std::size_t worker) override;
  void release_leftovers() override;
  void release_leftovers_of(std::size_t worker, int64_t worker_id) override;

 private:
  PoolSegment segment_;
  std::string prefix_;
  SegmentCache segments_;
  // Per worker: names of its segments whose leases died here; replaced when it restarts.
  std::vector<std::shared_ptr<ReturnQueue>> returns_;
  std::vector<bool> unnotified_;  // sent to since the last flush
};

}  // namespace accel::pool
