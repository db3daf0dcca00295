// A prange loop becomes a chunk function that runs a slice [begin, end) of the trip
// count; the runtime (OpenMP) runs the chunks on its threads. Reductions accumulate in a
// private copy per chunk and are combined in chunk order afterwards.

#include "codegen/function_emitter.h"

namespace accel::codegen {

using frontend::Stmt;
using passes::ReductionOp;

namespace {

// Field numbers of the context the caller passes to the chunk function.
enum ContextField : unsigned { kStart, kStep, kTripCount, kVariables, kPartials };

}  // namespace

std::vector<std::string> FunctionEmitter::variable_names() const {
  std::vector<std::string> names;
  for (const auto& entry : spec_.variables) names.push_back(entry.first);
  return names;
}

llvm::Value* FunctionEmitter::reduction_identity(ReductionOp op, Type type, llvm::Value* current) {
  switch (op) {
    case ReductionOp::Add: return cast_kind(int_constant(Kind::PyInt, 0), Kind::PyInt, type->kind);
    case ReductionOp::Multiply: return cast_kind(int_constant(Kind::PyInt, 1), Kind::PyInt, type->kind);
    default: return current;  // min and max: the value before the loop is neutral
  }
}

llvm::Value* FunctionEmitter::combine(ReductionOp op, Type type, llvm::Value* a, llvm::Value* b) {
  switch (op) {
    case ReductionOp::Add: return binary(Operator::Add, a, type, b, type);
    case ReductionOp::Multiply: return binary(Operator::Mult, a, type, b, type);
    case ReductionOp::Min: return builder_.CreateSelect(compare_values(Operator::Lt, b, type, a, type), b, a);
    case ReductionOp::Max: return builder_.CreateSelect(compare_values(Operator::Gt, b, type, a, type), b, a);
  }
  return a;
}

void FunctionEmitter::for_prange(const Stmt& s, const Expr& range_call, const passes::ParallelLoop& plan) {
  auto* i64 = builder_.getInt64Ty();
  auto* ptr = builder_.getPtrTy();
  // (1) The range, and how many chunks it is cut into.
  RangeBounds range = range_bounds(range_call);
  llvm::Value* chunks = builder_.CreateCall(module_.runtime(RT::accel_rt_parallel_chunks), {range.trip_count});

  // (2) The context: the range, where every variable lives, a partial result per chunk.
  const std::vector<std::string> names = variable_names();
  auto* context_type = llvm::StructType::get(
      context_, {i64, i64, i64, llvm::ArrayType::get(ptr, names.size()),
                 llvm::ArrayType::get(ptr, plan.reductions.size())});
  auto* context = builder_.CreateAlloca(context_type);
  builder_.CreateStore(range.start, builder_.CreateStructGEP(context_type, context, kStart));
  builder_.CreateStore(range.step, builder_.CreateStructGEP(context_type, context, kStep));
  builder_.CreateStore(range.trip_count, builder_.CreateStructGEP(context_type, context, kTripCount));
  for (size_t i = 0; i < names.size(); ++i)
    builder_.CreateStore(variables_.at(names[i]),
                         builder_.CreateGEP(context_type, context, {builder_.getInt32(0), builder_.getInt32(kVariables),
                                                                    builder_.getInt32(static_cast<uint32_t>(i))}));
  std::vector<llvm::Value*> partials;
  for (size_t r = 0; r < plan.reductions.size(); ++r) {
    Type type = spec_.variables.at(plan.reductions[r].variable);
    auto* slots = builder_.CreateAlloca(module_.llvm_type(type), chunks);
    partials.push_back(slots);
    builder_.CreateStore(slots, builder_.CreateGEP(context_type, context, {builder_.getInt32(0), builder_.getInt32(kPartials),
                                                                          builder_.getInt32(static_cast<uint32_t>(r))}));
  }

  // (3) Run the chunks on the thread team; an error comes back as this thread's.
  llvm::Function* chunk_function = emit_chunk_function(s, plan, context_type);
  llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_parallel_for),
                                            {range.trip_count, chunks, chunk_function, context});
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));

  // (4) Combine the partial results in chunk order. Chunks that got no iterations hold
  // the identity, so every slot can be read.
  for (size_t r = 0; r < plan.reductions.size(); ++r) {
    const auto& reduction = plan.reductions[r];
    Type type = spec_.variables.at(reduction.variable);
    llvm::Type* llvm_type = module_.llvm_type(type);
    llvm::Value* slot = variables_.at(reduction.variable);
    auto* before = builder_.GetInsertBlock();
    auto* loop = new_block("combine");
    auto* done = new_block("combine.done");
    llvm::Value* initial = builder_.CreateLoad(llvm_type, slot);
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(loop);
    auto* c = builder_.CreatePHI(i64, 2);
    auto* value = builder_.CreatePHI(llvm_type, 2);
    c->addIncoming(builder_.getInt64(0), before);
    value->addIncoming(initial, before);
    llvm::Value* partial = builder_.CreateLoad(llvm_type, builder_.CreateGEP(llvm_type, partials[r], c));
    llvm::Value* next_value = combine(reduction.op, type, value, partial);
    auto* next = builder_.CreateAdd(c, builder_.getInt64(1));
    c->addIncoming(next, builder_.GetInsertBlock());
    value->addIncoming(next_value, builder_.GetInsertBlock());
    builder_.CreateCondBr(builder_.CreateICmpULT(next, chunks), loop, done);
    builder_.SetInsertPoint(done);
    builder_.CreateStore(next_value, slot);
  }
}

llvm::Function* FunctionEmitter::emit_chunk_function(const Stmt& s, const passes::ParallelLoop& plan,
                                                     llvm::StructType* context_type) {
  auto* i64 = builder_.getInt64Ty();
  auto* ptr = builder_.getPtrTy();
  auto* type = llvm::FunctionType::get(builder_.getInt32Ty(), {i64, i64, i64, ptr}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::InternalLinkage,
                                    spec_.symbol + ".prange", module_.module());
  fn->addFnAttr(llvm::Attribute::NoUnwind);

  // A second emitter for the chunk function: same specialization, its own blocks and
  // variables. Shared variables are read through the caller's storage.
  FunctionEmitter chunk(module_, spec_);
  chunk.function_ = fn;
  chunk.parallel_plans_ = nullptr;  // a prange inside runs serially on this thread
  llvm::IRBuilder<>& b = chunk.builder_;
  b.SetInsertPoint(chunk.new_block("entry"));
  llvm::Value* begin = fn->getArg(0);
  llvm::Value* end = fn->getArg(1);
  llvm::Value* chunk_index = fn->getArg(2);
  llvm::Value* context = fn->getArg(3);
  auto field = [&](unsigned index) { return b.CreateStructGEP(context_type, context, index); };
  auto element = [&](unsigned index, size_t i) {
    return b.CreateLoad(ptr, b.CreateGEP(context_type, context, {b.getInt32(0), b.getInt32(index), b.getInt32(static_cast<uint32_t>(i))}));
  };
  // prange(n) and prange(a, b) have a constant step (and start): constants let LLVM see
  // that i = begin + k never goes negative, and take the bounds check out of the loop.
  const size_t range_arguments = spec_.calls.at(s.value.get()).arguments.size();
  llvm::Value* start = range_arguments == 1 ? static_cast<llvm::Value*>(b.getInt64(0)) : b.CreateLoad(i64, field(kStart));
  llvm::Value* step = range_arguments < 3 ? static_cast<llvm::Value*>(b.getInt64(1)) : b.CreateLoad(i64, field(kStep));
  llvm::Value* trip_count = b.CreateLoad(i64, field(kTripCount));
  b.CreateAssumption(b.CreateICmpSGE(fn->getArg(0), b.getInt64(0)));
  b.CreateAssumption(b.CreateICmpSLE(fn->getArg(0), fn->getArg(1)));
  b.CreateAssumption(b.CreateICmpSLE(fn->getArg(1), trip_count));

  std::map<std::string, llvm::Value*> shared;
  const std::vector<std::string> names = variable_names();
  for (size_t i = 0; i < names.size(); ++i) {
    shared[names[i]] = element(kVariables, i);
    // The loop only reads shared variables: a copy in a register is loop-invariant for
    // LLVM, which a load through the caller's pointer after a call is not.
    llvm::Type* t = module_.llvm_type(spec_.variables.at(names[i]));
    auto* copy = b.CreateAlloca(t, nullptr, names[i]);
    b.CreateStore(b.CreateLoad(t, shared[names[i]]), copy);
    chunk.variables_[names[i]] = copy;
  }
  // Private copies: the loop variable, variables each iteration assigns, reductions.
  std::vector<std::string> locals = plan.privates;
  locals.push_back(s.targets[0]->name);
  for (const auto& r : plan.reductions) locals.push_back(r.variable);
  for (const auto& name : locals) {
    Type type = spec_.variables.at(name);
    llvm::Type* t = module_.llvm_type(type);
    auto* slot = b.CreateAlloca(t, nullptr, name);
    llvm::Value* initial = b.CreateLoad(t, shared.at(name));
    chunk.retain(initial, type);  // the private copy owns its reference
    b.CreateStore(initial, slot);
    chunk.variables_[name] = slot;
    chunk.owned_variables_.push_back(name);
  }
  for (const auto& r : plan.reductions) {
    Type t = spec_.variables.at(r.variable);
    llvm::Value* current = b.CreateLoad(module_.llvm_type(t), chunk.variables_.at(r.variable));
    b.CreateStore(chunk.reduction_identity(r.op, t, current), chunk.variables_.at(r.variable));
  }
  chunk.fail_block_ = chunk.new_block("fail");
  chunk.exit_block_ = chunk.new_block("exit");

  // The iterations of this chunk, k = begin .. end-1, as the serial loop would run them.
  llvm::Value* count = b.CreateSub(end, begin);
  const Expr& target = *s.targets[0];
  chunk.loop_over(s, count, [&](llvm::Value* k) {
    llvm::Value* index = b.CreateAdd(begin, k, "", /*HasNUW=*/true, /*HasNSW=*/true);
    chunk.assign(target, b.CreateAdd(start, b.CreateMul(index, step)), types::scalar(Kind::PyInt));
  });

  // Partial results out; the chunk holding the last iteration leaves the variables as
  // the serial loop would (last iteration's values).
  for (size_t r = 0; r < plan.reductions.size(); ++r) {
    Type t = spec_.variables.at(plan.reductions[r].variable);
    llvm::Type* lt = module_.llvm_type(t);
    b.CreateStore(b.CreateLoad(lt, chunk.variables_.at(plan.reductions[r].variable)),
                  b.CreateGEP(lt, element(kPartials, r), chunk_index));
  }
  auto* last = chunk.new_block("last_chunk");
  auto* done = chunk.new_block("done");
  b.CreateCondBr(b.CreateICmpEQ(end, trip_count), last, done);
  b.SetInsertPoint(last);
  std::vector<std::string> writeback = plan.privates;
  writeback.push_back(target.name);
  for (const auto& name : writeback) {
    Type type = spec_.variables.at(name);
    llvm::Type* t = module_.llvm_type(type);
    llvm::Value* value = b.CreateLoad(t, chunk.variables_.at(name));
    chunk.retain(value, type);
    chunk.release(b.CreateLoad(t, shared.at(name)), type);
    b.CreateStore(value, shared.at(name));
  }
  b.CreateBr(done);
  b.SetInsertPoint(done);
  b.CreateBr(chunk.exit_block_);
  chunk.finish_exits(/*leave_recursion=*/false);
  return fn;
}

}  // namespace accel::codegen
