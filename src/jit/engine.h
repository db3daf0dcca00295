#pragma once
// The process's one LLVM JIT: ORC LLJIT for the host CPU, with the O3 pipeline run
// before a module is added so its optimized IR can be shown (inspect_llvm).

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Target/TargetMachine.h>

namespace accel::jit {

class Engine {
 public:
  static llvm::Expected<std::unique_ptr<Engine>> create();

  /// Prepares an empty module for this CPU (triple, data layout).
  void configure(llvm::Module& module) const;
  /// Optimizes and adds the module; returns the address of `entry`. When
  /// `optimized_ir` is given it receives the module's IR after optimization.
  llvm::Expected<uint64_t> add(llvm::orc::ThreadSafeModule module, const std::string& entry,
                               std::string* optimized_ir);

  const std::string& cpu_name() const { return cpu_; }

 private:
  void optimize(llvm::Module& module) const;

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::unique_ptr<llvm::TargetMachine> target_;
  std::string cpu_;
  std::string features_;
  std::mutex mutex_;
};

/// The shared engine, created on first use (thread-safe).
Engine& shared_engine();

}  // namespace accel::jit
