// raise, assert and try statements. An error is the runtime's pending error plus status 1
// (runtime/abi.h); a try statement only changes where the error paths of its body lead:
// fail_block_ is the handlers' landing while the body is emitted. The landing releases
// what the interrupted statements owned, then tests the except clauses in order with
// accel_rt_error_matches; the clause that matches takes the error out of the pending state
// (accel_rt_catch) into a record it owns, which `as e` names and a bare `raise` raises again.

#include "codegen/function_emitter.h"

namespace accel::codegen {

using frontend::ExprKind;
using frontend::Stmt;

namespace {

const char* const kAssertionError = "builtins:AssertionError|builtins:Exception|builtins:BaseException";

// "builtins:ValueError" of "builtins:ValueError|builtins:Exception|...": what except tests.
std::string first_entry(const std::string& class_path) { return class_path.substr(0, class_path.find('|')); }

}  // namespace

void FunctionEmitter::raise_class(const std::string& class_path, const Expr* message) {
  if (message && message->kind != ExprKind::StrLit) {
    llvm::Value* text = expr(*message);  // a str made here: an f-string, str(x)
    builder_.CreateCall(module_.runtime(RT::accel_rt_raise_class_text),
                        {message_constant(class_path.c_str()), builder_.CreateExtractValue(text, {1}),
                         builder_.CreateExtractValue(text, {2}), builder_.getInt32(1)});
    builder_.CreateBr(fail_block_);
    start_dead_block();
    return;
  }
  llvm::Value* text = message_constant(message ? message->name.c_str() : "");
  builder_.CreateCall(module_.runtime(RT::accel_rt_raise_class),
                      {message_constant(class_path.c_str()), text, builder_.getInt32(message ? 1 : 0)});
  builder_.CreateBr(fail_block_);
  start_dead_block();
}

void FunctionEmitter::reraise(llvm::Value* caught) {
  builder_.CreateCall(module_.runtime(RT::accel_rt_reraise), {caught});
  builder_.CreateBr(fail_block_);
  start_dead_block();
}

void FunctionEmitter::raise_stmt(const Stmt& s) {
  if (!s.value) {
    reraise(builder_.CreateLoad(builder_.getPtrTy(), handler_records_.back()));
    return;
  }
  const Expr& e = *s.value;
  Type t = type_of(e);
  if (t->kind == Kind::Exception) {
    reraise(expr(e));
    return;
  }
  const bool called = e.kind == ExprKind::Call;
  raise_class(t->name, called && e.operands.size() == 2 ? e.operands[1].get() : nullptr);
}

void FunctionEmitter::assert_stmt(const Stmt& s) {
  llvm::Value* test = truth(expr(*s.value), type_of(*s.value));
  auto* failed = new_block("assert.failed");
  auto* ok = new_block("assert.ok");
  builder_.CreateCondBr(test, ok, failed);
  builder_.SetInsertPoint(failed);
  raise_class(kAssertionError, s.message.get());
  builder_.CreateBr(ok);
  builder_.SetInsertPoint(ok);
}

llvm::AllocaInst* FunctionEmitter::record_slot() {
  llvm::AllocaInst* slot = entry_slot(builder_.getPtrTy(), "caught");
  record_slots_.push_back(slot);
  return slot;
}

void FunctionEmitter::catch_into(llvm::AllocaInst* slot) {
  // A loop may come back to this clause: the record it caught last time goes first.
  builder_.CreateCall(module_.runtime(RT::accel_rt_discard), {builder_.CreateLoad(builder_.getPtrTy(), slot)});
  builder_.CreateStore(builder_.CreateCall(module_.runtime(RT::accel_rt_catch)), slot);
}

void FunctionEmitter::release_temporaries_from(size_t first) {
  for (size_t i = first; i < temporaries_.size(); ++i) release_slot(temporaries_[i].first, temporaries_[i].second);
}

void FunctionEmitter::discard_records() {
  for (llvm::AllocaInst* slot : record_slots_) {
    builder_.CreateCall(module_.runtime(RT::accel_rt_discard), {builder_.CreateLoad(builder_.getPtrTy(), slot)});
    builder_.CreateStore(llvm::ConstantPointerNull::get(builder_.getPtrTy()), slot);
  }
}

void FunctionEmitter::try_stmt(const Stmt& s) {
  llvm::BasicBlock* outer_fail = fail_block_;
  const bool has_finally = !s.finalbody.empty();
  auto* landing = s.handlers.empty() ? nullptr : new_block("try.landing");
  auto* finally_landing = has_finally ? new_block("finally.landing") : outer_fail;
  auto* finally_normal = new_block("finally.normal");
  const size_t first_temporary = temporaries_.size();

  fail_block_ = landing ? landing : finally_landing;
  block(s.body);
  // Errors in the else clause and in the handlers are not the handlers' to catch.
  fail_block_ = finally_landing;
  block(s.orelse);
  builder_.CreateBr(finally_normal);

  if (landing) {
    builder_.SetInsertPoint(landing);
    release_temporaries_from(first_temporary);
    for (const auto& handler : s.handlers) {
      auto* clause = new_block("except");
      auto* next = new_block("except.next");
      llvm::Value* matches = builder_.getFalse();
      for (const auto& cls : handler.classes) {
        llvm::Value* entry = message_constant(first_entry(type_of(*cls)->name).c_str());
        llvm::Value* one = builder_.CreateCall(module_.runtime(RT::accel_rt_error_matches), {entry});
        matches = builder_.CreateOr(matches, builder_.CreateICmpNE(one, builder_.getInt32(0)));
      }
      builder_.CreateCondBr(handler.classes.empty() ? builder_.getTrue() : matches, clause, next);
      builder_.SetInsertPoint(clause);
      llvm::AllocaInst* slot = record_slot();
      catch_into(slot);
      if (!handler.name.empty())
        store_variable(handler.name, builder_.CreateLoad(builder_.getPtrTy(), slot), types::exception());
      handler_records_.push_back(slot);
      block(handler.body);
      handler_records_.pop_back();
      builder_.CreateBr(finally_normal);
      builder_.SetInsertPoint(next);
    }
    builder_.CreateBr(finally_landing);  // no clause matched: the error goes on
  }

  fail_block_ = outer_fail;
  auto* done = new_block("try.done");
  builder_.SetInsertPoint(finally_normal);
  block(s.finalbody);
  builder_.CreateBr(done);
  if (has_finally) {
    // On the way out with an error: the finally clause runs with no error pending (it may
    // raise and catch its own), then the error is raised again.
    builder_.SetInsertPoint(finally_landing);
    release_temporaries_from(first_temporary);
    llvm::AllocaInst* slot = record_slot();
    catch_into(slot);
    block(s.finalbody);
    llvm::Value* caught = builder_.CreateLoad(builder_.getPtrTy(), slot);
    builder_.CreateCall(module_.runtime(RT::accel_rt_reraise), {caught});
    builder_.CreateCall(module_.runtime(RT::accel_rt_discard), {caught});
    builder_.CreateStore(llvm::ConstantPointerNull::get(builder_.getPtrTy()), slot);
    builder_.CreateBr(outer_fail);
  }
  builder_.SetInsertPoint(done);
}

}  // namespace accel::codegen
