#pragma once
// Recycling of out-of-band buffer segments. A fresh shared-memory page costs a fault
// and a zero-fill on first touch (about 20 ms per 8 MB on the project machine, ten
// times the copy itself), so segments are reused: the creator keeps its mapping and,
// once the receiver says it is done with one (a ReturnBuffers message), copies the next
// buffer into it; the receiver keeps its mapping of that name too. A transfer of a
// recycled segment is one memcpy into pages both sides have mapped already.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "pool/channel.h"

namespace accel::pool {

/// Names of a peer's segments this process is done with, waiting to be sent back.
/// Filled from any thread (a NumPy array can die anywhere), drained by the channel owner.
class ReturnQueue {
 public:
  void push(std::string name);
  std::vector<std::string> take();

 private:
  std::mutex mutex_;
  std::vector<std::string> names_;
};

/// A received buffer: `size` bytes at the start of a mapped segment. When the last
/// reference goes, the segment's name is queued for return to its creator.
class BufferLease {
 public:
  BufferLease(std::shared_ptr<MappedRegion> region, std::size_t size, std::string name,
              std::weak_ptr<ReturnQueue> returns);
  ~BufferLease();
  BufferLease(const BufferLease&) = delete;
  BufferLease& operator=(const BufferLease&) = delete;

  std::byte* data() const { return region_->data(); }
  std::size_t size() const { return size_; }

  /// A lease on a copy of this buffer's bytes in this process's own memory
  /// (private_memory.h), tied to no segment: once the original lease dies, its segment
  /// goes back to its creator at once.
  std::shared_ptr<BufferLease> private_copy() const;

 private:
  std::shared_ptr<MappedRegion> region_;
  std::size_t size_;
  std::string name_;
  std::weak_ptr<ReturnQueue> returns_;
};

/// The segments one process created (to reuse once returned) and the peers' segments it
/// has mapped (to reuse when a name comes again). Used by one thread.
class SegmentCache {
 public:
  /// `prefix` names this process's segments, e.g. "/accel.1234.0.p.".
  explicit SegmentCache(std::string prefix, std::size_t max_idle_bytes = std::size_t{256} << 20,
                        std::size_t max_mapped_bytes = std::size_t{256} << 20);
  ~SegmentCache();
  SegmentCache(const SegmentCache&) = delete;
  SegmentCache& operator=(const SegmentCache&) = delete;

  /// Copies `bytes` into a segment of ours: an idle one that fits, or a new one.
  StagedBuffer stage(std::span<const std::byte> bytes);
  /// The peer is done with our segment `name`: it becomes idle (or is removed when the
  /// idle ones exceed the budget).
  void returned(const std::string& name);
  /// Our segment `name` will never come back (its message was dropped): remove it.
  void forget(const std::string& name);
  /// Our segment `name` went to peer `peer` (a worker's slot), which holds it until it
  /// returns it; kHeldHere: it is ours again (its message waits to be sent again).
  void lent(const std::string& name, int peer);
  static constexpr int kHeldHere = -1;
  /// Peer `peer` is gone, and with it its mappings: every segment of ours it held
  /// becomes idle again. Returns how many did.
  std::size_t reclaim_lent_to(int peer);
  /// Maps the peer's segment `ref` (reusing an earlier mapping of the same name). Throws
  /// CorruptChannel if the segment is smaller than `ref` claims.
  std::shared_ptr<BufferLease> lease(const BufferRef& ref, std::weak_ptr<ReturnQueue> returns);
  /// Drops the mappings kept for reuse of the segments whose names start with `prefix`
  /// (a dead peer's: they will not come again). Live leases keep theirs.
  void drop_mappings_with_prefix(const std::string& prefix);
  /// Removes all our segments and drops every mapping held for reuse.
  void clear();

  /// Whether stage(`size` bytes) would reuse an idle segment; and whether one that
  /// would fit is out with the peer (it may come back soon).
  bool idle_fits(std::size_t size) const;
  bool lent_fits(std::size_t size) const;

  const std::string& prefix() const { return namer_.prefix(); }
  std::size_t owned_count() const { return owned_.size(); }
  std::size_t mapped_count() const { return mapped_.size(); }
  std::size_t idle_count() const;
  /// Bytes of our segments handed out and not returned yet.
  std::size_t bytes_in_use() const;

 private:
  struct Owned {
    MappedRegion region;
    bool idle = false;
    int holder = kHeldHere;
    uint64_t last_use = 0;
  };
  struct Mapped {
    std::shared_ptr<MappedRegion> region;
    uint64_t last_use = 0;
  };
  void trim_idle();
  void trim_mapped();
  /// The name of the smallest segment, idle or not, that fits `size` (capacity within
  /// 1-2x of what it needs); empty if none does.
  std::string best_fit(std::size_t size, bool idle) const;

  SegmentNamer namer_;
  std::size_t max_idle_bytes_;
  std::size_t max_mapped_bytes_;
  std::map<std::string, Owned> owned_;
  std::map<std::string, Mapped> mapped_;
  uint64_t clock_ = 0;
};

}  // namespace accel::pool
