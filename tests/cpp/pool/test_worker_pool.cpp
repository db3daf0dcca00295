#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <unistd.h>

#include "pool/worker_pool.h"

using namespace accel::pool;
using namespace std::chrono_literals;

namespace {
std::vector<std::byte> bytes(const std::string& s) {
  auto b = std::as_bytes(std::span(s.data(), s.size()));
  return {b.begin(), b.end()};
}
std::string text(const std::vector<std::byte>& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

WorkerPoolOptions options(std::size_t workers) {
  WorkerPoolOptions o;
  o.worker_command = {ECHO_WORKER_PATH};
  o.workers = workers;
  return o;
}

// This process's pool segments; with `part`, only those whose name holds it ("p." for
// the pool's own, "w" for its workers').
int pool_segments(const std::string& part = "") {
  const std::string prefix = "accel." + std::to_string(::getpid()) + ".";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.find(part, prefix.size()) != std::string::npos) ++count;
  }
  return count;
}

// Collects until `count` events arrived or 10 s passed.
std::vector<PoolEvent> collect_n(WorkerPool& pool, std::size_t count) {
  std::vector<PoolEvent> all;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (all.size() < count && std::chrono::steady_clock::now() < deadline)
    for (auto& event : pool.collect(50ms)) all.push_back(std::move(event));
  return all;
}
}  // namespace

TEST(WorkerPool, RunsEveryTaskOnceAndReturnsItsResult) {
  WorkerPool pool(options(2));
  pool.define_job(1, {});
  for (uint64_t i = 0; i < 500; ++i) pool.submit(1, i, i, 1, bytes("item" + std::to_string(i)), {});
  auto events = collect_n(pool, 500);
  ASSERT_EQ(events.size(), 500u);
  std::set<uint64_t> seen;
  for (const auto& event : events) {
    EXPECT_EQ(event.kind, PoolEvent::Kind::Result);
    EXPECT_EQ(text(event.payload), "item" + std::to_string(event.task_id));
    seen.insert(event.task_id);
  }
  EXPECT_EQ(seen.size(), 500u);
  EXPECT_EQ(pool.tasks_in_flight(), 0u);
}

TEST(WorkerPool, MovesLargeBuffersBothWaysReusingSegmentsAndLeavesNone) {
  WorkerPool pool(options(2));
  pool.define_job(1, {});
  std::vector<std::byte> big(1 << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i % 251);
  int after_first_round = 0;
  for (int round = 0; round < 5; ++round) {
    for (uint64_t i = 0; i < 4; ++i) pool.submit(1, round * 4 + i, i, 1, bytes("x"), {pool.stage(big)});
    auto events = collect_n(pool, 4);
    ASSERT_EQ(events.size(), 4u);
    for (const auto& event : events) {
      ASSERT_EQ(event.buffers.size(), 1u);
      ASSERT_EQ(event.buffers[0]->size(), big.size());
      EXPECT_TRUE(std::equal(big.begin(), big.end(), event.buffers[0]->data()));
    }
    events.clear();  // the leases die: their segments go back to the workers
    collect_n(pool, 0);
    if (round == 0) after_first_round = pool_segments();
  }
  // Returned segments were reused: 40 transfers, but only the first round's segments
  // plus one per worker whose last lease was still pending.
  EXPECT_LE(pool_segments(), after_first_round + 2);
  pool.terminate();
  EXPECT_EQ(pool_segments(), 0);
}

// Results the caller keeps are copies in this process's memory: the worker's segment
// goes back at once, so a worker returning many large results reuses a few segments
// instead of faulting a fresh one per result.
TEST(WorkerPool, KeptResultsDoNotPinTheWorkersSegments) {
  WorkerPool pool(options(1));
  pool.define_job(1, {});
  std::vector<std::byte> big(1 << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i % 253);
  std::vector<PoolEvent> kept;
  for (uint64_t i = 0; i < 8; ++i) {
    pool.submit(1, i, i, 1, bytes("x"), {pool.stage(big)});
    for (auto& event : collect_n(pool, 1)) kept.push_back(std::move(event));
  }
  ASSERT_EQ(kept.size(), 8u);
  for (const auto& event : kept) {
    ASSERT_EQ(event.buffers.size(), 1u);
    EXPECT_TRUE(std::equal(big.begin(), big.end(), event.buffers[0]->data()));
  }
  EXPECT_LE(pool_segments("w"), 2);
  pool.terminate();
}

TEST(WorkerPool, StagesNoMoreLargeBuffersWhileEnoughAreOutButKeepsEveryWorkerBusy) {
  WorkerPool pool(options(2));
  pool.define_job(1, {});
  const std::vector<std::byte> big(12 << 20);  // two of them pass the budget (8 MiB per worker)
  EXPECT_TRUE(pool.wants_tasks());
  pool.submit(1, 1, 0, 1, bytes("sleep"), {pool.stage(big)});
  EXPECT_TRUE(pool.wants_tasks());  // over budget, but a worker has no task yet
  pool.submit(1, 2, 1, 1, bytes("sleep"), {pool.stage(big)});
  EXPECT_FALSE(pool.wants_tasks());  // 24 MiB out and every worker has a task
  auto events = collect_n(pool, 2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(pool.wants_tasks());  // nothing in flight: the workers need tasks again
  events.clear();
  pool.terminate();
  EXPECT_EQ(pool_segments(), 0);
}

TEST(WorkerPool, BlamesACrashOnTheRunningTaskAndReplacesTheWorker) {
  WorkerPool pool(options(1));
  pool.define_job(1, {});
  pool.submit(1, 0, 0, 1, bytes("a"), {});
  pool.submit(1, 1, 1, 1, bytes("die"), {});
  pool.submit(1, 2, 2, 1, bytes("c"), {});
  const pid_t first_pid = pool.worker_pids().at(0);
  auto events = collect_n(pool, 3);
  ASSERT_EQ(events.size(), 3u);
  int crashes = 0;
  for (const auto& event : events) {
    if (event.kind != PoolEvent::Kind::Crash) continue;
    ++crashes;
    EXPECT_EQ(event.task_id, 1u);
    EXPECT_EQ(event.crashed_item, 1);
    EXPECT_TRUE(event.exit_status.by_signal);
    EXPECT_EQ(event.exit_status.value, SIGKILL);
    EXPECT_EQ(event.worker_pid, first_pid);
  }
  EXPECT_EQ(crashes, 1);
  EXPECT_NE(pool.worker_pids().at(0), first_pid);
}

TEST(WorkerPool, KillsAWorkerThatCorruptsItsChannelAndGoesOn) {
  WorkerPool pool(options(1));
  pool.define_job(1, {});
  pool.submit(1, 0, 0, 1, bytes("corrupt"), {});
  pool.submit(1, 1, 1, 1, bytes("after"), {});
  const pid_t first_pid = pool.worker_pids().at(0);
  auto events = collect_n(pool, 2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Crash);
  EXPECT_EQ(events[0].task_id, 0u);
  EXPECT_EQ(events[0].worker_pid, first_pid);
  EXPECT_NE(events[0].reason.find("corrupt"), std::string::npos) << events[0].reason;
  EXPECT_EQ(events[1].kind, PoolEvent::Kind::Result);
  EXPECT_EQ(text(events[1].payload), "after");
  EXPECT_NE(pool.worker_pids().at(0), first_pid);
}

TEST(WorkerPool, ReclaimsTheSegmentsADeadWorkerHeldWhenItsDeathIsNoticed) {
  WorkerPool pool(options(1));
  pool.define_job(1, {});
  const std::vector<std::byte> big(1 << 20, std::byte{7});
  pool.submit(1, 0, 0, 1, bytes("hold"), {pool.stage(big)});
  ASSERT_EQ(collect_n(pool, 1).size(), 1u);
  EXPECT_GE(pool.staged_bytes_in_use(), big.size());  // the worker keeps it
  pool.submit(1, 1, 1, 1, bytes("die"), {});
  auto events = collect_n(pool, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Crash);
  EXPECT_EQ(pool.staged_bytes_in_use(), 0u);
  // The reclaimed segment carries the next buffer: no segment of the pool's is added.
  const int before = pool_segments("p.");
  pool.submit(1, 2, 2, 1, bytes("x"), {pool.stage(big)});
  ASSERT_EQ(collect_n(pool, 1).size(), 1u);
  EXPECT_EQ(pool_segments("p."), before);
}

TEST(WorkerPool, ReportsTheExitCodeOfAWorkerThatExits) {
  WorkerPool pool(options(2));
  pool.define_job(1, {});
  pool.submit(1, 0, 5, 1, bytes("exit:7"), {});
  auto events = collect_n(pool, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Crash);
  EXPECT_EQ(events[0].crashed_item, 5);
  EXPECT_EQ(events[0].exit_status.describe(), "exit code 7");
}

TEST(WorkerPool, NoticesACrashWithinASecond) {
  WorkerPool pool(options(2));
  pool.define_job(1, {});
  pool.submit(1, 0, 0, 1, bytes("sleep"), {});
  collect_n(pool, 1);
  pool.submit(1, 1, 1, 1, bytes("sleep"), {});
  std::this_thread::sleep_for(50ms);
  for (pid_t pid : pool.worker_pids()) ::kill(pid, SIGKILL);
  const auto start = std::chrono::steady_clock::now();
  auto events = collect_n(pool, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::Crash);
}

TEST(WorkerPool, TaskErrorsComeBackAsEvents) {
  WorkerPool pool(options(1));
  pool.define_job(1, {});
  pool.submit(1, 0, 0, 1, bytes("fail"), {});
  auto events = collect_n(pool, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PoolEvent::Kind::TaskError);
}

TEST(WorkerPool, ReplacesWorkersAfterMaxTasks) {
  WorkerPoolOptions o = options(1);
  o.max_tasks_per_worker = 2;
  WorkerPool pool(o);
  pool.define_job(1, {});
  std::set<pid_t> pids;
  for (uint64_t i = 0; i < 6; ++i) {
    pool.submit(1, i, i, 1, bytes("x"), {});
    pids.insert(pool.worker_pids().at(0));
  }
  auto events = collect_n(pool, 6);
  EXPECT_EQ(events.size(), 6u);
  for (const auto& event : events) EXPECT_EQ(event.kind, PoolEvent::Kind::Result);
}

TEST(WorkerPool, TerminateKillsAndReapsEveryWorker) {
  std::vector<pid_t> pids;
  {
    WorkerPool pool(options(3));
    pids = pool.worker_pids();
    pool.define_job(1, {});
    pool.submit(1, 0, 0, 1, bytes("sleep"), {});
    pool.terminate();
    EXPECT_TRUE(pool.worker_pids().empty());
  }
  for (pid_t pid : pids) EXPECT_NE(::kill(pid, 0), 0);
  EXPECT_EQ(pool_segments(), 0);
}

TEST(WorkerPool, ShutdownLetsWorkersExitCleanly) {
  WorkerPool pool(options(2));
  auto pids = pool.worker_pids();
  pool.shutdown(5s);
  for (pid_t pid : pids) EXPECT_NE(::kill(pid, 0), 0);
}

TEST(WorkerPool, GivesUpOnWorkersThatDieWhileStarting) {
  WorkerPoolOptions o = options(1);
  o.worker_command = {"/bin/sh", "-c", "exit 4"};
  WorkerPool pool(o);
  pool.define_job(1, {});
  pool.submit(1, 0, 0, 1, bytes("x"), {});
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  bool gave_up = false;
  while (!gave_up && std::chrono::steady_clock::now() < deadline) {
    try {
      pool.collect(50ms);
    } catch (const std::runtime_error& error) {
      gave_up = std::string(error.what()).find("exit code 4") != std::string::npos;
    }
  }
  EXPECT_TRUE(gave_up);
  pool.terminate();
  EXPECT_TRUE(pool.worker_pids().empty());
}

TEST(WorkerPool, RejectsZeroWorkers) { EXPECT_THROW(WorkerPool(options(0)), std::invalid_argument); }
