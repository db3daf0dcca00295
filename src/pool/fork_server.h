#pragma once
// The client of a fork server: one fresh interpreter per process, started with
// posix_spawn while it is still single-threaded, that imports what the pool's process
// has imported and then forks warm workers on request. A worker forked from it starts
// in a millisecond with every module loaded, and no thread of the pool's process (which
// may run many) is ever forked. The server is Python (accel/pool/_fork_server.py);
// this is the pool's end of the socket to it, shared by every pool of the process.
//
// Protocol: a stream socket; each message is a ForkServerHeader then `payload_size`
// bytes. A Fork request carries the pool segment's fd (SCM_RIGHTS). The server reaps
// nothing on its own: it reports an Exited worker and keeps it a zombie until the
// client sends Release, so a pid the client kills is never a reused one.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>
#include <vector>

#include "pool/process.h"
#include "pool/worker_launcher.h"

namespace accel::pool {

struct ForkServerHeader {
  uint32_t kind = 0;
  uint32_t payload_size = 0;
  int64_t id = 0;
  int64_t value = 0;
};
static_assert(sizeof(ForkServerHeader) == 24);

enum class ForkServerMessage : uint32_t {
  // client → server
  Prepare = 1,   // id: configuration; payload: what to import and the workers' setting
  Fork = 2,      // id: request; value: configuration; payload: worker arguments; + fd
  Release = 3,   // id: request; value: pid of a reported worker: reap it now
  // server → client
  Prepared = 101,    // id: configuration; payload: the server's report
  Forked = 102,      // id: request; value: pid
  ForkFailed = 103,  // id: request; value: errno; payload: message
  Exited = 104,      // id: pid; value: exit code, or -signal
  Released = 105,    // id: request; value: the pid, reaped
};

class ForkServer {
 public:
  /// Starts `command` (argv[0] an absolute path) with the socket as fd 3 and stdin
  /// from /dev/null. Throws std::system_error.
  explicit ForkServer(const std::vector<std::string>& command);
  /// Closes the socket (the server exits on its end of file) and reaps the server; one
  /// still busy importing (its end of file waits behind the imports) is killed.
  ~ForkServer();
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;

  pid_t pid() const { return server_pid_; }
  /// False once the server's end of the socket is gone.
  bool alive();

  /// Sends a configuration and waits until the server has imported what it names;
  /// returns the server's report. Throws std::runtime_error if the server is gone.
  std::vector<std::byte> prepare(int64_t config_id, std::span<const std::byte> payload);
  /// Sends a configuration without waiting: the server imports in the background (it
  /// answers later requests after it). Returns the request, for wait_for_report().
  int64_t prepare_in_background(int64_t config_id, std::span<const std::byte> payload);
  /// The report of a prepare_in_background() request, once the server has sent it.
  std::vector<std::byte> wait_for_report(int64_t request);
  /// Forks a worker of `config_id` that inherits `fd`; its pid.
  pid_t fork_worker(int64_t config_id, const std::string& arguments, int fd);

  std::optional<ExitStatus> try_reap(pid_t pid);
  std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds timeout);
  ExitStatus wait_for(pid_t pid);

 private:
  struct Incoming {
    ForkServerHeader header;
    std::vector<std::byte> payload;
  };
  // Everything below runs with mutex_ held.
  void send_message(ForkServerMessage kind, int64_t id, int64_t value, std::span<const std::byte> payload,
                    int fd = -1);
  /// Reads one message, waiting up to `timeout` (negative: forever) for it to begin.
  /// Exited messages are recorded and returned too. nullopt on timeout.
  std::optional<Incoming> read_message(std::chrono::milliseconds timeout);
  /// Waits for the reply to request `id`; takes the lock in slices, so other threads
  /// (other pools) go on while the server imports. Throws if the server is gone.
  Incoming await_reply(int64_t id);
  /// The status of a reported worker, forgotten here; nullopt if not reported.
  std::optional<ExitStatus> take_exited(pid_t pid);
  /// Has the server reap a reported worker, and waits until it has (no zombie remains
  /// when a pool's terminate() returns). Called without the lock.
  void release(pid_t pid);
  void mark_dead();
  std::string gone_message();

  std::mutex mutex_;
  int socket_ = -1;
  pid_t server_pid_ = -1;
  bool dead_ = false;
  std::optional<ExitStatus> server_status_;
  int64_t next_request_ = 1;
  std::map<pid_t, ExitStatus> exited_;
  std::map<int64_t, Incoming> replies_;  // by request id, until their requester takes them
};

/// The launcher of a pool whose workers come from a fork server.
class ForkServerLauncher final : public WorkerLauncher {
 public:
  ForkServerLauncher(std::shared_ptr<ForkServer> server, int64_t config_id)
      : server_(std::move(server)), config_id_(config_id) {}
  pid_t start(const WorkerStart& start) override;
  std::optional<ExitStatus> try_reap(pid_t pid) override { return server_->try_reap(pid); }
  std::optional<ExitStatus> reap_within(pid_t pid, std::chrono::milliseconds timeout) override {
    return server_->reap_within(pid, timeout);
  }
  void kill(pid_t pid) override;
  ExitStatus wait_for(pid_t pid) override { return server_->wait_for(pid); }

 private:
  std::shared_ptr<ForkServer> server_;
  int64_t config_id_;
};

}  // namespace accel::pool
