#pragma once
// Starting and reaping worker processes. Workers are fresh programs started with
// posix_spawn (vfork+exec inside glibc), never a fork of the parent: forking a parent
// that runs threads can deadlock the child on a lock another thread held.
#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace accel::pool {

/// How a process ended.
struct ExitStatus {
  bool by_signal = false;
  int value = 0;  // the exit code, or the signal number when by_signal
  /// "exit code 3" or "signal 9 (SIGKILL)".
  std::string describe() const;
};

/// Starts `argv` (argv[0] an absolute path) with `inherited_fd` visible in the child as
/// `child_fd`, SIGINT blocked (Ctrl-C belongs to the parent, which stops the workers
/// itself) and the parent's environment; with `null_stdin`, stdin reads /dev/null.
/// Throws std::system_error on failure.
pid_t spawn_process(const std::vector<std::string>& argv, int inherited_fd, int child_fd, bool null_stdin = false);

/// Reaps `pid` if it has exited; nullopt while it runs.
std::optional<ExitStatus> try_reap(pid_t pid);

/// Waits up to `timeout` for `pid` to exit and reaps it.
std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds timeout);

/// SIGKILLs `pid` and reaps it; never leaves a zombie.
ExitStatus kill_and_reap(pid_t pid);

/// Waits for `pid` to exit and reaps it.
ExitStatus wait_for_exit(pid_t pid);

/// The fd number under which a spawned worker finds its pool segment.
inline constexpr int kChildSegmentFd = 3;

}  // namespace accel::pool
