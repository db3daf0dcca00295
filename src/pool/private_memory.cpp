#include "pool/private_memory.h"

#include <algorithm>
#include <list>
#include <mutex>

namespace accel::pool {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t rounded(std::size_t size) {
  const std::size_t granule = size >= kHugePage ? kHugePage : std::size_t{1} << 16;
  return (std::max<std::size_t>(size, 1) + granule - 1) / granule * granule;
}

class Recycler {
 public:
  std::shared_ptr<MappedRegion> acquire(std::size_t size) {
    const std::size_t wanted = rounded(size);
    MappedRegion region;
    {
      std::lock_guard lock(mutex_);
      auto best = idle_.end();
      for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (it->size() < wanted || it->size() > 2 * wanted) continue;
        if (best == idle_.end() || it->size() < best->size()) best = it;
      }
      if (best != idle_.end()) {
        idle_bytes_ -= best->size();
        region = std::move(*best);
        idle_.erase(best);
      }
    }
    if (region.size() == 0) region = MappedRegion::private_memory(wanted);
    return std::shared_ptr<MappedRegion>(new MappedRegion(std::move(region)), [this](MappedRegion* done) {
      give_back(std::move(*done));
      delete done;
    });
  }

  std::size_t idle_bytes() {
    std::lock_guard lock(mutex_);
    return idle_bytes_;
  }

 private:
  void give_back(MappedRegion region) {
    if (region.size() > kPrivateMemoryIdleBudget) return;
    std::list<MappedRegion> dropped;  // unmapped outside the lock
    std::lock_guard lock(mutex_);
    idle_bytes_ += region.size();
    idle_.push_back(std::move(region));
    while (idle_bytes_ > kPrivateMemoryIdleBudget) {
      idle_bytes_ -= idle_.front().size();
      dropped.splice(dropped.end(), idle_, idle_.begin());
    }
  }

  std::mutex mutex_;
  std::list<MappedRegion> idle_;  // oldest first
  std::size_t idle_bytes_ = 0;
};

// Never destroyed: an array may die during interpreter shutdown, after static
// destructors would have run.
Recycler& recycler() {
  static Recycler* instance = new Recycler;
  return *instance;
}
}  // namespace

std::shared_ptr<MappedRegion> acquire_private_memory(std::size_t size) { return recycler().acquire(size); }

std::size_t idle_private_memory() { return recycler().idle_bytes(); }

}  // namespace accel::pool
