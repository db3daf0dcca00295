#pragma once
// The scheduler of a local pool: starts workers, hands them tasks over a Transport,
// collects results, notices dead workers, blames the task they were running and
// replaces them. One thread drives it (collect/submit); wake() may come from any.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <sys/types.h>
#include <unordered_map>
#include <vector>

#include "pool/chunk_sizer.h"
#include "pool/process.h"
#include "pool/shared_memory_transport.h"
#include "pool/worker_launcher.h"

namespace accel::pool {

struct WorkerPoolOptions {
  /// The worker program, when `launcher` is null (a SpawnLauncher of it is made).
  std::vector<std::string> worker_command;
  /// Where workers come from: a fork server's launcher, or null for fresh programs.
  std::shared_ptr<WorkerLauncher> launcher;
  std::size_t workers = 1;
  /// Tasks (chunks) a worker runs before it is replaced; 0 = no limit.
  uint64_t max_tasks_per_worker = 0;
  /// Payload of the Hello message every new worker receives first.
  std::vector<std::byte> hello;
  std::size_t ring_capacity = std::size_t{1} << 21;
};

/// What collect() reports.
struct PoolEvent {
  enum class Kind { Result, TaskError, Crash };
  Kind kind = Kind::Result;
  uint64_t job_id = 0;
  uint64_t task_id = 0;
  uint64_t first_item = 0;
  uint64_t item_count = 0;
  uint64_t duration_ns = 0;
  std::vector<std::byte> payload;
  std::vector<std::shared_ptr<BufferLease>> buffers;
  // Crash only: the item that was running, the worker and how it ended; `reason` says
  // why the pool killed it, if it did (it corrupted its channel).
  int64_t crashed_item = -1;
  pid_t worker_pid = -1;
  ExitStatus exit_status;
  std::string reason;
};

class WorkerPool {
 public:
  explicit WorkerPool(WorkerPoolOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Registers a job's function payload; sent to each worker before its first task.
  void define_job(uint64_t job_id, std::vector<std::byte> payload);
  /// Forgets a finished job here and in the workers.
  void release_job(uint64_t job_id);

  /// Copies a large buffer out of the caller's memory for a task submitted next.
  StagedBuffer stage(std::span<const std::byte> bytes) { return transport_->stage(bytes); }
  /// Queues a task (a chunk of items of a defined job) and dispatches what it can.
  void submit(uint64_t job_id, uint64_t task_id, uint64_t first_item, uint64_t item_count,
              std::vector<std::byte> payload, std::vector<StagedBuffer> buffers);

  /// Reports results, task errors and crashes; sleeps up to `timeout` when there are
  /// none yet, returning early on wake(). Also dispatches and replaces dead workers.
  std::vector<PoolEvent> collect(std::chrono::nanoseconds timeout);
  /// Ends the current or the next collect() sleep early. Safe from any thread: the
  /// caller's thread may be about to call collect(), so the request is remembered.
  void wake() {
    wake_requested_.store(true);
    transport_->wake();
  }

  /// Whether the submitter should queue more tasks to keep every worker busy.
  bool wants_tasks() const;
  /// Items for the next chunk of `job_id`, from its measured item durations.
  std::size_t suggest_chunksize(uint64_t job_id, std::size_t remaining) const;
  /// Whether an item duration of `job_id` has been measured yet.
  bool job_measured(uint64_t job_id) const;
  std::size_t pending_tasks() const { return pending_.size(); }
  /// Bytes of large buffers staged for workers and not given back yet.
  std::size_t staged_bytes_in_use() const { return transport_->staged_bytes_in_use(); }
  std::size_t tasks_in_flight() const;
  std::vector<pid_t> worker_pids() const;

  /// Asks workers to exit after their current task; kills those still running after
  /// `grace`. No worker is started again.
  void shutdown(std::chrono::milliseconds grace);
  /// Kills every worker now and forgets all tasks. No worker is started again.
  void terminate();
  /// Kills every worker, forgets all tasks and starts fresh workers (after Ctrl-C).
  void restart();

 private:
  struct Worker {
    pid_t pid = -1;
    std::deque<OutgoingMessage> in_flight;  // tasks sent, oldest first
    std::deque<OutgoingMessage> backlog;    // control messages waiting for room
    std::set<uint64_t> known_jobs;
    uint64_t tasks_assigned = 0;
    bool retiring = false;
    bool answered = false;  // sent anything: it got past start-up
    std::string fault;      // why its channel cannot be trusted any more, if it cannot
  };

  void start_worker(std::size_t slot);
  void stop_all_workers();
  void drop_all_tasks();
  /// Takes what the worker sent. A message that breaks the protocol sets its `fault`.
  void receive_from(std::size_t slot, std::vector<PoolEvent>& events);
  /// Kills a worker whose channel is corrupt and handles it as a crash.
  void kill_faulty(std::size_t slot, std::vector<PoolEvent>& events);
  void reap_exited(std::vector<PoolEvent>& events);
  void handle_exit(std::size_t slot, ExitStatus status, std::vector<PoolEvent>& events);
  void retire_if_due(std::size_t slot);
  void dispatch();
  bool flush_backlog(Worker& worker, std::size_t slot);
  bool can_take_task(const Worker& worker) const;
  std::size_t depth_limit() const;
  void send_control(std::size_t slot, MessageKind kind, uint64_t job_id, std::vector<std::byte> payload);

  WorkerPoolOptions options_;
  std::shared_ptr<WorkerLauncher> launcher_;
  std::unique_ptr<SharedMemoryTransport> transport_;
  std::vector<Worker> workers_;
  std::deque<OutgoingMessage> pending_;
  std::unordered_map<uint64_t, std::vector<std::byte>> jobs_;
  std::unordered_map<uint64_t, ChunkSizer> sizers_;
  double task_ns_ = 0;  // running mean of one task's duration, for queue depths
  int start_failures_ = 0;  // workers in a row that died before taking any task
  std::atomic<bool> wake_requested_{false};
  bool stopped_ = false;
};

}  // namespace accel::pool
