// Compiled functions keep their object code, and another process can link it instead
// of compiling: the engine's half of pickling a jitted function.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "../ast_builder.h"
#include "codegen/module_emitter.h"
#include "jit/compiler.h"
#include "jit/cpu_features.h"
#include "jit/engine.h"
#include "types/type_text.h"

using namespace accel;
using namespace accel::testing;
using types::Kind;

namespace {

// def f(a, b): return a * 1000 + b
Program weighted_sum() {
  return program("f", {"a", "b"},
                 block(ret(bin(Operator::Add, bin(Operator::Mult, name("a"), lit(int64_t{1000})), name("b")))));
}

std::vector<types::Type> two_ints() { return {types::scalar(Kind::PyInt), types::scalar(Kind::PyInt)}; }

int64_t call(void* entry, int64_t a, int64_t b) {
  uint64_t args[2] = {static_cast<uint64_t>(a), static_cast<uint64_t>(b)};
  uint64_t result = 0;
  EXPECT_EQ(reinterpret_cast<codegen::EntryFunction>(entry)(args, &result), 0);
  return static_cast<int64_t>(result);
}

// The nonce of "accel.<nonce>.<n>.<name>".
std::string nonce_of(const std::string& entry_name) {
  const size_t first = entry_name.find('.');
  return entry_name.substr(first + 1, entry_name.find('.', first + 1) - first - 1);
}

bool write_all(int fd, const std::string& bytes) {
  const uint64_t size = bytes.size();
  if (write(fd, &size, sizeof size) != sizeof size) return false;
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string read_all(int fd) {
  uint64_t size = 0;
  if (read(fd, &size, sizeof size) != sizeof size) return "";
  std::string out(size, '\0');
  for (size_t done = 0; done < size;) {
    ssize_t n = read(fd, out.data() + done, size - done);
    if (n <= 0) return "";
    done += static_cast<size_t>(n);
  }
  return out;
}

}  // namespace

TEST(ObjectCode, EveryCompiledFunctionKeepsItsObjectAndTarget) {
  auto f = jit::compile(weighted_sum(), 0, two_ints());
  EXPECT_GT(f.object_code.size(), 64u);
  EXPECT_EQ(f.object_code.substr(0, 4), "\x7f" "ELF");
  EXPECT_EQ(f.entry_name.rfind("accel.", 0), 0u) << f.entry_name;
  EXPECT_EQ(nonce_of(f.entry_name).size(), 16u) << f.entry_name;
  EXPECT_EQ(f.cpu, jit::shared_engine().cpu_name());
  EXPECT_EQ(f.features, jit::shared_engine().features());
  EXPECT_EQ(f.triple, jit::shared_engine().triple());
  EXPECT_EQ(call(f.entry, 3, 4), 3004);
}

TEST(ObjectCode, LoadingAnEntryAgainReturnsTheFirstAddress) {
  auto f = jit::compile(weighted_sum(), 0, two_ints());
  jit::CompiledFunction copy = f;
  copy.entry = nullptr;
  ASSERT_TRUE(jit::load_compiled(copy));
  EXPECT_EQ(copy.entry, f.entry);
  ASSERT_TRUE(jit::load_compiled(copy));
  EXPECT_EQ(copy.entry, f.entry);
}

TEST(ObjectCode, AnotherObjectUnderAnExistingEntryNameIsRefused) {
  auto f = jit::compile(weighted_sum(), 0, two_ints());
  auto g = jit::compile(weighted_sum(), 0, {types::scalar(Kind::PyInt), types::scalar(Kind::PyFloat)});
  auto clash = jit::shared_engine().load_object(f.entry_name, g.object_code);
  ASSERT_FALSE(clash);
  EXPECT_NE(llvm::toString(clash.takeError()).find("already defines"), std::string::npos);
}

TEST(ObjectCode, ModulesOfOneProcessHaveDistinctNames) {
  auto f = jit::compile(weighted_sum(), 0, two_ints());
  auto g = jit::compile(weighted_sum(), 0, two_ints());
  EXPECT_NE(f.entry_name, g.entry_name);
  EXPECT_EQ(nonce_of(f.entry_name), nonce_of(g.entry_name));
}

TEST(ObjectCode, ObjectCompiledInAForkedChildRunsHere) {
  // The child inherits this process's engine, nonce and module counter: without a
  // fresh nonce its first module would be named like our next one.
  auto before = jit::compile(weighted_sum(), 0, two_ints());
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    auto f = jit::compile(weighted_sum(), 0, two_ints());
    const std::string return_text = types::to_text(f.return_type);
    const bool ok = write_all(pipe_fds[1], f.entry_name) && write_all(pipe_fds[1], f.object_code) &&
                    write_all(pipe_fds[1], return_text) && write_all(pipe_fds[1], f.features);
    _exit(ok ? 0 : 1);
  }
  close(pipe_fds[1]);
  jit::CompiledFunction received;
  received.entry_name = read_all(pipe_fds[0]);
  received.object_code = read_all(pipe_fds[0]);
  received.return_type = types::from_text(read_all(pipe_fds[0]));
  received.features = read_all(pipe_fds[0]);
  received.triple = jit::shared_engine().triple();
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  EXPECT_NE(nonce_of(received.entry_name), nonce_of(before.entry_name));
  auto after = jit::compile(weighted_sum(), 0, two_ints());  // the name the child also used
  EXPECT_NE(after.entry_name, received.entry_name);
  ASSERT_TRUE(jit::load_compiled(received));
  EXPECT_NE(received.entry, after.entry);
  EXPECT_EQ(received.return_type, types::scalar(Kind::PyInt));
  EXPECT_EQ(call(received.entry, -2, 5), -1995);
}

TEST(ObjectCode, CodeNeedingAFeatureThisCpuLacksIsNotLoaded) {
  auto f = jit::compile(weighted_sum(), 0, two_ints());
  jit::CompiledFunction copy = f;
  copy.entry = nullptr;
  copy.features += ",+nonexistent-feature";
  EXPECT_FALSE(jit::load_compiled(copy));
  EXPECT_EQ(copy.entry, nullptr);
  copy.features = f.features;
  copy.triple = "riscv64-unknown-linux-gnu";
  EXPECT_FALSE(jit::load_compiled(copy));
}

TEST(CpuFeatures, OnlyEnabledFeaturesAreNeeded) {
  EXPECT_TRUE(jit::missing_features("+sse2,-avx512f", "+sse2,+avx2,-avx512f").empty());
  EXPECT_TRUE(jit::missing_features("", "+sse2").empty());
  EXPECT_EQ(jit::missing_features("+avx2,+sse2,-x", "+sse2,-avx2"), std::vector<std::string>{"avx2"});
  EXPECT_EQ(jit::missing_features("+avx512f", ""), std::vector<std::string>{"avx512f"});
}
