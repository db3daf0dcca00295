#include "pool/process.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace accel::pool {

namespace {
ExitStatus status_from(int raw) {
  if (WIFSIGNALED(raw)) return {true, WTERMSIG(raw)};
  return {false, WIFEXITED(raw) ? WEXITSTATUS(raw) : -1};
}

// Owns the posix_spawn attribute objects for the duration of one spawn.
struct SpawnSettings {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSettings() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSettings() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
};
}  // namespace

std::string ExitStatus::describe() const {
  if (!by_signal) return "exit code " + std::to_string(value);
  const char* name = sigabbrev_np(value);
  return "signal " + std::to_string(value) + (name ? std::string(" (SIG") + name + ")" : std::string());
}

pid_t spawn_process(const std::vector<std::string>& argv, int inherited_fd, int child_fd, bool null_stdin) {
  SpawnSettings settings;
  if (null_stdin) posix_spawn_file_actions_addopen(&settings.actions, 0, "/dev/null", O_RDONLY, 0);
  // dup2 clears close-on-exec on the copy; inherited_fd itself is >= 10, never child_fd.
  posix_spawn_file_actions_adddup2(&settings.actions, inherited_fd, child_fd);

  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  posix_spawnattr_setsigmask(&settings.attributes, &blocked);
  // Python ignores SIGPIPE; a worker should start from the defaults like any program.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal_number : {SIGPIPE, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&defaults, signal_number);
  posix_spawnattr_setsigdefault(&settings.attributes, &defaults);
  posix_spawnattr_setflags(&settings.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> arguments;
  for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
  arguments.push_back(nullptr);

  pid_t pid = -1;
  int error = posix_spawn(&pid, arguments[0], &settings.actions, &settings.attributes, arguments.data(), environ);
  if (error != 0) throw std::system_error(error, std::generic_category(), "posix_spawn(" + argv[0] + ")");
  return pid;
}

std::optional<ExitStatus> try_reap(pid_t pid) {
  int raw = 0;
  pid_t reaped;
  do reaped = ::waitpid(pid, &raw, WNOHANG);
  while (reaped < 0 && errno == EINTR);
  if (reaped == pid) return status_from(raw);
  // ECHILD: somebody else reaped it (e.g. a SIGCHLD handler set to SIG_IGN); it is gone.
  if (reaped < 0 && errno == ECHILD) return ExitStatus{false, -1};
  return std::nullopt;
}

std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto status = try_reap(pid)) return status;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

ExitStatus kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  return wait_for_exit(pid);
}

ExitStatus wait_for_exit(pid_t pid) {
  int raw = 0;
  pid_t reaped;
  do reaped = ::waitpid(pid, &raw, 0);
  while (reaped < 0 && errno == EINTR);
  return reaped == pid ? status_from(raw) : ExitStatus{false, -1};
}

}  // namespace accel::pool
