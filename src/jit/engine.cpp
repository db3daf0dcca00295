#include "jit/engine.h"

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <random>

#include <llvm/ADT/SmallVector.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/InductiveRangeCheckElimination.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include "runtime/abi.h"
#include "runtime/histogram.h"
#include "runtime/legacy_random.h"

namespace accel::jit {

llvm::Expected<std::unique_ptr<Engine>> Engine::create() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // Position-independent, small code model: the object files we emit are linked at
  // whatever address the JIT picks, in this process or another.
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeModel(llvm::CodeModel::Small);
  auto target = builder->createTargetMachine();
  if (!target) return target.takeError();

  auto engine = std::unique_ptr<Engine>(new Engine());
  engine->cpu_ = builder->getCPU();
  engine->features_ = builder->getFeatures().getString();
  engine->triple_ = builder->getTargetTriple().str();
  engine->target_ = std::move(*target);
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*builder)).create();
  if (!jit) return jit.takeError();
  engine->jit_ = std::move(*jit);

  // (1) The runtime lives in this (RTLD_LOCAL) extension, so bind it by address.
  llvm::orc::SymbolMap symbols;
  for (const runtime::RuntimeSymbol& function : runtime::runtime_functions())
    symbols[engine->jit_->mangleAndIntern(function.name)] = {
        llvm::orc::ExecutorAddr::fromPtr(function.address), llvm::JITSymbolFlags::Exported};
  auto& dylib = engine->jit_->getMainJITDylib();
  if (auto error = dylib.define(llvm::orc::absoluteSymbols(std::move(symbols)))) return error;
  // (2) libm and libc come from the process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      engine->jit_->getDataLayout().getGlobalPrefix());
  if (!process) return process.takeError();
  dylib.addGenerator(std::move(*process));
  return engine;
}

void Engine::configure(llvm::Module& module) const {
  module.setDataLayout(jit_->getDataLayout());
  module.setTargetTriple(jit_->getTargetTriple().str());
}

void Engine::optimize(llvm::Module& module) const {
  // Tell every function which CPU it runs on, so the vectorizer uses its full width.
  for (llvm::Function& fn : module) {
    if (fn.isDeclaration()) continue;
    fn.addFnAttr("target-cpu", cpu_);
    fn.addFnAttr("target-features", features_);
  }
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder passes(target_.get());
  // Bounds checks on an index that moves with the loop (x[i] in a prange chunk, or in
  // range(n) with n unrelated to len(x)) are split off into short pre/post loops, so the
  // main loop has none and can be vectorized. IRCE is not in the default pipeline.
  passes.registerVectorizerStartEPCallback(
      [](llvm::FunctionPassManager& pm, llvm::OptimizationLevel) { pm.addPass(llvm::IRCEPass()); });
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(cgscc);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, cgscc, modules);
  passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(module, modules);
}

std::string Engine::next_module_name() {
  std::lock_guard lock(mutex_);
  // A forked child inherits the parent's nonce and counter; a fresh nonce keeps the
  // names it makes from clashing with the parent's when their objects meet again.
  if (nonce_pid_ != static_cast<long>(getpid())) {
    std::random_device device;
    nonce_ = (static_cast<uint64_t>(device()) << 32) ^ device();
    nonce_pid_ = static_cast<long>(getpid());
  }
  char nonce[17];
  std::snprintf(nonce, sizeof nonce, "%016llx", static_cast<unsigned long long>(nonce_));
  return "accel." + std::string(nonce) + "." + std::to_string(module_counter_++);
}

llvm::Expected<std::string> Engine::emit_object(llvm::Module& module) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager codegen;
  if (target_->addPassesToEmitFile(codegen, out, nullptr, llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "this target cannot emit object files");
  codegen.run(module);
  return std::string(buffer.data(), buffer.size());
}

llvm::Expected<uint64_t> Engine::link(const std::string& entry, const std::string& object_code) {
  const size_t digest = std::hash<std::string>{}(object_code);
  if (auto found = linked_.find(entry); found != linked_.end()) {
    if (found->second.object_digest != digest)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "another object already defines " + entry);
    return found->second.address;
  }
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object_code, entry);
  if (auto error = jit_->addObjectFile(std::move(buffer))) return error;
  auto address = jit_->lookup(entry);
  if (!address) return address.takeError();
  linked_[entry] = {address->getValue(), digest};
  return address->getValue();
}

llvm::Expected<uint64_t> Engine::add(llvm::orc::ThreadSafeModule module, const std::string& entry,
                                     std::string* optimized_ir, std::string* object_code) {
  std::lock_guard lock(mutex_);
  llvm::Expected<std::string> object = module.withModuleDo([&](llvm::Module& m) {
    // Only the entry is looked up; anything else left external could clash with a
    // symbol of another loaded object.
    for (llvm::GlobalValue& value : m.global_values())
      if (!value.isDeclaration() && value.getName() != entry && !value.getName().starts_with("llvm."))
        value.setLinkage(llvm::GlobalValue::InternalLinkage);
    optimize(m);
    if (optimized_ir) {
      llvm::raw_string_ostream out(*optimized_ir);
      m.print(out, nullptr);
    }
    return emit_object(m);
  });
  if (!object) return object.takeError();
  auto address = link(entry, *object);
  if (address && object_code) *object_code = std::move(*object);
  return address;
}

llvm::Expected<uint64_t> Engine::load_object(const std::string& entry, const std::string& object_code) {
  std::lock_guard lock(mutex_);
  return link(entry, object_code);
}

Engine& shared_engine() {
  // Never destroyed: compiled code may still be referenced at interpreter exit.
  static Engine* engine = [] {
    auto created = Engine::create();
    if (!created)
      throw std::runtime_error("accel: cannot start the LLVM JIT: " + llvm::toString(created.takeError()));
    return created->release();
  }();
  return *engine;
}

}  // namespace accel::jit
