// A fork server for the C++ tests, speaking the protocol of fork_server.h as the Python
// one does (accel/pool/_fork_server.py), but forking and exec'ing the echo worker, so the
// client and the scheduler on top of it are tested without Python.
//   fake_fork_server <echo worker>    (the socket is fd 3)
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "pool/fork_server.h"

using namespace accel::pool;

namespace {
constexpr int kSocket = 3;

bool read_exact(void* into, std::size_t size, int* fd = nullptr) {
  auto* out = static_cast<char*>(into);
  while (size > 0) {
    iovec part{out, size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const ssize_t got = ::recvmsg(kSocket, &message, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd) std::memcpy(fd, CMSG_DATA(c), sizeof(int));
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

void send(ForkServerMessage kind, int64_t id, int64_t value, const std::string& payload = {}) {
  ForkServerHeader header{static_cast<uint32_t>(kind), static_cast<uint32_t>(payload.size()), id, value};
  std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
  bytes += payload;
  ::send(kSocket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::map<pid_t, bool> children;  // pid -> reported
  for (;;) {
    for (auto& [pid, reported] : children) {
      if (reported) continue;
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
        reported = true;
        send(ForkServerMessage::Exited, pid, info.si_code == CLD_EXITED ? info.si_status : -info.si_status);
      }
    }
    pollfd ready{kSocket, POLLIN, 0};
    if (::poll(&ready, 1, 10) <= 0) continue;
    ForkServerHeader header;
    int fd = -1;
    if (!read_exact(&header, sizeof header, &fd)) return 0;  // the client is gone
    std::string payload(header.payload_size, '\0');
    if (!payload.empty() && !read_exact(payload.data(), payload.size())) return 0;
    switch (static_cast<ForkServerMessage>(header.kind)) {
      case ForkServerMessage::Prepare:
        send(ForkServerMessage::Prepared, header.id, header.value, "prepared:" + payload);
        break;
      case ForkServerMessage::Fork: {
        // payload: slot \x1f owner \x1f prefix
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (std::size_t end; (end = payload.find('\x1f', start)) != std::string::npos; start = end + 1)
          fields.push_back(payload.substr(start, end - start));
        fields.push_back(payload.substr(start));
        const std::string parent = std::to_string(::getpid());
        const pid_t pid = ::fork();
        if (pid == 0) {
          ::close(kSocket);
          const std::string fd_text = std::to_string(fd);
          ::execl(argv[1], argv[1], fd_text.c_str(), fields.at(0).c_str(), fields.at(1).c_str(), parent.c_str(),
                  fields.at(2).c_str(), static_cast<char*>(nullptr));
          ::_exit(127);
        }
        ::close(fd);
        children[pid] = false;
        send(ForkServerMessage::Forked, header.id, pid);
        break;
      }
      case ForkServerMessage::Release:
        if (children.erase(static_cast<pid_t>(header.value))) ::waitpid(static_cast<pid_t>(header.value), nullptr, 0);
        send(ForkServerMessage::Released, header.id, header.value);
        break;
      default:
        return 3;
    }
  }
}
