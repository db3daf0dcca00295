#pragma once
// How a pool gets its worker processes: the seam between the scheduler (WorkerPool) and
// the two ways a worker comes to exist. SpawnLauncher starts a fresh interpreter per
// worker (posix_spawn; the pool is its parent). ForkServerLauncher asks the process's
// fork server (fork_server.h) to fork one from its warm interpreter; the server is its
// parent and reports how it ended.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "pool/process.h"

namespace accel::pool {

/// What a new worker needs to find its pool: its slot in the pool segment (inherited
/// as `segment_fd`), the pool's pid and the name prefix of its own segments.
struct WorkerStart {
  std::size_t slot = 0;
  pid_t owner = -1;
  std::string segment_prefix;
  int segment_fd = -1;
};

class WorkerLauncher {
 public:
  virtual ~WorkerLauncher() = default;
  /// Starts a worker; its pid. Throws std::system_error or std::runtime_error.
  virtual pid_t start(const WorkerStart& start) = 0;
  /// How `pid` ended, if it has; nullopt while it runs. Once reported, it is forgotten.
  virtual std::optional<ExitStatus> try_reap(pid_t pid) = 0;
  /// Waits up to `timeout` for `pid` to end.
  virtual std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds timeout) = 0;
  /// SIGKILLs `pid` without waiting; wait_for() then collects it. Safe until then: the pid
  /// cannot be reused before it is reaped.
  virtual void kill(pid_t pid) = 0;
  /// Waits for `pid` to end and reaps it; never leaves a zombie.
  virtual ExitStatus wait_for(pid_t pid) = 0;
  ExitStatus kill_and_reap(pid_t pid) {
    kill(pid);
    return wait_for(pid);
  }
};

/// Fresh interpreters: `command` plus five arguments (segment fd, slot, owner pid,
/// parent pid, segment prefix), started with posix_spawn.
class SpawnLauncher final : public WorkerLauncher {
 public:
  explicit SpawnLauncher(std::vector<std::string> command) : command_(std::move(command)) {}
  pid_t start(const WorkerStart& start) override;
  std::optional<ExitStatus> try_reap(pid_t pid) override { return accel::pool::try_reap(pid); }
  std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds timeout) override {
    return accel::pool::reap_within(pid, timeout);
  }
  void kill(pid_t pid) override;
  ExitStatus wait_for(pid_t pid) override;

 private:
  std::vector<std::string> command_;
};

}  // namespace accel::pool
