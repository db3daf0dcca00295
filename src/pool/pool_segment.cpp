#include "pool/pool_segment.h"

#include <new>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace accel::pool {

namespace {
constexpr uint64_t kMagic = 0x6c6f6f706c656363;  // "ccelpool"
constexpr std::size_t kPage = 4096;
std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }
}  // namespace

struct PoolSegment::Header {
  uint64_t magic;
  uint64_t slot_count;
  uint64_t ring_capacity;
  uint64_t rings_offset;
  alignas(64) WakeSignal results_ready;
};

PoolSegment PoolSegment::create(std::size_t slots, std::size_t ring_capacity) {
  if (slots == 0) throw std::invalid_argument("a pool needs at least one worker slot");
  const std::size_t rings_offset = round_up(round_up(sizeof(Header), 64) + slots * sizeof(SlotControl), kPage);
  const std::size_t size = rings_offset + slots * 2 * ring_capacity;
  int fd = create_anonymous_segment("accel-pool", size);
  PoolSegment segment(fd, MappedRegion(fd, size, /*populate=*/false));
  // memfd pages start zeroed, which is the valid initial state of every control block;
  // placement-new makes the objects' lifetimes explicit all the same.
  Header* header = new (segment.region_.data()) Header{};
  header->magic = kMagic;
  header->slot_count = slots;
  header->ring_capacity = ring_capacity;
  header->rings_offset = rings_offset;
  for (std::size_t i = 0; i < slots; ++i) new (&segment.slot(i)) SlotControl{};
  // Touch one ring so the first construction of RingBuffer validates the capacity now.
  (void)segment.task_ring(0);
  return segment;
}

PoolSegment PoolSegment::attach(int fd) {
  struct stat info{};
  if (::fstat(fd, &info) != 0 || static_cast<std::size_t>(info.st_size) < sizeof(Header))
    throw std::runtime_error("the inherited fd is not a pool segment");
  PoolSegment segment(fd, MappedRegion(fd, static_cast<std::size_t>(info.st_size), /*populate=*/false));
  const Header& header = segment.header();
  if (header.magic != kMagic ||
      header.rings_offset + header.slot_count * 2 * header.ring_capacity > static_cast<std::size_t>(info.st_size))
    throw std::runtime_error("the inherited fd is not a pool segment");
  return segment;
}

PoolSegment::PoolSegment(int fd, MappedRegion region) : fd_(fd), region_(std::move(region)) {}

PoolSegment::PoolSegment(PoolSegment&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), region_(std::move(other.region_)) {}

PoolSegment& PoolSegment::operator=(PoolSegment&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    region_ = std::move(other.region_);
  }
  return *this;
}

PoolSegment::~PoolSegment() {
  if (fd_ >= 0) ::close(fd_);
}

PoolSegment::Header& PoolSegment::header() const { return *reinterpret_cast<Header*>(region_.data()); }

std::size_t PoolSegment::slot_count() const { return header().slot_count; }

SlotControl& PoolSegment::slot(std::size_t index) {
  if (index >= slot_count()) throw std::out_of_range("pool slot index");
  auto* slots = reinterpret_cast<SlotControl*>(region_.data() + round_up(sizeof(Header), 64));
  return slots[index];
}

std::byte* PoolSegment::ring_data(std::size_t index, bool results) const {
  const Header& h = header();
  return region_.data() + h.rings_offset + (index * 2 + (results ? 1 : 0)) * h.ring_capacity;
}

RingBuffer PoolSegment::task_ring(std::size_t index) {
  SlotControl& s = slot(index);
  return RingBuffer(&s.tasks, ring_data(index, false), header().ring_capacity, &s.tasks_ready);
}

RingBuffer PoolSegment::result_ring(std::size_t index) {
  SlotControl& s = slot(index);
  return RingBuffer(&s.results, ring_data(index, true), header().ring_capacity, &header().results_ready);
}

WakeSignal& PoolSegment::results_ready() { return header().results_ready; }

void PoolSegment::reset_slot(std::size_t index) {
  task_ring(index).reset();
  result_ring(index).reset();
  slot(index).current_item.store(-1);
}

}  // namespace accel::pool
