#include "pool/fork_server.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace accel::pool {

namespace {
constexpr int kServerSocketFd = 3;
// A forked worker is asked for in slices of this, so other pools' threads take turns.
constexpr std::chrono::milliseconds kLockSlice{20};
// How long an idle server takes to see its end of file and exit; one that takes longer
// is importing, and nothing it does is worth waiting for.
constexpr std::chrono::milliseconds kExitGrace{100};

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

ExitStatus status_from_value(int64_t value) {
  if (value < 0) return {true, static_cast<int>(-value)};
  return {false, static_cast<int>(value)};
}

// Reads exactly `size` bytes; false on end of file.
bool read_exact(int fd, void* into, std::size_t size) {
  auto* out = static_cast<char*>(into);
  while (size > 0) {
    const ssize_t got = ::recv(fd, out, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

// Whether a process exists (a pid the fork server no longer answers for).
bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }
}  // namespace

ForkServer::ForkServer(const std::vector<std::string>& command) {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) throw_errno("socketpair");
  // The child's end must not already be fd 3: dup2 onto itself would keep close-on-exec.
  if (ends[1] < 10) {
    const int moved = ::fcntl(ends[1], F_DUPFD_CLOEXEC, 10);
    ::close(ends[1]);
    ends[1] = moved;
  }
  try {
    server_pid_ = spawn_process(command, ends[1], kServerSocketFd, /*null_stdin=*/true);
  } catch (...) {
    ::close(ends[0]);
    ::close(ends[1]);
    throw;
  }
  ::close(ends[1]);
  socket_ = ends[0];
}

ForkServer::~ForkServer() {
  if (socket_ >= 0) ::close(socket_);
  // The server exits at the end of file; it must not stay a zombie of this process.
  if (!server_status_ && server_pid_ > 0 && !accel::pool::reap_within(server_pid_, kExitGrace))
    kill_and_reap(server_pid_);
}

bool ForkServer::alive() {
  std::lock_guard lock(mutex_);
  if (!dead_) {
    try {
      while (read_message(std::chrono::milliseconds(0))) {
      }
    } catch (const std::runtime_error&) {
    }
  }
  return !dead_;
}

void ForkServer::mark_dead() {
  if (dead_) return;
  dead_ = true;
  server_status_ = accel::pool::reap_within(server_pid_, std::chrono::milliseconds(1000));
  if (!server_status_) server_status_ = kill_and_reap(server_pid_);
}

std::string ForkServer::gone_message() {
  return "the pool's fork server (pid " + std::to_string(server_pid_) + ") is gone" +
         (server_status_ ? " (" + server_status_->describe() + ")" : std::string());
}

void ForkServer::send_message(ForkServerMessage kind, int64_t id, int64_t value, std::span<const std::byte> payload,
                              int fd) {
  if (dead_) throw std::runtime_error(gone_message());
  ForkServerHeader header{static_cast<uint32_t>(kind), static_cast<uint32_t>(payload.size()), id, value};
  iovec parts[2] = {{&header, sizeof header}, {const_cast<std::byte*>(payload.data()), payload.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = payload.empty() ? 1 : 2;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* rights = CMSG_FIRSTHDR(&message);
    rights->cmsg_level = SOL_SOCKET;
    rights->cmsg_type = SCM_RIGHTS;
    rights->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(rights), &fd, sizeof fd);
  }
  std::size_t total = sizeof header + payload.size();
  ssize_t sent;
  do sent = ::sendmsg(socket_, &message, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    mark_dead();
    throw std::runtime_error(gone_message());
  }
  // A stream socket may take part of it; the rest goes without the descriptor.
  std::size_t done = static_cast<std::size_t>(sent);
  while (done < total) {
    const char* from = done < sizeof header ? reinterpret_cast<const char*>(&header) + done
                                            : reinterpret_cast<const char*>(payload.data()) + (done - sizeof header);
    const std::size_t length = done < sizeof header ? sizeof header - done : total - done;
    const ssize_t more = ::send(socket_, from, length, MSG_NOSIGNAL);
    if (more < 0 && errno == EINTR) continue;
    if (more < 0) {
      mark_dead();
      throw std::runtime_error(gone_message());
    }
    done += static_cast<std::size_t>(more);
  }
}

std::optional<ForkServer::Incoming> ForkServer::read_message(std::chrono::milliseconds timeout) {
  if (dead_) throw std::runtime_error(gone_message());
  pollfd ready{socket_, POLLIN, 0};
  int polled;
  do polled = ::poll(&ready, 1, static_cast<int>(timeout.count()));
  while (polled < 0 && errno == EINTR);
  if (polled == 0) return std::nullopt;
  Incoming incoming;
  if (!read_exact(socket_, &incoming.header, sizeof incoming.header)) {
    mark_dead();
    throw std::runtime_error(gone_message());
  }
  incoming.payload.resize(incoming.header.payload_size);
  if (!read_exact(socket_, incoming.payload.data(), incoming.payload.size())) {
    mark_dead();
    throw std::runtime_error(gone_message());
  }
  const auto kind = static_cast<ForkServerMessage>(incoming.header.kind);
  if (kind == ForkServerMessage::Exited) {
    exited_[static_cast<pid_t>(incoming.header.id)] = status_from_value(incoming.header.value);
  } else {
    replies_[incoming.header.id] = incoming;
  }
  return incoming;
}

ForkServer::Incoming ForkServer::await_reply(int64_t id) {
  for (;;) {
    std::lock_guard lock(mutex_);
    if (auto reply = replies_.find(id); reply != replies_.end()) {
      Incoming found = std::move(reply->second);
      replies_.erase(reply);
      return found;
    }
    read_message(kLockSlice);
  }
}

std::vector<std::byte> ForkServer::prepare(int64_t config_id, std::span<const std::byte> payload) {
  int64_t id;
  {
    std::lock_guard lock(mutex_);
    id = next_request_++;
    send_message(ForkServerMessage::Prepare, id, config_id, payload);
  }
  return await_reply(id).payload;
}

int64_t ForkServer::prepare_in_background(int64_t config_id, std::span<const std::byte> payload) {
  std::lock_guard lock(mutex_);
  const int64_t id = next_request_++;
  send_message(ForkServerMessage::Prepare, id, config_id, payload);
  return id;
}

std::vector<std::byte> ForkServer::wait_for_report(int64_t request) { return await_reply(request).payload; }

pid_t ForkServer::fork_worker(int64_t config_id, const std::string& arguments, int fd) {
  int64_t id;
  {
    std::lock_guard lock(mutex_);
    id = next_request_++;
    send_message(ForkServerMessage::Fork, id, config_id, std::as_bytes(std::span(arguments.data(), arguments.size())),
                 fd);
  }
  Incoming reply = await_reply(id);
  if (static_cast<ForkServerMessage>(reply.header.kind) != ForkServerMessage::Forked) {
    const std::string why(reinterpret_cast<const char*>(reply.payload.data()), reply.payload.size());
    throw std::system_error(static_cast<int>(reply.header.value), std::generic_category(),
                            "the fork server could not fork a worker: " + why);
  }
  return static_cast<pid_t>(reply.header.value);
}

std::optional<ExitStatus> ForkServer::take_exited(pid_t pid) {
  auto found = exited_.find(pid);
  if (found == exited_.end()) {
    // Without its server, a worker is nobody's child here: it is gone when the pid is.
    if (dead_ && !process_exists(pid)) return server_status_;
    return std::nullopt;
  }
  ExitStatus status = found->second;
  exited_.erase(found);
  return status;
}

void ForkServer::release(pid_t pid) {
  int64_t id;
  {
    std::lock_guard lock(mutex_);
    if (dead_) return;
    id = next_request_++;
    try {
      send_message(ForkServerMessage::Release, id, pid, {});
    } catch (const std::runtime_error&) {
      return;
    }
  }
  try {
    await_reply(id);
  } catch (const std::runtime_error&) {
  }
}

std::optional<ExitStatus> ForkServer::try_reap(pid_t pid) {
  std::optional<ExitStatus> status;
  {
    std::lock_guard lock(mutex_);
    try {
      while (!dead_ && read_message(std::chrono::milliseconds(0))) {
      }
    } catch (const std::runtime_error&) {
    }
    status = take_exited(pid);
  }
  if (status) release(pid);
  return status;
}

std::optional<ExitStatus> ForkServer::reap_within(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (auto status = take_exited(pid)) {
        lock.unlock();
        release(pid);
        return status;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      if (!dead_) {
        try {
          read_message(std::min(left, kLockSlice));
        } catch (const std::runtime_error&) {
        }
        continue;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // dead server: poll the pid
  }
}

ExitStatus ForkServer::wait_for(pid_t pid) {
  for (;;) {
    if (auto status = reap_within(pid, std::chrono::milliseconds(1000))) return *status;
    std::lock_guard lock(mutex_);
    if (dead_) {  // an orphan that outlived its server: nothing is left to wait for
      ::kill(pid, SIGKILL);
      return server_status_.value_or(ExitStatus{false, -1});
    }
  }
}

pid_t ForkServerLauncher::start(const WorkerStart& start) {
  const std::string arguments =
      std::to_string(start.slot) + "\x1f" + std::to_string(start.owner) + "\x1f" + start.segment_prefix;
  return server_->fork_worker(config_id_, arguments, start.segment_fd);
}

void ForkServerLauncher::kill(pid_t pid) { ::kill(pid, SIGKILL); }

}  // namespace accel::pool
