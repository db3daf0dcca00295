// What a for loop or a reduction iterates over, item by item: ranges, arrays, tuples,
// lists, enumerate/zip/reversed of those, and generator expressions. Each but the
// generator is a counted loop (whether there is an item at step k, and that item), which
// composes: zip goes on while all go on, reversed takes the item at length - 1 - k. A
// list's length is read at every step, as CPython's list iterator does, so a loop that
// appends to the list it walks sees the new items, and one that pops stops in time.

#include "codegen/function_emitter.h"
#include "infer/function_typer.h"

namespace accel::codegen {

using frontend::ExprKind;

FunctionEmitter::Iteration FunctionEmitter::iteration(const Expr& iterable) {
  Iteration it = counted_iteration(iterable);
  if (!it.more)
    it.more = [this, length = it.length](llvm::Value* k) { return builder_.CreateICmpULT(k, length()); };
  return it;
}

FunctionEmitter::Iteration FunctionEmitter::counted_iteration(const Expr& iterable) {
  Type t = type_of(iterable);
  Iteration it;
  it.item_type = infer::item_type(t, iterable.span);
  switch (t->kind) {
    case Kind::Range: {
      RangeBounds range = range_bounds(iterable);
      llvm::Value* count = range.trip_count;
      it.length = [count] { return count; };
      it.item = [this, range](llvm::Value* k) {
        return builder_.CreateAdd(range.start, builder_.CreateMul(k, range.step));
      };
      return it;
    }
    case Kind::Array: {
      llvm::Value* array = expr(iterable);
      keep_alive(iterable, array, t);
      llvm::Value* count = dimension(array, 0);
      it.length = [count] { return count; };
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
      llvm::Value* count = builder_.getInt64(static_cast<int64_t>(t->elements.size()));
      it.length = [count] { return count; };
      it.item = [this, items, item, slot](llvm::Value* k) {
        return builder_.CreateLoad(item, builder_.CreateInBoundsGEP(items, slot, {builder_.getInt64(0), k}));
      };
      return it;
    }
    case Kind::List: {
      llvm::Value* list = expr(iterable);
      keep_alive(iterable, list, t);
      it.length = [this, list] { return list_size(list); };
      it.item = [this, list, t](llvm::Value* k) { return load_list_item(list, t, k); };
      return it;
    }
    case Kind::Dict:
    case Kind::Set: {
      llvm::Value* dict = expr(iterable);
      keep_alive(iterable, dict, t);
      return dict_iteration(dict, t, DictPart::Keys);
    }
    case Kind::Iterator: break;
    default: throw std::logic_error("accel: iteration over an unknown iterable (a compiler bug)");
  }
  const auto& args = spec_.calls.at(&iterable).arguments;
  if (t->name == "dict_keys" || t->name == "dict_values" || t->name == "dict_items") {  // args[0]: the dict
    llvm::Value* dict = expr(*args[0]);
    keep_alive(*args[0], dict, t->elements[0]);
    return dict_iteration(dict, t->elements[0],
                          t->name == "dict_keys" ? DictPart::Keys : t->name == "dict_values" ? DictPart::Values : DictPart::Items);
  }
  if (t->name == "enumerate") {
    Iteration inner = iteration(*args[0]);
    llvm::Value* start = builder_.getInt64(0);
    if (args.size() > 1 && args[1]) start = cast_kind(expr(*args[1]), type_of(*args[1])->kind, Kind::PyInt);
    it.more = inner.more;
    Type pair = it.item_type;
    it.item = [this, inner, start, pair](llvm::Value* k) {
      llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(pair));
      out = builder_.CreateInsertValue(out, builder_.CreateAdd(start, k), {0});
      return builder_.CreateInsertValue(out, cast(inner.item(k), inner.item_type, pair->elements[1]), {1});
    };
    return it;
  }
  if (t->name == "reversed") {
    // From the last item at the start; a list that shrinks meanwhile ends the loop early.
    Iteration inner = iteration(*args[0]);
    llvm::Value* last = builder_.CreateSub(inner.length(), builder_.getInt64(1));
    it.more = [this, inner, last](llvm::Value* k) {
      llvm::Value* at = builder_.CreateSub(last, k);
      return builder_.CreateAnd(builder_.CreateICmpSGE(at, builder_.getInt64(0)), builder_.CreateICmpSLT(at, inner.length()));
    };
    it.item = [this, inner, last](llvm::Value* k) { return inner.item(builder_.CreateSub(last, k)); };
    return it;
  }
  // zip: as long as the shortest.
  std::vector<Iteration> inners;
  for (const Expr* a : args) inners.push_back(iteration(*a));
  it.more = [this, inners](llvm::Value* k) {
    llvm::Value* all = builder_.getInt1(!inners.empty());  // zip() of nothing is empty
    for (const Iteration& inner : inners) all = builder_.CreateAnd(all, inner.more(k));
    return all;
  };
  Type items = it.item_type;
  it.item = [this, inners, items](llvm::Value* k) {
    llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(items));
    for (unsigned i = 0; i < inners.size(); ++i)
      out = builder_.CreateInsertValue(out, cast(inners[i].item(k), inners[i].item_type, items->elements[i]), {i});
    return out;
  };
  return it;
}

void FunctionEmitter::keep_alive(const Expr& iterable, llvm::Value* value, Type type) {
  // The loop holds a reference when its body may assign the variable it walks (or the
  // iterable is no variable): otherwise the variable keeps it alive, and a loop nested in
  // another saves two atomic updates of the count per turn of the outer loop.
  if (iterable.kind == ExprKind::Name && (!loop_body_ || !infer::assigned_names(*loop_body_).count(iterable.name)))
    return;
  retain(value, type);
  own_temporary(value, type);
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
  builder_.CreateCondBr(it.more(k), item_block, exhausted);
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
  const frontend::Block* enclosing = loop_body_;
  loop_body_ = &s.body;
  for_each(*s.value, [&](llvm::Value* item, Type item_type, llvm::BasicBlock* next, llvm::BasicBlock*) {
    assign(*s.targets[0], item, item_type);
    loops_.push_back({next, after});
    block(s.body);
    loops_.pop_back();
  });
  loop_body_ = enclosing;
  block(s.orelse);  // exhausted, not left by a break
  builder_.CreateBr(after);
  builder_.SetInsertPoint(after);
}

}  // namespace accel::codegen
