#include "pool/worker_launcher.h"

#include <csignal>
#include <unistd.h>

namespace accel::pool {

pid_t SpawnLauncher::start(const WorkerStart& start) {
  std::vector<std::string> argv = command_;
  argv.push_back(std::to_string(kChildSegmentFd));
  argv.push_back(std::to_string(start.slot));
  argv.push_back(std::to_string(start.owner));
  argv.push_back(std::to_string(::getpid()));  // its parent: this process
  argv.push_back(start.segment_prefix);
  return spawn_process(argv, start.segment_fd, kChildSegmentFd);
}

void SpawnLauncher::kill(pid_t pid) { ::kill(pid, SIGKILL); }

ExitStatus SpawnLauncher::wait_for(pid_t pid) { return wait_for_exit(pid); }

}  // namespace accel::pool
