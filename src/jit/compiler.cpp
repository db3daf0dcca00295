#include "jit/compiler.h"

#include "codegen/module_emitter.h"
#include "frontend/diagnostic.h"
#include "infer/inference.h"
#include "jit/cpu_features.h"
#include "jit/engine.h"
#include "passes/parallel_loops.h"
#include "types/declared_return.h"

namespace accel::jit {
namespace {

bool returnable(types::Type t) {
  if (t->kind == types::Kind::Tuple) {
    for (types::Type e : t->elements)
      if (!returnable(e)) return false;
    return true;
  }
  return types::is_scalar(t) || t->kind == types::Kind::None || t->kind == types::Kind::Array;
}

}  // namespace

CompiledFunction compile(const frontend::Program& program, int function_index,
                         const std::vector<types::Type>& arg_types,
                         std::optional<DeclaredReturn> declared_return) {
  const auto& source = program.function(function_index);
  if (arg_types.size() != source.def.params.size())
    frontend::fail(frontend::ErrorCode::BadCall, source.def.span,
                   source.def.name + "() takes " + std::to_string(source.def.params.size()) +
                       " arguments, " + std::to_string(arg_types.size()) + " given.");

  // (1) Infer types for this signature and everything it calls.
  infer::Inference inference(program);
  infer::Specialization& spec = inference.specialize(function_index, arg_types);
  if (!returnable(spec.return_type))
    frontend::fail(frontend::ErrorCode::UnsupportedSyntax, source.def.span,
                   "returning a " + types::name(spec.return_type) +
                       " from compiled code is not supported yet.",
                   "Return numbers or tuples of numbers; write results into an array argument.");
  types::Type result_type = spec.return_type, declared = nullptr;
  if (declared_return) {
    const types::ReturnConversion conversion = types::declared_return(spec.return_type, declared_return->type);
    if (!conversion.problem.empty())
      frontend::fail(frontend::ErrorCode::TypeMismatch, source.def.span, conversion.problem,
                     "Declare the type the function returns, or convert the result in the function "
                     "(np.float64(x) for a number, x.copy() for a C-contiguous array).");
    result_type = conversion.result;
    declared = declared_return->type ? declared_return->type : spec.return_type;
  }

  // (2) Plan parallel loops (refusing bodies that carry values between iterations), then emit.
  const passes::ParallelPlans plans = passes::plan_parallel_loops(inference);
  Engine& engine = shared_engine();
  auto context = std::make_unique<llvm::LLVMContext>();
  const std::string module_name = engine.next_module_name();
  auto module = std::make_unique<llvm::Module>(module_name, *context);
  engine.configure(*module);
  codegen::ModuleEmitter emitter(*module, inference, plans);
  std::string entry_name = emitter.emit(spec, declared);
  // Entries must be unique across every module any process adds: their objects may meet.
  module->getFunction(entry_name)->setName(module_name + "." + entry_name);
  entry_name = module_name + "." + entry_name;

  // (3) Optimize and generate machine code.
  CompiledFunction out;
  auto address = engine.add(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)),
                            entry_name, &out.optimized_ir, &out.object_code);
  if (!address) throw std::runtime_error("accel: LLVM failed: " + llvm::toString(address.takeError()));
  out.entry = reinterpret_cast<void*>(*address);
  out.arg_types = arg_types;
  out.return_type = result_type;
  out.entry_name = entry_name;
  out.triple = engine.triple();
  out.cpu = engine.cpu_name();
  out.features = engine.features();
  return out;
}

bool load_compiled(CompiledFunction& compiled) {
  Engine& engine = shared_engine();
  if (compiled.triple != engine.triple() ||
      !missing_features(compiled.features, engine.features()).empty())
    return false;
  auto address = engine.load_object(compiled.entry_name, compiled.object_code);
  if (!address)
    throw std::runtime_error("accel: LLVM cannot link " + compiled.entry_name + ": " +
                             llvm::toString(address.takeError()));
  compiled.entry = reinterpret_cast<void*>(*address);
  return true;
}

}  // namespace accel::jit
