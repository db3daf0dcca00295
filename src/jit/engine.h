#pragma once
// The process's one LLVM JIT: ORC LLJIT for the host CPU. We run the O3 pipeline and
// the code generator ourselves, so every compiled module leaves behind its object code:
// another process (a pool worker, an MPI rank) can link those bytes instead of
// compiling the function again.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Target/TargetMachine.h>

namespace accel::jit {

class Engine {
 public:
  static llvm::Expected<std::unique_ptr<Engine>> create();

  /// Prepares an empty module for this CPU (triple, data layout).
  void configure(llvm::Module& module) const;
  /// A module name no other module has, in this process or any other: "accel.<nonce>.<n>",
  /// with a random 64-bit nonce drawn again after fork().
  std::string next_module_name();
  /// Gives every definition but `entry` internal linkage, optimizes, generates object
  /// code and links it; returns the address of `entry`. `optimized_ir` (if given)
  /// receives the IR after optimization, `object_code` (if given) the object file.
  llvm::Expected<uint64_t> add(llvm::orc::ThreadSafeModule module, const std::string& entry,
                               std::string* optimized_ir, std::string* object_code);
  /// Links object code that add() made (here or in another process) and returns the
  /// address of `entry`. An entry already linked in this process returns its first
  /// address: the same function is often unpickled many times.
  llvm::Expected<uint64_t> load_object(const std::string& entry, const std::string& object_code);

  const std::string& cpu_name() const { return cpu_; }
  /// LLVM's feature string for the host, "+avx2,-avx512f,...": what the code may use.
  const std::string& features() const { return features_; }
  const std::string& triple() const { return triple_; }

 private:
  struct Linked {
    uint64_t address;
    size_t object_digest;  // tells a second copy of one object from a clashing name
  };

  void optimize(llvm::Module& module) const;
  llvm::Expected<std::string> emit_object(llvm::Module& module);
  // Both expect mutex_ held.
  llvm::Expected<uint64_t> link(const std::string& entry, const std::string& object_code);

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::unique_ptr<llvm::TargetMachine> target_;
  std::string cpu_;
  std::string features_;
  std::string triple_;
  std::unordered_map<std::string, Linked> linked_;  // entry name → where it is
  uint64_t nonce_ = 0;
  long nonce_pid_ = -1;
  uint64_t module_counter_ = 0;
  std::mutex mutex_;
};

/// The shared engine, created on first use (thread-safe).
Engine& shared_engine();

}  // namespace accel::jit
