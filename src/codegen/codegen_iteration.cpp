// What a for loop or a reduction iterates over, item by item: ranges, arrays, tuples,
// enumerate/zip/reversed of those, and generator expressions. Each but the generator is a
// counted loop (a trip count and the item at step k), which composes: zip is the shortest
// count and a tuple of items, reversed the item at count - 1 - k.

#include "codegen/function_emitter.h"
#include "infer/function_typer.h"

namespace accel::codegen {

using frontend::ExprKind;

FunctionEmitter::Iteration FunctionEmitter::iteration(const Expr& iterable) {
  Type t = type_of(iterable);
  Iteration it;
  it.item_type = infer::item_type(t, iterable.span);
  switch (t->kind) {
    case Kind::Range: {
      RangeBounds range = range_bounds(iterable);
      it.count = range.trip_count;
      it.item = [this, range](llvm::Value* k) {
        return builder_.CreateAdd(range.start, builder_.CreateMul(k, range.step));
      };
      return it;
    }
    case Kind::Array: {
      // The loop keeps the array alive: its body may assign the variable holding it.
      llvm::Value* array = expr(iterable);
      retain(array, t);
      own_temporary(array, t);
      it.count = dimension(array, 0);
      it.item = [this, array, t](llvm::Value* k) { return view_at(array, t, {k}); };
      return it;
    }
    case Kind::Tuple: {
      // The elements, converted to the item type, in a stack array indexed by k.
      llvm::Value* tuple = expr(iterable);
      llvm::Type* item = module_.llvm_type(it.item_type);
      auto* items = llvm::ArrayType::get(item, t->elements.size());
      llvm::AllocaInst* slot = entry_slot(items, "tuple.items");
      for (unsigned i = 0; i < t->elements.size(); ++i)
        builder_.CreateStore(cast(builder_.CreateExtractValue(tuple, {i}), t->elements[i], it.item_type),
                             builder_.CreateConstInBoundsGEP2_64(items, slot, 0, i));
      it.count = builder_.getInt64(static_cast<int64_t>(t->elements.size()));
      it.item = [this, items, item, slot](llvm::Value* k) {
        return builder_.CreateLoad(item, builder_.CreateInBoundsGEP(items, slot, {builder_.getInt64(0), k}));
      };
      return it;
    }
    case Kind::Iterator: break;
    default: throw std::logic_error("accel: iteration over an unknown iterable (a compiler bug)");
  }
  const auto& args = spec_.calls.at(&iterable).arguments;
  if (t->name == "enumerate") {
    Iteration inner = iteration(*args[0]);
    llvm::Value* start = builder_.getInt64(0);
    if (args.size() > 1 && args[1]) start = cast_kind(expr(*args[1]), type_of(*args[1])->kind, Kind::PyInt);
    it.count = inner.count;
    Type pair = it.item_type;
    it.item = [this, inner, start, pair](llvm::Value* k) {
      llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(pair));
      out = builder_.CreateInsertValue(out, builder_.CreateAdd(start, k), {0});
      return builder_.CreateInsertValue(out, cast(inner.item(k), inner.item_type, pair->elements[1]), {1});
    };
    return it;
  }
  if (t->name == "reversed") {
    Iteration inner = iteration(*args[0]);
    it.count = inner.count;
    it.item = [this, inner](llvm::Value* k) {
      return inner.item(builder_.CreateSub(builder_.CreateSub(inner.count, builder_.getInt64(1)), k));
    };
    return it;
  }
  // zip: as long as the shortest.
  std::vector<Iteration> inners;
  for (const Expr* a : args) inners.push_back(iteration(*a));
  it.count = builder_.getInt64(0);
  for (size_t i = 0; i < inners.size(); ++i)
    it.count = i == 0 ? inners[0].count
                      : builder_.CreateSelect(builder_.CreateICmpULT(inners[i].count, it.count), inners[i].count, it.count);
  Type items = it.item_type;
  it.item = [this, inners, items](llvm::Value* k) {
    llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(items));
    for (unsigned i = 0; i < inners.size(); ++i)
      out = builder_.CreateInsertValue(out, cast(inners[i].item(k), inners[i].item_type, items->elements[i]), {i});
    return out;
  };
  return it;
}

void FunctionEmitter::for_each(const Expr& iterable, const ItemBody& body, llvm::BasicBlock* stop) {
  if (iterable.kind == ExprKind::Generator) {
    llvm::BasicBlock* done = stop ? stop : new_block("generator.done");
    generator_level(iterable, 0, body, done);
    if (stop) return;
    if (!builder_.GetInsertBlock()->getTerminator()) builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
    return;
  }
  Iteration it = iteration(iterable);
  auto* before = builder_.GetInsertBlock();
  auto* header = new_block("each.test");
  auto* item_block = new_block("each.item");
  auto* latch = new_block("each.next");
  // Exhausted: where the code after the loop goes on. An early stop goes to `stop` (an
  // outer generator level's end), or to the same place.
  auto* exhausted = new_block("each.done");
  builder_.CreateBr(header);
  builder_.SetInsertPoint(header);
  auto* k = builder_.CreatePHI(builder_.getInt64Ty(), 2, "k");
  k->addIncoming(builder_.getInt64(0), before);
  builder_.CreateCondBr(builder_.CreateICmpULT(k, it.count), item_block, exhausted);
  builder_.SetInsertPoint(item_block);
  body(it.item(k), it.item_type, latch, stop ? stop : exhausted);
  if (!builder_.GetInsertBlock()->getTerminator()) builder_.CreateBr(latch);
  builder_.SetInsertPoint(latch);
  k->addIncoming(builder_.CreateAdd(k, builder_.getInt64(1), "k.next", true, true), latch);
  builder_.CreateBr(header);
  builder_.SetInsertPoint(exhausted);
}

void FunctionEmitter::generator_level(const Expr& generator, size_t level, const ItemBody& body,
                                      llvm::BasicBlock* stop) {
  const frontend::Comprehension& g = generator.generators[level];
  for_each(*g.iter, [&](llvm::Value* item, Type item_type, llvm::BasicBlock* next, llvm::BasicBlock* out) {
    assign(*g.target, item, item_type);
    for (const auto& test : g.ifs) {
      begin_statement();
      llvm::Value* keep = truth(expr(*test), type_of(*test));
      end_statement();
      auto* kept = new_block("generator.kept");
      builder_.CreateCondBr(keep, kept, next);
      builder_.SetInsertPoint(kept);
    }
    if (level + 1 < generator.generators.size()) {
      generator_level(generator, level + 1, body, out);
      return;
    }
    // Temporaries of the item's expression go with each item: the body sees a number.
    begin_statement();
    llvm::Value* value = expr(*generator.operands[0]);
    end_statement();
    body(value, type_of(*generator.operands[0]), next, out);
  }, stop);
}

void FunctionEmitter::for_iteration(const frontend::Stmt& s) {
  auto* after = new_block("for.done");
  for_each(*s.value, [&](llvm::Value* item, Type item_type, llvm::BasicBlock* next, llvm::BasicBlock*) {
    assign(*s.targets[0], item, item_type);
    loops_.push_back({next, after});
    block(s.body);
    loops_.pop_back();
  });
  block(s.orelse);  // exhausted, not left by a break
  builder_.CreateBr(after);
  builder_.SetInsertPoint(after);
}

}  // namespace accel::codegen
