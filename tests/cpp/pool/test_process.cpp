#include <gtest/gtest.h>

#include <csignal>
#include <unistd.h>

#include "pool/process.h"
#include "pool/shared_memory.h"

using namespace accel::pool;

namespace {
ExitStatus run_shell(const std::string& script, int fd = -1) {
  if (fd < 0) fd = create_anonymous_segment("test", 16);
  pid_t pid = spawn_process({"/bin/sh", "-c", script}, fd, 3);
  auto status = reap_within(pid, std::chrono::seconds(10));
  ::close(fd);
  if (!status) return kill_and_reap(pid);
  return *status;
}
}  // namespace

TEST(Process, ReportsExitCodes) {
  ExitStatus status = run_shell("exit 3");
  EXPECT_FALSE(status.by_signal);
  EXPECT_EQ(status.value, 3);
  EXPECT_EQ(status.describe(), "exit code 3");
}

TEST(Process, ReportsTheSignalThatEndedAProcess) {
  ExitStatus status = run_shell("kill -9 $$");
  EXPECT_TRUE(status.by_signal);
  EXPECT_EQ(status.value, SIGKILL);
  EXPECT_EQ(status.describe(), "signal 9 (SIGKILL)");
}

TEST(Process, ChildSeesTheInheritedFdAtTheAgreedNumber) {
  EXPECT_EQ(run_shell("test -e /proc/self/fd/3").value, 0);
  // Only the one fd is passed: the parent's copy (>= 10, close-on-exec) is not.
  int fd = create_anonymous_segment("test", 16);
  EXPECT_EQ(run_shell("test ! -e /proc/self/fd/" + std::to_string(fd), fd).value, 0);
}

TEST(Process, ChildIgnoresCtrlCMeantForTheParent) {
  ExitStatus status = run_shell("kill -INT $$; exit 0");
  EXPECT_FALSE(status.by_signal);
  EXPECT_EQ(status.value, 0);
}

TEST(Process, KillAndReapLeavesNoZombie) {
  int fd = create_anonymous_segment("test", 16);
  pid_t pid = spawn_process({"/bin/sleep", "30"}, fd, 3);
  ::close(fd);
  EXPECT_FALSE(try_reap(pid));
  ExitStatus status = kill_and_reap(pid);
  EXPECT_TRUE(status.by_signal);
  EXPECT_NE(::kill(pid, 0), 0);  // gone, not a zombie
}

TEST(Process, SpawningAMissingProgramThrows) {
  int fd = create_anonymous_segment("test", 16);
  // glibc's posix_spawn reports exec failures through the error code.
  EXPECT_THROW(spawn_process({"/nonexistent/accel-worker"}, fd, 3), std::system_error);
  ::close(fd);
}
