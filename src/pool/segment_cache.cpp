#include "pool/segment_cache.h"

#include "pool/private_memory.h"

#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace accel::pool {

namespace {
constexpr std::size_t kGranule = std::size_t{1} << 16;

std::size_t capacity_for(std::size_t size) { return (size + kGranule - 1) / kGranule * kGranule; }

MappedRegion create_segment(const std::string& name, std::size_t capacity) {
  int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "shm_open(" + name + ")");
  try {
    if (::ftruncate(fd, static_cast<off_t>(capacity)) != 0)
      throw std::system_error(errno, std::generic_category(), "ftruncate(" + name + ")");
    MappedRegion region(fd, capacity, /*populate=*/true);
    ::close(fd);
    return region;
  } catch (...) {
    ::close(fd);
    ::shm_unlink(name.c_str());
    throw;
  }
}

MappedRegion open_segment(const std::string& name, std::size_t capacity) {
  int fd = ::shm_open(name.c_str(), O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "shm_open(" + name + ")");
  try {
    // Pages mapped past the end of the file would fault with SIGBUS when read.
    struct stat info{};
    if (::fstat(fd, &info) != 0) throw std::system_error(errno, std::generic_category(), "fstat(" + name + ")");
    if (static_cast<uint64_t>(info.st_size) < capacity)
      throw CorruptChannel("corrupt pool channel: a buffer claims " + std::to_string(capacity) + " bytes of " + name +
                           ", which holds " + std::to_string(info.st_size));
    MappedRegion region(fd, capacity, /*populate=*/true);
    ::close(fd);
    return region;
  } catch (...) {
    ::close(fd);
    throw;
  }
}
}  // namespace

void ReturnQueue::push(std::string name) {
  std::lock_guard lock(mutex_);
  names_.push_back(std::move(name));
}

std::vector<std::string> ReturnQueue::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(names_, {});
}

BufferLease::BufferLease(std::shared_ptr<MappedRegion> region, std::size_t size, std::string name,
                         std::weak_ptr<ReturnQueue> returns)
    : region_(std::move(region)), size_(size), name_(std::move(name)), returns_(std::move(returns)) {}

BufferLease::~BufferLease() {
  if (auto returns = returns_.lock()) returns->push(std::move(name_));
}

std::shared_ptr<BufferLease> BufferLease::private_copy() const {
  auto copy = acquire_private_memory(size_);
  if (size_) std::memcpy(copy->data(), data(), size_);
  return std::make_shared<BufferLease>(std::move(copy), size_, std::string(), std::weak_ptr<ReturnQueue>());
}

SegmentCache::SegmentCache(std::string prefix, std::size_t max_idle_bytes, std::size_t max_mapped_bytes)
    : namer_(std::move(prefix)), max_idle_bytes_(max_idle_bytes), max_mapped_bytes_(max_mapped_bytes) {}

SegmentCache::~SegmentCache() { clear(); }

std::string SegmentCache::best_fit(std::size_t size, bool idle) const {
  const std::size_t wanted = capacity_for(std::max<std::size_t>(size, 1));
  const std::string* best = nullptr;
  std::size_t best_capacity = 0;
  for (const auto& [name, segment] : owned_) {
    const std::size_t capacity = segment.region.size();
    if (segment.idle != idle || capacity < wanted || capacity > 2 * wanted) continue;
    if (!best || capacity < best_capacity) {
      best = &name;
      best_capacity = capacity;
    }
  }
  return best ? *best : std::string();
}

bool SegmentCache::idle_fits(std::size_t size) const { return !best_fit(size, true).empty(); }

bool SegmentCache::lent_fits(std::size_t size) const { return !best_fit(size, false).empty(); }

StagedBuffer SegmentCache::stage(std::span<const std::byte> bytes) {
  const std::size_t size = bytes.size();
  const std::string fit = best_fit(size, true);
  auto best = fit.empty() ? owned_.end() : owned_.find(fit);
  if (best == owned_.end()) {
    std::string name = namer_.next();
    best = owned_.emplace(name, Owned{create_segment(name, capacity_for(std::max<std::size_t>(size, 1)))}).first;
  }
  Owned& segment = best->second;
  if (size) std::memcpy(segment.region.data(), bytes.data(), size);
  segment.idle = false;
  segment.holder = kHeldHere;
  segment.last_use = ++clock_;
  return {best->first, size, segment.region.size()};
}

void SegmentCache::returned(const std::string& name) {
  auto it = owned_.find(name);
  if (it == owned_.end()) return;
  it->second.idle = true;
  it->second.holder = kHeldHere;
  it->second.last_use = ++clock_;
  trim_idle();
}

void SegmentCache::lent(const std::string& name, int peer) {
  if (auto it = owned_.find(name); it != owned_.end()) it->second.holder = peer;
}

std::size_t SegmentCache::reclaim_lent_to(int peer) {
  std::size_t reclaimed = 0;
  for (auto& [name, segment] : owned_) {
    if (segment.idle || segment.holder != peer) continue;
    segment.idle = true;
    segment.holder = kHeldHere;
    segment.last_use = ++clock_;
    ++reclaimed;
  }
  trim_idle();
  return reclaimed;
}

void SegmentCache::drop_mappings_with_prefix(const std::string& prefix) {
  std::erase_if(mapped_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
}

void SegmentCache::forget(const std::string& name) {
  remove_named_segment(name);
  owned_.erase(name);
}

std::size_t SegmentCache::idle_count() const {
  std::size_t count = 0;
  for (const auto& [name, segment] : owned_) count += segment.idle ? 1 : 0;
  return count;
}

std::size_t SegmentCache::bytes_in_use() const {
  std::size_t bytes = 0;
  for (const auto& [name, segment] : owned_) bytes += segment.idle ? 0 : segment.region.size();
  return bytes;
}

void SegmentCache::trim_idle() {
  for (;;) {
    std::size_t idle_bytes = 0;
    auto oldest = owned_.end();
    for (auto it = owned_.begin(); it != owned_.end(); ++it) {
      if (!it->second.idle) continue;
      idle_bytes += it->second.region.size();
      if (oldest == owned_.end() || it->second.last_use < oldest->second.last_use) oldest = it;
    }
    if (idle_bytes <= max_idle_bytes_ || oldest == owned_.end()) return;
    remove_named_segment(oldest->first);
    owned_.erase(oldest);
  }
}

std::shared_ptr<BufferLease> SegmentCache::lease(const BufferRef& ref, std::weak_ptr<ReturnQueue> returns) {
  const std::string name(ref.location);
  const std::size_t capacity = std::max<std::size_t>(ref.capacity, ref.size);
  auto it = mapped_.find(name);
  if (it == mapped_.end() || it->second.region->size() != capacity) {
    auto region = std::make_shared<MappedRegion>(open_segment(name, capacity));
    it = mapped_.insert_or_assign(name, Mapped{std::move(region)}).first;
  }
  it->second.last_use = ++clock_;
  auto lease = std::make_shared<BufferLease>(it->second.region, static_cast<std::size_t>(ref.size), name,
                                             std::move(returns));
  trim_mapped();
  return lease;
}

void SegmentCache::trim_mapped() {
  for (;;) {
    std::size_t mapped_bytes = 0;
    auto oldest = mapped_.end();
    for (auto it = mapped_.begin(); it != mapped_.end(); ++it) {
      mapped_bytes += it->second.region->size();
      if (oldest == mapped_.end() || it->second.last_use < oldest->second.last_use) oldest = it;
    }
    if (mapped_bytes <= max_mapped_bytes_ || oldest == mapped_.end()) return;
    mapped_.erase(oldest);  // a live lease keeps its region mapped until it dies
  }
}

void SegmentCache::clear() {
  for (const auto& [name, segment] : owned_) remove_named_segment(name);
  owned_.clear();
  mapped_.clear();
}

}  // namespace accel::pool
