#include "jit/compiler.h"

#include <functional>

#include "codegen/module_emitter.h"
#include "frontend/diagnostic.h"
#include "infer/inference.h"
#include "jit/cpu_features.h"
#include "jit/engine.h"
#include "passes/parallel_loops.h"
#include "types/declared_return.h"
#include "types/promotion.h"

namespace accel::jit {
namespace {

bool returnable(types::Type t) {
  if (t->kind == types::Kind::Tuple) {
    for (types::Type e : t->elements)
      if (!returnable(e)) return false;
    return true;
  }
  // An empty `[]`, `{}` or `set()` whose items are never known is returned empty.
  if (t->kind == types::Kind::List) return !types::list_item(t) || returnable(types::list_item(t));
  if (t->kind == types::Kind::Dict || t->kind == types::Kind::Set) {
    for (types::Type e : t->elements)
      if (!returnable(e)) return false;
    return true;
  }
  return types::is_scalar(t) || t->kind == types::Kind::None || t->kind == types::Kind::Array ||
         t->kind == types::Kind::Str;
}

// (2) and (3) for a solved inference: plan parallel loops (refusing bodies that carry
// values between iterations), emit the module with `emit` (which returns the name of
// the function to export), optimize it and link its machine code.
CompiledFunction emit_and_link(const infer::Inference& inference,
                               const std::function<std::string(codegen::ModuleEmitter&)>& emit) {
  const passes::ParallelPlans plans = passes::plan_parallel_loops(inference);
  Engine& engine = shared_engine();
  auto context = std::make_unique<llvm::LLVMContext>();
  const std::string module_name = engine.next_module_name();
  auto module = std::make_unique<llvm::Module>(module_name, *context);
  engine.configure(*module);
  codegen::ModuleEmitter emitter(*module, inference, plans);
  std::string entry_name = emit(emitter);
  // Entries must be unique across every module any process adds: their objects may meet.
  module->getFunction(entry_name)->setName(module_name + "." + entry_name);
  entry_name = module_name + "." + entry_name;

  CompiledFunction out;
  auto address = engine.add(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)),
                            entry_name, &out.optimized_ir, &out.object_code);
  if (!address) throw std::runtime_error("accel: LLVM failed: " + llvm::toString(address.takeError()));
  out.entry = reinterpret_cast<void*>(*address);
  out.entry_name = entry_name;
  out.triple = engine.triple();
  out.cpu = engine.cpu_name();
  out.features = engine.features();
  out.warnings = passes::serial_loop_warnings(plans);
  return out;
}

void check_arity(const frontend::FunctionSource& source, size_t count) {
  if (count != source.def.params.size())
    frontend::fail(frontend::ErrorCode::BadCall, source.def.span,
                   source.def.name + "() takes " + std::to_string(source.def.params.size()) +
                       " arguments, " + std::to_string(count) + " given.");
}

}  // namespace

CompiledFunction compile(const frontend::Program& program, int function_index,
                         const std::vector<types::Type>& arg_types,
                         std::optional<DeclaredReturn> declared_return) {
  const auto& source = program.function(function_index);
  check_arity(source, arg_types.size());

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

  // (2) Emit, (3) optimize and generate machine code.
  CompiledFunction out = emit_and_link(inference, [&](codegen::ModuleEmitter& e) { return e.emit(spec, declared); });
  out.arg_types = arg_types;
  out.return_type = result_type;
  return out;
}

CompiledUFuncLoop compile_ufunc_loop(const frontend::Program& program, int function_index,
                                     codegen::UFuncLoopLayout layout) {
  const auto& source = program.function(function_index);
  const std::vector<types::Type> arg_types = layout.kernel_arg_types();
  check_arity(source, arg_types.size());

  // (1) Infer the kernel for the operands' types; it must fit the loop.
  infer::Inference inference(program);
  infer::Specialization& spec = inference.specialize(function_index, arg_types);
  const types::Type returned = spec.return_type ? spec.return_type : types::none();
  if (layout.generalized) {
    if (returned->kind != types::Kind::None)
      frontend::fail(frontend::ErrorCode::TypeMismatch, source.def.span,
                     "a guvectorize kernel writes its outputs and returns nothing, but " + source.def.name +
                         "() returns " + types::name(returned) + ".",
                     "Write the results into the output arrays (out[i] = ..., out[0] = ... for a "
                     "\"()\" output) and remove the return value.");
  } else {
    if (!types::is_scalar(returned))
      frontend::fail(frontend::ErrorCode::TypeMismatch, source.def.span,
                     "a vectorize kernel returns one number per element, but " + source.def.name +
                         "() returns " + types::name(returned) + ".",
                     "Return a number (bool, int, float); for arrays or several outputs use "
                     "@accel.guvectorize, which writes into output arrays.");
    types::Kind& output = layout.operands.back().dtype;
    if (output == types::Kind::None) output = types::numpy_kind(returned->kind);
  }

  // (2) Emit the kernel and its loop, (3) optimize and generate machine code.
  CompiledUFuncLoop out;
  out.code = emit_and_link(inference, [&](codegen::ModuleEmitter& e) { return e.emit_ufunc_loop(spec, layout); });
  out.code.arg_types = arg_types;
  out.code.return_type = returned;
  out.layout = std::move(layout);
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
