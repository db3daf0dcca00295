#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <type_traits>

#include "codegen/function_emitter.h"

namespace accel::codegen {

ModuleEmitter::ModuleEmitter(llvm::Module& module, const infer::Inference& inference,
                             const passes::ParallelPlans& parallel_plans)
    : module_(module), inference_(inference), parallel_plans_(parallel_plans) {}

const std::unordered_map<const frontend::Stmt*, passes::ParallelLoop>* ModuleEmitter::parallel_plans(
    const Specialization& spec) const {
  auto it = parallel_plans_.find(&spec);
  return it == parallel_plans_.end() ? nullptr : &it->second;
}

int slot_count(Type t) {
  switch (t->kind) {
    case Kind::None: return 0;
    case Kind::Array: return 2 + 2 * t->ndim;
    case Kind::Str: return 3;
    case Kind::List: return 2;  // the list (the caller's reference), its item writer (entry_wrapper.cpp)
    case Kind::Dict: case Kind::Set: return 2;  // the dict (the caller's reference), its entry writer
    case Kind::PyComplex: case Kind::Complex64: case Kind::Complex128: return 2;  // real, imag as doubles
    case Kind::Tuple: {
      int n = 0;
      for (Type e : t->elements) n += slot_count(e);
      return n;
    }
    default: return 1;
  }
}

llvm::Type* ModuleEmitter::storage_type(Kind kind) {
  auto& c = context();
  switch (kind) {
    case Kind::PyBool: case Kind::Bool: return llvm::Type::getInt8Ty(c);
    default: return llvm_type(types::scalar(kind));
  }
}

llvm::Type* ModuleEmitter::llvm_type(Type t) {
  auto& c = context();
  switch (t->kind) {
    case Kind::PyBool: case Kind::Bool: return llvm::Type::getInt1Ty(c);
    case Kind::Int8: case Kind::UInt8: return llvm::Type::getInt8Ty(c);
    case Kind::Int16: case Kind::UInt16: return llvm::Type::getInt16Ty(c);
    case Kind::Int32: case Kind::UInt32: return llvm::Type::getInt32Ty(c);
    case Kind::PyInt: case Kind::Int64: case Kind::UInt64: return llvm::Type::getInt64Ty(c);
    case Kind::Float32: return llvm::Type::getFloatTy(c);
    case Kind::PyFloat: case Kind::Float64: return llvm::Type::getDoubleTy(c);
    case Kind::Complex64: return llvm::StructType::get(c, {llvm::Type::getFloatTy(c), llvm::Type::getFloatTy(c)});
    case Kind::PyComplex: case Kind::Complex128:
      return llvm::StructType::get(c, {llvm::Type::getDoubleTy(c), llvm::Type::getDoubleTy(c)});
    case Kind::Array: {
      // Shapes and strides are stored whatever the layout; a known layout only lets
      // codegen use constant strides instead of these.
      auto* dims = llvm::ArrayType::get(llvm::Type::getInt64Ty(c), static_cast<uint64_t>(t->ndim));
      return llvm::StructType::get(c, {llvm::PointerType::getUnqual(c), llvm::PointerType::getUnqual(c), dims, dims});
    }
    case Kind::Exception: case Kind::List: case Kind::Dict: case Kind::Set: return llvm::PointerType::getUnqual(c);
    case Kind::Str:
      return llvm::StructType::get(c, {llvm::PointerType::getUnqual(c), llvm::PointerType::getUnqual(c),
                                       llvm::Type::getInt64Ty(c)});
    case Kind::Tuple: {
      std::vector<llvm::Type*> elements;
      for (Type e : t->elements) elements.push_back(llvm_type(e));
      return llvm::StructType::get(c, elements);
    }
    default:
      return llvm::StructType::get(c, {});  // None and compile-time entities carry no data
  }
}

llvm::Function* ModuleEmitter::function_for(const Specialization& spec) {
  auto it = functions_.find(&spec);
  if (it != functions_.end()) return it->second;
  std::vector<llvm::Type*> params;
  for (Type t : spec.arg_types) params.push_back(llvm_type(t));
  params.push_back(llvm::PointerType::getUnqual(context()));  // where the result goes
  auto* type = llvm::FunctionType::get(llvm::Type::getInt32Ty(context()), params, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::InternalLinkage, spec.symbol, module_);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  functions_[&spec] = fn;
  return fn;
}

namespace {

// The LLVM type of a C type the runtime's ABI uses: sizes come from the declarations
// themselves, so codegen and the runtime cannot disagree.
template <typename T>
llvm::Type* llvm_type_of(llvm::LLVMContext& c) {
  if constexpr (std::is_void_v<T>) return llvm::Type::getVoidTy(c);
  else if constexpr (std::is_pointer_v<T>) return llvm::PointerType::getUnqual(c);
  else if constexpr (std::is_same_v<T, double>) return llvm::Type::getDoubleTy(c);
  else if constexpr (std::is_same_v<T, float>) return llvm::Type::getFloatTy(c);
  else {
    static_assert(std::is_integral_v<T>, "the runtime's ABI takes numbers and pointers");
    return llvm::IntegerType::get(c, sizeof(T) * 8);
  }
}

template <typename Result, typename... Parameters>
llvm::FunctionType* function_type(llvm::LLVMContext& c, Result (*)(Parameters...)) {
  return llvm::FunctionType::get(llvm_type_of<Result>(c), {llvm_type_of<Parameters>(c)...}, false);
}

}  // namespace

llvm::FunctionCallee ModuleEmitter::runtime(RT function) {
  llvm::FunctionType* type = nullptr;
  switch (function) {
#define ACCEL_RUNTIME_FUNCTION(name, result, parameters, attribute) \
  case RT::name: type = function_type(context(), &name); break;
#include "runtime/abi_functions.h"
#undef ACCEL_RUNTIME_FUNCTION
  }
  const runtime::RuntimeSymbol& symbol = runtime::runtime_function(function);
  llvm::FunctionCallee callee = module_.getOrInsertFunction(symbol.name, type);
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    if (symbol.attribute == runtime::FunctionAttribute::Cold) fn->addFnAttr(llvm::Attribute::Cold);
  }
  return callee;
}

std::string ModuleEmitter::emit(const Specialization& entry, Type declared) {
  for (const auto& spec : inference_.specializations()) {
    FunctionEmitter emitter(*this, *spec);
    emitter.emit();
  }
  llvm::Function* wrapper = emit_entry(entry, declared);
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (llvm::verifyModule(module_, &out))
    throw std::logic_error("accel generated invalid LLVM IR (a compiler bug): " + problems);
  return wrapper->getName().str();
}

namespace {

llvm::FastMathFlags fast_math_flags(const frontend::FastMath& f) {
  llvm::FastMathFlags flags;
  flags.setNoNaNs(f.nnan);
  flags.setNoInfs(f.ninf);
  flags.setNoSignedZeros(f.nsz);
  flags.setAllowReciprocal(f.arcp);
  flags.setAllowContract(f.contract);
  flags.setApproxFunc(f.afn);
  flags.setAllowReassoc(f.reassoc);
  return flags;
}

}  // namespace

FunctionEmitter::FunctionEmitter(ModuleEmitter& module, const Specialization& spec)
    : module_(module),
      spec_(spec),
      context_(module.context()),
      builder_(module.context()),
      boundscheck_(spec.source->options.boundscheck),
      numpy_errors_(spec.source->options.error_model == frontend::ErrorModel::NumPy) {
  // The builder puts these flags on every floating-point instruction it makes (arithmetic,
  // comparisons, selects, phis, calls returning floats), so the function body, its prange
  // chunks and its array-expression loops all get them: each has an emitter of its own
  // made here.
  builder_.setFastMathFlags(fast_math_flags(spec.source->options.fastmath));
}

llvm::BasicBlock* FunctionEmitter::new_block(const char* name) {
  return llvm::BasicBlock::Create(context_, name, function_);
}

Type FunctionEmitter::type_of(const Expr& e) const {
  Type t = spec_.type_of(e);
  if (!t) throw std::logic_error("accel: an expression has no inferred type (a compiler bug)");
  return t;
}

void FunctionEmitter::emit() {
  function_ = module_.function_for(spec_);
  auto* entry = new_block("entry");
  builder_.SetInsertPoint(entry);
  // Every variable gets a stack slot up front; mem2reg turns them into registers.
  // Slots holding arrays start empty (null blocks) so releasing them is always safe.
  for (const auto& [name, type] : spec_.variables) {
    llvm::Type* t = module_.llvm_type(type);
    variables_[name] = builder_.CreateAlloca(t, nullptr, name);
    if (has_arrays(type)) builder_.CreateStore(llvm::Constant::getNullValue(t), variables_[name]);
    owned_variables_.push_back(name);
  }
  parallel_plans_ = module_.parallel_plans(spec_);
  parallel_arrays_ = spec_.source->options.parallel;
  result_pointer_ = function_->getArg(static_cast<unsigned>(spec_.arg_types.size()));
  // Both ways out are filled in at the end, when every temporary is known.
  fail_block_ = new_block("fail");
  exit_block_ = new_block("exit");
  if (spec_.recursive) {
    // The guard fails before this call counts, so the fail path must not leave.
    auto* too_deep = builder_.CreateICmpNE(
        builder_.CreateCall(module_.runtime(RT::accel_rt_enter_recursive)), builder_.getInt32(0));
    auto* go_on = new_block("depth_ok");
    auto* bail = new_block("too_deep");
    builder_.CreateCondBr(too_deep, bail, go_on);
    builder_.SetInsertPoint(bail);
    builder_.CreateRet(builder_.getInt32(1));
    builder_.SetInsertPoint(go_on);
  }

  // Parameters are borrowed from the caller; the variables holding them own a reference.
  const auto& params = spec_.source->def.params;
  for (size_t i = 0; i < params.size(); ++i) {
    Type type = spec_.variables.at(params[i].name);
    llvm::Value* value = cast(function_->getArg(static_cast<unsigned>(i)), spec_.arg_types[i], type);
    retain(value, type);
    builder_.CreateStore(value, variables_.at(params[i].name));
  }
  block(spec_.source->def.body);
  if (spec_.falls_off_end && !builder_.GetInsertBlock()->getTerminator())
    return_value(nullptr, types::none());
  finish_exits(/*leave_recursion=*/spec_.recursive);
}

void FunctionEmitter::finish_exits(bool leave_recursion) {
  for (auto [block, status] : {std::pair{exit_block_, 0}, std::pair{fail_block_, 1}}) {
    builder_.SetInsertPoint(block);
    discard_records();
    release_everything();
    if (leave_recursion) builder_.CreateCall(module_.runtime(RT::accel_rt_leave_recursive));
    builder_.CreateRet(builder_.getInt32(status));
  }
  // What is left open now follows a return, break or continue: nothing reaches it.
  for (llvm::BasicBlock& b : *function_)
    if (!b.getTerminator()) {
      builder_.SetInsertPoint(&b);
      builder_.CreateUnreachable();
    }
}

llvm::Value* FunctionEmitter::message_constant(const char* message) {
  return builder_.CreateGlobalStringPtr(message, "message");
}

void FunctionEmitter::raise_now(AccelErrorKind kind, const char* message) {
  builder_.CreateCall(module_.runtime(RT::accel_rt_raise),
                      {builder_.getInt32(kind), message_constant(message)});
  builder_.CreateBr(fail_block_);
}

void FunctionEmitter::raise_if(llvm::Value* failed, AccelErrorKind kind, const char* message) {
  auto* error = new_block("error");
  auto* ok = new_block("ok");
  builder_.CreateCondBr(failed, error, ok);
  builder_.SetInsertPoint(error);
  raise_now(kind, message);
  builder_.SetInsertPoint(ok);
}

void FunctionEmitter::raise_class_if(llvm::Value* failed, const char* class_path, const char* message) {
  auto* error = new_block("error");
  auto* ok = new_block("ok");
  builder_.CreateCondBr(failed, error, ok);
  builder_.SetInsertPoint(error);
  builder_.CreateCall(module_.runtime(RT::accel_rt_raise_class),
                      {message_constant(class_path), message_constant(message), builder_.getInt32(1)});
  builder_.CreateBr(fail_block_);
  builder_.SetInsertPoint(ok);
}

void FunctionEmitter::propagate_if(llvm::Value* failed) {
  auto* ok = new_block("ok");
  builder_.CreateCondBr(failed, fail_block_, ok);
  builder_.SetInsertPoint(ok);
}

}  // namespace accel::codegen
