// The fork server's client and the scheduler on top of it, against a C++ server that
// speaks the same protocol (fake_fork_server.cpp) and forks the echo worker.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>

#include "pool/fork_server.h"
#include "pool/worker_pool.h"

using namespace accel::pool;
using namespace std::chrono_literals;

namespace {
std::vector<std::byte> bytes(const std::string& s) {
  auto b = std::as_bytes(std::span(s.data(), s.size()));
  return {b.begin(), b.end()};
}

std::shared_ptr<ForkServer> start_server() {
  return std::make_shared<ForkServer>(std::vector<std::string>{FAKE_FORK_SERVER_PATH, ECHO_WORKER_PATH});
}

// Children of `pid`, zombies included.
std::set<pid_t> children_of(pid_t pid) {
  std::set<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string state;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent == pid) found.insert(std::stoi(name));
  }
  return found;
}

WorkerPoolOptions options(std::shared_ptr<ForkServer> server, std::size_t workers) {
  WorkerPoolOptions o;
  o.launcher = std::make_shared<ForkServerLauncher>(std::move(server), 1);
  o.workers = workers;
  return o;
}

std::vector<PoolEvent> collect_n(WorkerPool& pool, std::size_t count) {
  std::vector<PoolEvent> all;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (all.size() < count && std::chrono::steady_clock::now() < deadline)
    for (auto& event : pool.collect(50ms)) all.push_back(std::move(event));
  return all;
}
}  // namespace

TEST(ForkServer, AnswersPrepareWithItsReport) {
  auto server = start_server();
  const auto report = server->prepare(7, bytes("modules"));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(report.data()), report.size()), "prepared:modules");
  EXPECT_TRUE(server->alive());
}

TEST(ForkServer, WorkersItForksRunTasksAndAreTheServersChildren) {
  auto server = start_server();
  WorkerPool pool(options(server, 2));
  pool.define_job(1, {});
  for (uint64_t i = 0; i < 100; ++i) pool.submit(1, i, i, 1, bytes("item" + std::to_string(i)), {});
  auto events = collect_n(pool, 100);
  ASSERT_EQ(events.size(), 100u);
  for (const auto& event : events) EXPECT_EQ(event.kind, PoolEvent::Kind::Result);
  const auto pids = pool.worker_pids();
  ASSERT_EQ(pids.size(), 2u);
  EXPECT_EQ(children_of(server->pid()), std::set<pid_t>(pids.begin(), pids.end()));
  pool.terminate();
  EXPECT_TRUE(children_of(server->pid()).empty());  // killed, reported and reaped: no zombie
}

TEST(ForkServer, ACrashIsReportedWithItsSignalAndTheReplacementIsForked) {
  auto server = start_server();
  WorkerPool pool(options(server, 1));
  pool.define_job(1, {});
  const pid_t first = pool.worker_pids().at(0);
  pool.submit(1, 1, 5, 1, bytes("die"), {});
  auto events = collect_n(pool, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Crash);
  EXPECT_EQ(events[0].worker_pid, first);
  EXPECT_TRUE(events[0].exit_status.by_signal);
  EXPECT_EQ(events[0].exit_status.value, SIGKILL);
  pool.submit(1, 2, 6, 1, bytes("again"), {});
  events = collect_n(pool, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Result);
  EXPECT_NE(pool.worker_pids().at(0), first);
  EXPECT_EQ(children_of(server->pid()).size(), 1u);  // the dead one was released
}

TEST(ForkServer, ExitCodesAreReported) {
  auto server = start_server();
  WorkerPool pool(options(server, 1));
  pool.define_job(1, {});
  pool.submit(1, 1, 0, 1, bytes("exit:7"), {});
  auto events = collect_n(pool, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Crash);
  EXPECT_FALSE(events[0].exit_status.by_signal);
  EXPECT_EQ(events[0].exit_status.value, 7);
}

TEST(ForkServer, ADeadServerMakesRequestsFailClearly) {
  auto server = start_server();
  ::kill(server->pid(), SIGKILL);
  EXPECT_THROW(
      {
        try {
          server->fork_worker(1, "0\x1f" "1\x1f/accel.test.", 0);
        } catch (const std::runtime_error& error) {
          EXPECT_NE(std::string(error.what()).find("fork server"), std::string::npos) << error.what();
          throw;
        }
      },
      std::runtime_error);
  EXPECT_FALSE(server->alive());
}
