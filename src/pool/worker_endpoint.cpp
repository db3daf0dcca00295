#include "pool/worker_endpoint.h"

#include <cerrno>
#include <fstream>
#include <csignal>
#include <unistd.h>

namespace accel::pool {

namespace {
// How often a waiting worker checks that its owner still exists.
constexpr std::chrono::milliseconds kOwnerCheckPeriod{100};
// How long a worker waits for one of its segments to come back rather than make one.
constexpr std::chrono::milliseconds kReturnWait{4};

// Whether `pid` exists and has not exited: a dead process stays a zombie until its
// parent reaps it, and kill(pid, 0) still finds it then.
bool process_running(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;  // no /proc: trust kill()
  const auto end_of_name = line.rfind(')');
  return end_of_name == std::string::npos || end_of_name + 2 >= line.size() ||
         (line[end_of_name + 2] != 'Z' && line[end_of_name + 2] != 'X');
}
}  // namespace

WorkerEndpoint::WorkerEndpoint(int fd, std::size_t slot, pid_t owner, pid_t parent, const std::string& segment_prefix)
    : segment_(PoolSegment::attach(fd)),
      slot_(slot),
      owner_(owner),
      parent_(parent),
      // "/accel.<owner>.<pool>.w<slot>." -> "/accel.<owner>.<pool>."
      pool_prefix_(segment_prefix.substr(0, segment_prefix.rfind(".w") + 1)),
      segments_(segment_prefix + std::to_string(::getpid()) + ".") {
  (void)segment_.slot(slot_);  // validates the slot index
}

// The owner died without cleaning up (SIGKILL): the workers do it for it. A fork server
// that died alone leaves the owner alive, and the owner its segments in use.
void WorkerEndpoint::clean_up_after_owner() {
  if (parent_ != owner_ && process_running(owner_)) return;
  segments_.clear();
  if (pool_prefix_.size() > 1) remove_named_segments_with_prefix(std::string_view(pool_prefix_).substr(1));
}

// Re-parenting to init (or a subreaper) is how a worker learns its parent died; the
// fork server exits as soon as the owner does.
bool WorkerEndpoint::parent_alive() const { return ::getppid() == parent_; }

std::optional<IncomingMessage> WorkerEndpoint::receive() {
  if (!ahead_.empty()) {
    IncomingMessage message = std::move(ahead_.front());
    ahead_.pop_front();
    if (message.header.kind == static_cast<uint32_t>(MessageKind::Task))
      set_current_item(static_cast<int64_t>(message.header.first_item));
    return message;
  }
  RingBuffer ring = segment_.task_ring(slot_);
  for (;;) {
    if (auto frame = ring.peek()) {
      if (auto decoded = decode(*frame); decoded && decoded->header.kind == static_cast<uint32_t>(MessageKind::Task))
        set_current_item(static_cast<int64_t>(decoded->header.first_item));
      IncomingMessage message = read_message(*frame, segments_, returns_);
      ring.pop();
      if (message.header.kind == static_cast<uint32_t>(MessageKind::ReturnBuffers)) continue;
      return message;
    }
    if (!parent_alive()) {
      clean_up_after_owner();
      return std::nullopt;
    }
    ring.wait_readable(kOwnerCheckPeriod);
  }
}

void WorkerEndpoint::read_ahead() {
  RingBuffer ring = segment_.task_ring(slot_);
  while (auto frame = ring.peek()) {
    IncomingMessage message = read_message(*frame, segments_, returns_);
    ring.pop();
    if (message.header.kind != static_cast<uint32_t>(MessageKind::ReturnBuffers)) ahead_.push_back(std::move(message));
  }
}

StagedBuffer WorkerEndpoint::stage(std::span<const std::byte> bytes) {
  read_ahead();
  // A fresh segment costs 5-20 ms per 8 MB here; the pool copies a result out and sends
  // its segment back within a millisecond or two. So when one that fits is out, wait a
  // little for it before making another.
  const auto deadline = std::chrono::steady_clock::now() + kReturnWait;
  while (!segments_.idle_fits(bytes.size()) && segments_.lent_fits(bytes.size())) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left.count() <= 0) break;
    segment_.task_ring(slot_).wait_readable(left);
    read_ahead();
  }
  return segments_.stage(bytes);
}

bool WorkerEndpoint::write_blocking(RingBuffer& ring, const OutgoingMessage& message) {
  const std::size_t size = sizeof(MessageHeader) + message.buffers.size() * sizeof(BufferRef) + message.payload.size();
  while (!try_write_message(ring, message)) {
    if (!parent_alive()) {
      clean_up_after_owner();
      return false;
    }
    ring.wait_writable(size, kOwnerCheckPeriod);
  }
  return true;
}

bool WorkerEndpoint::send(OutgoingMessage message) {
  RingBuffer ring = segment_.result_ring(slot_);
  // The pool's buffers this worker is done with go first, so the pool can reuse them.
  std::vector<std::string> names = returns_->take();
  constexpr std::size_t kPerMessage = 1024;
  for (std::size_t start = 0; start < names.size(); start += kPerMessage) {
    const auto end = std::min(names.size(), start + kPerMessage);
    auto returned = make_return_message(std::vector<std::string>(names.begin() + static_cast<std::ptrdiff_t>(start),
                                                                 names.begin() + static_cast<std::ptrdiff_t>(end)));
    if (!write_blocking(ring, *returned)) return false;
  }
  spill_large_payload(message, segments_, max_inline_payload(ring));
  if (!write_blocking(ring, message)) return false;
  set_current_item(-1);
  return true;
}

void WorkerEndpoint::set_current_item(int64_t item) {
  segment_.slot(slot_).current_item.store(item, std::memory_order_release);
}

}  // namespace accel::pool
