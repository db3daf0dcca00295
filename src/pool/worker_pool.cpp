#include "pool/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace accel::pool {

namespace {
// Work queued per worker beyond the running task, so it never waits for the pool.
constexpr double kQueuedWorkNs = 4e6;
constexpr std::size_t kMaxDepth = 64;
constexpr int kMaxStartFailures = 3;
// Out-of-band bytes staged and not returned, per worker, before the submitter waits.
constexpr std::size_t kStagedBytesPerWorker = std::size_t{8} << 20;

std::string new_segment_prefix() {
  static std::atomic<uint64_t> pools{0};
  return "/accel." + std::to_string(::getpid()) + "." + std::to_string(pools.fetch_add(1)) + ".";
}

OutgoingMessage make_message(MessageKind kind, uint64_t job_id) {
  OutgoingMessage message;
  message.header.kind = static_cast<uint32_t>(kind);
  message.header.job_id = job_id;
  return message;
}
}  // namespace

WorkerPool::WorkerPool(WorkerPoolOptions options) : options_(std::move(options)) {
  if (options_.workers == 0) throw std::invalid_argument("a pool needs at least one worker");
  launcher_ = options_.launcher;
  if (!launcher_) {
    if (options_.worker_command.empty()) throw std::invalid_argument("the worker command is empty");
    launcher_ = std::make_shared<SpawnLauncher>(options_.worker_command);
  }
  transport_ = std::make_unique<SharedMemoryTransport>(options_.workers, options_.ring_capacity,
                                                       new_segment_prefix());
  workers_.resize(options_.workers);
  try {
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) start_worker(slot);
  } catch (...) {
    terminate();
    throw;
  }
}

WorkerPool::~WorkerPool() { terminate(); }

void WorkerPool::start_worker(std::size_t slot) {
  Worker& worker = workers_[slot];
  worker = Worker{};
  WorkerStart start{slot, ::getpid(), transport_->segment_prefix() + "w" + std::to_string(slot) + ".",
                    transport_->segment_fd()};
  worker.pid = launcher_->start(start);
  send_control(slot, MessageKind::Hello, 0, options_.hello);
}

void WorkerPool::send_control(std::size_t slot, MessageKind kind, uint64_t job_id, std::vector<std::byte> payload) {
  OutgoingMessage message = make_message(kind, job_id);
  message.payload = std::move(payload);
  transport_->prepare(message);
  Worker& worker = workers_[slot];
  if (!worker.backlog.empty() || !transport_->try_send(slot, message)) worker.backlog.push_back(std::move(message));
  transport_->flush();
}

bool WorkerPool::flush_backlog(Worker& worker, std::size_t slot) {
  while (!worker.backlog.empty()) {
    if (!transport_->try_send(slot, worker.backlog.front())) return false;
    worker.backlog.pop_front();
  }
  return true;
}

void WorkerPool::define_job(uint64_t job_id, std::vector<std::byte> payload) {
  jobs_[job_id] = std::move(payload);
  sizers_[job_id];
}

void WorkerPool::release_job(uint64_t job_id) {
  jobs_.erase(job_id);
  sizers_.erase(job_id);
  for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
    Worker& worker = workers_[slot];
    if (worker.pid > 0 && worker.known_jobs.erase(job_id)) send_control(slot, MessageKind::ReleaseJob, job_id, {});
  }
}

void WorkerPool::submit(uint64_t job_id, uint64_t task_id, uint64_t first_item, uint64_t item_count,
                        std::vector<std::byte> payload, std::vector<StagedBuffer> buffers) {
  if (stopped_) throw std::logic_error("the pool is not running");
  if (!jobs_.contains(job_id)) throw std::logic_error("task for an undefined job");
  OutgoingMessage message = make_message(MessageKind::Task, job_id);
  message.header.task_id = task_id;
  message.header.first_item = first_item;
  message.header.item_count = item_count;
  message.payload = std::move(payload);
  message.buffers = std::move(buffers);
  transport_->prepare(message);
  pending_.push_back(std::move(message));
  dispatch();
}

std::size_t WorkerPool::depth_limit() const {
  if (task_ns_ <= 0) return 2;
  return std::clamp<std::size_t>(static_cast<std::size_t>(kQueuedWorkNs / task_ns_), 2, kMaxDepth);
}

bool WorkerPool::can_take_task(const Worker& worker) const {
  return worker.pid > 0 && !worker.retiring && worker.backlog.empty() &&
         worker.in_flight.size() < depth_limit() &&
         (options_.max_tasks_per_worker == 0 || worker.tasks_assigned < options_.max_tasks_per_worker);
}

void WorkerPool::dispatch() {
  for (std::size_t slot = 0; slot < workers_.size(); ++slot)
    if (workers_[slot].pid > 0) transport_->send_returns(slot);
  std::vector<bool> full(workers_.size(), false);
  while (!pending_.empty()) {
    // The least loaded worker that has room, so long tasks spread out.
    std::size_t best = workers_.size();
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
      Worker& worker = workers_[slot];
      if (full[slot] || !flush_backlog(worker, slot) || !can_take_task(worker)) continue;
      if (best == workers_.size() || worker.in_flight.size() < workers_[best].in_flight.size()) best = slot;
    }
    if (best == workers_.size()) break;
    Worker& worker = workers_[best];
    OutgoingMessage& task = pending_.front();
    const uint64_t job_id = task.header.job_id;
    if (!worker.known_jobs.contains(job_id)) {
      auto job = jobs_.find(job_id);
      if (job == jobs_.end()) throw std::logic_error("task of a released job");
      send_control(best, MessageKind::DefineJob, job_id, job->second);
      worker.known_jobs.insert(job_id);
      if (!worker.backlog.empty()) {
        full[best] = true;
        continue;
      }
    }
    if (!transport_->try_send(best, task)) {
      full[best] = true;
      continue;
    }
    worker.in_flight.push_back(std::move(task));
    pending_.pop_front();
    ++worker.tasks_assigned;
  }
  transport_->flush();
}

void WorkerPool::receive_from(std::size_t slot, std::vector<PoolEvent>& events) {
  Worker& worker = workers_[slot];
  while (worker.fault.empty()) {
    std::optional<IncomingMessage> message;
    try {
      message = transport_->try_receive(slot);
    } catch (const CorruptChannel& error) {
      worker.fault = error.what();
    } catch (const std::system_error& error) {  // a buffer in a segment that is not there
      worker.fault = error.what();
    }
    if (!worker.fault.empty()) worker.answered = true;
    if (!message) return;
    worker.answered = true;
    const MessageHeader& header = message->header;
    PoolEvent event;
    event.kind = header.kind == static_cast<uint32_t>(MessageKind::TaskError) ? PoolEvent::Kind::TaskError
                                                                               : PoolEvent::Kind::Result;
    event.job_id = header.job_id;
    event.task_id = header.task_id;
    event.first_item = header.first_item;
    event.item_count = header.item_count;
    event.duration_ns = header.duration_ns;
    event.payload = std::move(message->payload);
    event.buffers = std::move(message->buffers);
    auto done = std::find_if(worker.in_flight.begin(), worker.in_flight.end(),
                             [&](const OutgoingMessage& task) { return task.header.task_id == header.task_id; });
    if (done != worker.in_flight.end()) {
      const uint64_t items = done->header.item_count;
      if (auto sizer = sizers_.find(header.job_id); sizer != sizers_.end()) sizer->second.record(header.duration_ns, items);
      const double sample = static_cast<double>(header.duration_ns);
      task_ns_ = task_ns_ == 0 ? sample : 0.8 * task_ns_ + 0.2 * sample;
      worker.in_flight.erase(done);
    }
    events.push_back(std::move(event));
  }
}

void WorkerPool::kill_faulty(std::size_t slot, std::vector<PoolEvent>& events) {
  launcher_->kill(workers_[slot].pid);
  handle_exit(slot, launcher_->wait_for(workers_[slot].pid), events);
}

void WorkerPool::retire_if_due(std::size_t slot) {
  Worker& worker = workers_[slot];
  if (options_.max_tasks_per_worker == 0 || worker.retiring || worker.pid <= 0) return;
  if (worker.tasks_assigned >= options_.max_tasks_per_worker && worker.in_flight.empty()) {
    send_control(slot, MessageKind::Shutdown, 0, {});
    worker.retiring = true;
  }
}

void WorkerPool::handle_exit(std::size_t slot, ExitStatus status, std::vector<PoolEvent>& events) {
  Worker& worker = workers_[slot];
  // Results it finished before dying are valid: take them first (unless its channel is
  // corrupt: nothing after the fault can be read).
  receive_from(slot, events);
  const pid_t pid = worker.pid;
  const int64_t running_item = transport_->current_item(slot);
  // A worker that dies before taking any task is broken, not its tasks (a bad
  // interpreter, an import error in the bootstrap): a few in a row stop the pool
  // rather than respawning forever.
  const bool died_starting = !worker.answered && running_item < 0 && !worker.retiring;
  start_failures_ = died_starting ? start_failures_ + 1 : 0;
  if (!worker.in_flight.empty() && !died_starting) {
    // The oldest task is blamed even when the worker looked idle (it died between
    // tasks, or while unpacking one): re-sending it could kill worker after worker.
    int64_t item = running_item;
    OutgoingMessage& running = worker.in_flight.front();
    const auto first = static_cast<int64_t>(running.header.first_item);
    if (item < first || item >= first + static_cast<int64_t>(running.header.item_count)) item = first;
    {
      PoolEvent crash;
      crash.kind = PoolEvent::Kind::Crash;
      crash.job_id = running.header.job_id;
      crash.task_id = running.header.task_id;
      crash.first_item = running.header.first_item;
      crash.item_count = running.header.item_count;
      crash.crashed_item = item;
      crash.worker_pid = pid;
      crash.exit_status = status;
      if (!worker.fault.empty()) crash.reason = "it corrupted its channel to the pool (" + worker.fault + ")";
      transport_->discard(running);
      worker.in_flight.pop_front();
      events.push_back(std::move(crash));
    }
  }
  // The tasks queued behind it did not run: they go to the front of the queue, in order.
  while (!worker.in_flight.empty()) {
    transport_->take_back(worker.in_flight.back());
    pending_.push_front(std::move(worker.in_flight.back()));
    worker.in_flight.pop_back();
  }
  for (const OutgoingMessage& message : worker.backlog) transport_->discard(message);
  transport_->reset_worker(slot);
  transport_->release_leftovers_of(slot, pid);
  worker = Worker{};
  if (start_failures_ >= kMaxStartFailures) {
    stopped_ = true;
    throw std::runtime_error("pool workers exit while starting (last: " + status.describe() +
                             "); their stderr says why");
  }
  if (!stopped_) start_worker(slot);
}

void WorkerPool::reap_exited(std::vector<PoolEvent>& events) {
  for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
    if (workers_[slot].pid <= 0) continue;
    if (auto status = launcher_->try_reap(workers_[slot].pid)) handle_exit(slot, *status, events);
  }
}

std::vector<PoolEvent> WorkerPool::collect(std::chrono::nanoseconds timeout) {
  std::vector<PoolEvent> events;
  for (int round = 0; round < 2; ++round) {
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
      if (workers_[slot].pid > 0) receive_from(slot, events);
      if (!workers_[slot].fault.empty()) kill_faulty(slot, events);
      retire_if_due(slot);
    }
    reap_exited(events);
    dispatch();
    if (!events.empty() || round == 1 || timeout.count() <= 0) break;
    // Snapshot first, then the request flag: a wake() in between still ends the sleep.
    const uint32_t seen = transport_->activity_snapshot();
    if (wake_requested_.exchange(false)) break;
    transport_->wait_for_messages(seen, timeout);
    wake_requested_.store(false);
  }
  return events;
}

bool WorkerPool::wants_tasks() const {
  if (stopped_ || pending_.size() >= std::max<std::size_t>(4, workers_.size() * depth_limit())) return false;
  // Large buffers: while a few per worker are out, wait for them to come back before
  // staging more, so the next ones reuse their warm segments (a fresh page costs ten
  // times its copy). Every worker keeps one task, so a task holding on to its buffers
  // only slows the pool down.
  return transport_->staged_bytes_in_use() < kStagedBytesPerWorker * workers_.size() ||
         pending_.size() + tasks_in_flight() < workers_.size();
}

std::size_t WorkerPool::suggest_chunksize(uint64_t job_id, std::size_t remaining) const {
  auto sizer = sizers_.find(job_id);
  return sizer == sizers_.end() ? 1 : sizer->second.suggest(remaining, workers_.size());
}

bool WorkerPool::job_measured(uint64_t job_id) const {
  auto sizer = sizers_.find(job_id);
  return sizer != sizers_.end() && sizer->second.item_ns() > 0;
}

std::size_t WorkerPool::tasks_in_flight() const {
  std::size_t total = 0;
  for (const Worker& worker : workers_) total += worker.in_flight.size();
  return total;
}

std::vector<pid_t> WorkerPool::worker_pids() const {
  std::vector<pid_t> pids;
  for (const Worker& worker : workers_)
    if (worker.pid > 0) pids.push_back(worker.pid);
  return pids;
}

void WorkerPool::stop_all_workers() {
  // Every worker is killed first, then each is waited for: they die in parallel.
  for (Worker& worker : workers_)
    if (worker.pid > 0) launcher_->kill(worker.pid);
  for (Worker& worker : workers_)
    if (worker.pid > 0) launcher_->wait_for(worker.pid);
  for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
    transport_->reset_worker(slot);
    workers_[slot] = Worker{};
  }
}

void WorkerPool::drop_all_tasks() {
  pending_.clear();
  sizers_.clear();
  jobs_.clear();
  // Every segment of this pool is garbage once no task and no worker is left.
  transport_->release_leftovers();
}

void WorkerPool::shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  for (std::size_t slot = 0; slot < workers_.size(); ++slot)
    if (workers_[slot].pid > 0) send_control(slot, MessageKind::Shutdown, 0, {});
  const auto deadline = std::chrono::steady_clock::now() + grace;
  for (Worker& worker : workers_) {
    if (worker.pid <= 0) continue;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (launcher_->reap_within(worker.pid, std::max(left, std::chrono::milliseconds(0)))) worker.pid = -1;
  }
  stop_all_workers();
  drop_all_tasks();
}

void WorkerPool::terminate() {
  if (stopped_ && workers_.empty()) return;
  stopped_ = true;
  stop_all_workers();
  drop_all_tasks();
}

void WorkerPool::restart() {
  if (stopped_) throw std::logic_error("the pool is not running");
  stop_all_workers();
  drop_all_tasks();
  for (std::size_t slot = 0; slot < workers_.size(); ++slot) start_worker(slot);
}

}  // namespace accel::pool
