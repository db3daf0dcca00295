// A prange loop becomes a chunk function that runs a slice [begin, end) of the trip
// count; the runtime (OpenMP) runs the chunks on its threads. Reductions accumulate in a
// private copy per chunk and are combined in chunk order afterwards.

#include <set>

#include "codegen/function_emitter.h"

namespace accel::codegen {

using frontend::Stmt;
using passes::ReductionOp;

namespace {

// Field numbers of the context the caller passes to the chunk function. The variables
// the body uses are copied in by value (the caller's stay in registers), and the chunk
// holding the last iteration leaves its private values in the outputs; the caller
// stores them once every chunk has finished, so no chunk reads what another writes.
enum ContextField : unsigned { kStart, kStep, kTripCount, kInputs, kOutputs, kPartials };

}  // namespace

std::vector<std::string> FunctionEmitter::written_back(const Stmt& s, const passes::ParallelLoop& plan) const {
  std::vector<std::string> names = plan.privates;
  names.push_back(s.targets[0]->name);
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
  if (plan.serial_because) {
    for_range(s, range_call);
    return;
  }
  RangeBounds range = range_bounds(range_call);
  if (plan.must_not_overlap.empty()) {
    parallel_range(s, range, plan);
    return;
  }
  // Arrays the loop writes must not share memory with the others it touches: then
  // iterations could see each other's writes, and this run is serial.
  llvm::Value* overlap = builder_.getInt1(false);
  for (const auto& [written, other] : plan.must_not_overlap) {
    Type wt = spec_.variables.at(written), ot = spec_.variables.at(other);
    llvm::Value *w_high, *o_high;
    llvm::Value* w_low = byte_bounds(builder_.CreateLoad(module_.llvm_type(wt), variables_.at(written)), wt, w_high);
    llvm::Value* o_low = byte_bounds(builder_.CreateLoad(module_.llvm_type(ot), variables_.at(other)), ot, o_high);
    overlap = builder_.CreateOr(overlap, builder_.CreateAnd(builder_.CreateICmpULT(w_low, o_high),
                                                            builder_.CreateICmpULT(o_low, w_high)));
  }
  auto* serial = new_block("prange.serial");
  auto* parallel = new_block("prange.parallel");
  auto* done = new_block("prange.done");
  builder_.CreateCondBr(overlap, serial, parallel);
  builder_.SetInsertPoint(serial);
  serial_range(s, range);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(parallel);
  parallel_range(s, range, plan);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void FunctionEmitter::parallel_range(const Stmt& s, const RangeBounds& range, const passes::ParallelLoop& plan) {
  auto* i64 = builder_.getInt64Ty();
  auto* ptr = builder_.getPtrTy();
  // The context and the partial results live on the stack only while the loop runs: a
  // prange inside a serial loop must not grow the stack on every turn.
  llvm::Value* stack = builder_.CreateStackSave();
  // (1) How many chunks the range is cut into.
  llvm::Value* chunks = builder_.CreateCall(module_.runtime(RT::accel_rt_parallel_chunks), {range.trip_count});

  // (2) The context: the range, the values the body uses, room for the last chunk's
  // private values, a partial result per chunk.
  auto types_of = [&](const std::vector<std::string>& names) {
    std::vector<llvm::Type*> out;
    for (const auto& name : names) out.push_back(module_.llvm_type(spec_.variables.at(name)));
    return llvm::StructType::get(context_, out);
  };
  const std::vector<std::string> outputs = written_back(s, plan);
  auto* context_type = llvm::StructType::get(
      context_, {i64, i64, i64, types_of(plan.used), types_of(outputs), llvm::ArrayType::get(ptr, plan.reductions.size())});
  auto* context = builder_.CreateAlloca(context_type);
  auto at = [&](unsigned field, size_t i) {
    return builder_.CreateGEP(context_type, context,
                              {builder_.getInt32(0), builder_.getInt32(field), builder_.getInt32(static_cast<uint32_t>(i))});
  };
  builder_.CreateStore(range.start, builder_.CreateStructGEP(context_type, context, kStart));
  builder_.CreateStore(range.step, builder_.CreateStructGEP(context_type, context, kStep));
  builder_.CreateStore(range.trip_count, builder_.CreateStructGEP(context_type, context, kTripCount));
  for (size_t i = 0; i < plan.used.size(); ++i) {
    llvm::Type* t = module_.llvm_type(spec_.variables.at(plan.used[i]));
    builder_.CreateStore(builder_.CreateLoad(t, variables_.at(plan.used[i])), at(kInputs, i));
  }
  for (size_t i = 0; i < outputs.size(); ++i)  // null arrays if the last chunk fails early
    builder_.CreateStore(llvm::Constant::getNullValue(module_.llvm_type(spec_.variables.at(outputs[i]))),
                         at(kOutputs, i));
  std::vector<llvm::Value*> partials;
  for (size_t r = 0; r < plan.reductions.size(); ++r) {
    Type type = spec_.variables.at(plan.reductions[r].variable);
    auto* slots = builder_.CreateAlloca(module_.llvm_type(type), chunks);
    partials.push_back(slots);
    builder_.CreateStore(slots, at(kPartials, r));
  }

  // (3) Run the chunks on the thread team; an error comes back as this thread's. The
  // chunk with the last iteration always runs, and has filled the outputs even when
  // another chunk failed: they are stored either way (the failure path releases them).
  llvm::Function* chunk_function = emit_chunk_function(s, plan, context_type);
  llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_parallel_for),
                                            {range.trip_count, chunks, chunk_function, context});
  for (size_t i = 0; i < outputs.size(); ++i) {
    Type type = spec_.variables.at(outputs[i]);
    llvm::Type* t = module_.llvm_type(type);
    llvm::Value* slot = variables_.at(outputs[i]);
    release(builder_.CreateLoad(t, slot), type);
    builder_.CreateStore(builder_.CreateLoad(t, at(kOutputs, i)), slot);
  }
  llvm::Value* failed = builder_.CreateICmpNE(status, builder_.getInt32(0));
  auto* combine_block = new_block("prange.combine");
  auto* failed_block = new_block("prange.failed");
  builder_.CreateCondBr(failed, failed_block, combine_block);
  builder_.SetInsertPoint(failed_block);
  builder_.CreateStackRestore(stack);
  builder_.CreateBr(fail_block_);
  builder_.SetInsertPoint(combine_block);

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
  builder_.CreateStackRestore(stack);
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
  // variables, each a copy of the caller's value.
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
  auto at = [&](unsigned index, size_t i) {
    return b.CreateGEP(context_type, context, {b.getInt32(0), b.getInt32(index), b.getInt32(static_cast<uint32_t>(i))});
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

  // Private copies (the loop variable, variables each iteration assigns, reductions)
  // own a reference; the others are read-only copies.
  std::set<std::string> privates(plan.privates.begin(), plan.privates.end());
  privates.insert(s.targets[0]->name);
  for (const auto& r : plan.reductions) privates.insert(r.variable);
  for (size_t i = 0; i < plan.used.size(); ++i) {
    const std::string& name = plan.used[i];
    Type type = spec_.variables.at(name);
    llvm::Type* t = module_.llvm_type(type);
    auto* slot = b.CreateAlloca(t, nullptr, name);
    llvm::Value* initial = b.CreateLoad(t, at(kInputs, i));
    if (privates.count(name)) {
      chunk.retain(initial, type);
      chunk.owned_variables_.push_back(name);
    }
    b.CreateStore(initial, slot);
    chunk.variables_[name] = slot;
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

  // Partial results out; the chunk holding the last iteration leaves its private values
  // (with a reference each) for the caller, as the serial loop would leave them.
  for (size_t r = 0; r < plan.reductions.size(); ++r) {
    Type t = spec_.variables.at(plan.reductions[r].variable);
    llvm::Type* lt = module_.llvm_type(t);
    b.CreateStore(b.CreateLoad(lt, chunk.variables_.at(plan.reductions[r].variable)),
                  b.CreateGEP(lt, b.CreateLoad(ptr, at(kPartials, r)), chunk_index));
  }
  auto* last = chunk.new_block("last_chunk");
  auto* done = chunk.new_block("done");
  b.CreateCondBr(b.CreateICmpEQ(end, trip_count), last, done);
  b.SetInsertPoint(last);
  const std::vector<std::string> outputs = written_back(s, plan);
  for (size_t i = 0; i < outputs.size(); ++i) {
    Type type = spec_.variables.at(outputs[i]);
    llvm::Value* value = b.CreateLoad(module_.llvm_type(type), chunk.variables_.at(outputs[i]));
    chunk.retain(value, type);
    b.CreateStore(value, at(kOutputs, i));
  }
  b.CreateBr(done);
  b.SetInsertPoint(done);
  b.CreateBr(chunk.exit_block_);
  chunk.finish_exits(/*leave_recursion=*/false);
  return fn;
}

}  // namespace accel::codegen
