// A worker for the C++ tests: answers each task with its own payload and buffers, or
// misbehaves on request ("die" SIGKILLs itself, "exit:N" exits with N, "fail" replies
// with a TaskError, "hold" keeps the task's buffers for good, "corrupt" scribbles over
// its result ring's write position and waits to be killed), so the scheduler can be
// tested without Python.
#include <csignal>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "pool/worker_endpoint.h"

using namespace accel::pool;

int main(int argc, char** argv) {
  if (argc < 6) return 2;
  WorkerEndpoint endpoint(std::atoi(argv[1]), std::strtoul(argv[2], nullptr, 10),
                          static_cast<pid_t>(std::atoi(argv[3])), static_cast<pid_t>(std::atoi(argv[4])), argv[5]);
  std::vector<std::shared_ptr<BufferLease>> held;
  while (auto message = endpoint.receive()) {
    const auto kind = static_cast<MessageKind>(message->header.kind);
    if (kind == MessageKind::Shutdown) return 0;
    if (kind != MessageKind::Task) continue;
    const std::string text(reinterpret_cast<const char*>(message->payload.data()), message->payload.size());
    if (text == "die") ::raise(SIGKILL);
    if (text.starts_with("exit:")) ::_exit(std::atoi(text.c_str() + 5));
    if (text == "sleep") ::usleep(200000);
    if (text == "hold") held.insert(held.end(), message->buffers.begin(), message->buffers.end());
    if (text == "corrupt") {
      PoolSegment segment = PoolSegment::attach(::dup(std::atoi(argv[1])));
      segment.slot(std::strtoul(argv[2], nullptr, 10)).results.written.fetch_add(uint64_t{1} << 30);
      segment.results_ready().ring();
      for (;;) ::pause();
    }
    OutgoingMessage reply;
    reply.header = message->header;
    reply.header.kind = static_cast<uint32_t>(text == "fail" ? MessageKind::TaskError : MessageKind::Result);
    reply.header.duration_ns = 1000;
    reply.payload = message->payload;
    for (const auto& buffer : message->buffers)
      reply.buffers.push_back(endpoint.stage(std::span<const std::byte>(buffer->data(), buffer->size())));
    if (!endpoint.send(std::move(reply))) return 0;
  }
  return 0;
}
