#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"
#include "codegen/list_layout.h"
#include "codegen/number_cast.h"
#include "types/declared_return.h"

namespace accel::codegen {
namespace {

llvm::Value* load_argument(llvm::IRBuilder<>& b, ModuleEmitter& m, llvm::Value* slots, Type t, int& index);

// A list argument: its items' slots (each item's one after the other's) and their count
// become a new compiled list, or null when it cannot be had (MemoryError pending).
llvm::Value* load_list(llvm::IRBuilder<>& b, ModuleEmitter& m, llvm::Value* slots, Type t, int& index) {
  auto* i64 = b.getInt64Ty();
  llvm::Value* items = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index)));
  llvm::Value* n = b.CreateLoad(i64, b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index + 1)));
  index += 2;
  Type item = types::list_item(t);
  llvm::Type* item_type = m.llvm_type(item);
  const uint64_t item_size = m.module().getDataLayout().getTypeAllocSize(item_type).getFixedValue();
  llvm::Value* list = b.CreateCall(m.runtime(RT::accel_rt_list_new), {n, b.getInt64(item_size)});
  llvm::Function* entry = b.GetInsertBlock()->getParent();
  auto& c = m.context();
  auto* before = b.GetInsertBlock();
  auto* header = llvm::BasicBlock::Create(c, "list.test", entry);
  auto* body = llvm::BasicBlock::Create(c, "list.item", entry);
  auto* done = llvm::BasicBlock::Create(c, "list.done", entry);
  b.CreateCondBr(b.CreateIsNull(list), done, header);
  b.SetInsertPoint(header);
  auto* k = b.CreatePHI(i64, 2, "k");
  k->addIncoming(b.getInt64(0), before);
  b.CreateCondBr(b.CreateICmpSLT(k, n), body, done);
  b.SetInsertPoint(body);
  int at = 0;
  llvm::Value* item_slots = b.CreateGEP(i64, items, {b.CreateMul(k, b.getInt64(slot_count(item)))});
  llvm::Value* value = load_argument(b, m, item_slots, item, at);
  auto* header_type = llvm::StructType::get(c, {i64, i64, i64, b.getPtrTy()});
  llvm::Value* data = b.CreateLoad(b.getPtrTy(), b.CreateStructGEP(header_type, list, kListData));
  b.CreateStore(value, b.CreateInBoundsGEP(item_type, data, {k}));
  k->addIncoming(b.CreateAdd(k, b.getInt64(1)), body);
  b.CreateBr(header);
  b.SetInsertPoint(done);
  return list;
}

// Reads one argument of type t from the slots at `index`, advancing it.
llvm::Value* load_argument(llvm::IRBuilder<>& b, ModuleEmitter& m, llvm::Value* slots, Type t, int& index) {
  auto* i64 = b.getInt64Ty();
  auto slot = [&](int k) { return b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(k)); };
  if (t->kind == Kind::Tuple) {  // its elements' slots, one after the other
    llvm::Value* tuple = llvm::UndefValue::get(m.llvm_type(t));
    for (unsigned i = 0; i < t->elements.size(); ++i)
      tuple = b.CreateInsertValue(tuple, load_argument(b, m, slots, t->elements[i], index), {i});
    return tuple;
  }
  if (t->kind == Kind::Array) {
    auto* ptr = b.getPtrTy();
    llvm::Value* data = b.CreateLoad(ptr, slot(index));
    llvm::Value* shape = b.CreateLoad(ptr, slot(index + 1));
    llvm::Value* strides = b.CreateLoad(ptr, slot(index + 2));
    index += 3;
    llvm::Value* array = llvm::UndefValue::get(m.llvm_type(t));
    array = b.CreateInsertValue(array, llvm::ConstantPointerNull::get(ptr), {kMeminfo});
    array = b.CreateInsertValue(array, data, {kData});
    for (unsigned k = 0; k < static_cast<unsigned>(t->ndim); ++k) {
      array = b.CreateInsertValue(array, b.CreateLoad(i64, b.CreateConstGEP1_64(i64, shape, k)), {kShape, k});
      array = b.CreateInsertValue(array, b.CreateLoad(i64, b.CreateConstGEP1_64(i64, strides, k)), {kStrides, k});
    }
    return array;
  }
  if (t->kind == Kind::List) return load_list(b, m, slots, t, index);
  llvm::Type* type = m.llvm_type(t);
  if (types::is_complex(t->kind)) {  // real and imaginary parts as two doubles
    llvm::Type* part = m.llvm_type(types::scalar(types::complex_part(t->kind)));
    llvm::Value* re = b.CreateFPCast(b.CreateLoad(b.getDoubleTy(), slot(index)), part);
    llvm::Value* im = b.CreateFPCast(b.CreateLoad(b.getDoubleTy(), slot(index + 1)), part);
    index += 2;
    return b.CreateInsertValue(b.CreateInsertValue(llvm::UndefValue::get(type), re, {0}), im, {1});
  }
  llvm::Value* p = slot(index++);
  if (types::is_float(t->kind)) return b.CreateFPCast(b.CreateLoad(b.getDoubleTy(), p), type);
  llvm::Value* raw = b.CreateLoad(i64, p);
  if (types::is_bool(t->kind)) return b.CreateICmpNE(raw, b.getInt64(0));
  return b.CreateTrunc(raw, type);
}

}  // namespace

// Writes a result of type t into the slots at `index`, advancing it.
void ModuleEmitter::store_result(llvm::IRBuilder<>& b, llvm::Value* slots, llvm::Value* v, Type t, int& index) {
  auto* i64 = b.getInt64Ty();
  if (t->kind == Kind::None) return;
  if (t->kind == Kind::Tuple) {
    for (unsigned i = 0; i < t->elements.size(); ++i)
      store_result(b, slots, b.CreateExtractValue(v, {i}), t->elements[i], index);
    return;
  }
  if (t->kind == Kind::List) {  // the list (the caller's reference), and how to read its items
    b.CreateStore(v, b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++)));
    b.CreateStore(list_item_writer(t), b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++)));
    return;
  }
  if (t->kind == Kind::Dict || t->kind == Kind::Set) {  // the dict (the caller's reference), how to read an entry
    b.CreateStore(v, b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++)));
    b.CreateStore(dict_entry_writer(t), b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++)));
    return;
  }
  if (t->kind == Kind::Str) {  // block (the caller's reference), data, length
    for (unsigned k = 0; k < 3; ++k)
      b.CreateStore(b.CreateExtractValue(v, {k}), b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++)));
    return;
  }
  if (t->kind == Kind::Array) {
    auto slot = [&](int k) { return b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(k)); };
    b.CreateStore(b.CreateExtractValue(v, {kMeminfo}), slot(index++));
    b.CreateStore(b.CreateExtractValue(v, {kData}), slot(index++));
    for (unsigned k = 0; k < static_cast<unsigned>(t->ndim); ++k)
      b.CreateStore(b.CreateExtractValue(v, {kShape, k}), slot(index++));
    for (unsigned k = 0; k < static_cast<unsigned>(t->ndim); ++k)
      b.CreateStore(b.CreateExtractValue(v, {kStrides, k}), slot(index++));
    return;
  }
  if (types::is_complex(t->kind)) {
    for (unsigned k = 0; k < 2; ++k)
      b.CreateStore(b.CreateFPCast(b.CreateExtractValue(v, {k}), b.getDoubleTy()),
                    b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++)));
    return;
  }
  llvm::Value* p = b.CreateConstGEP1_64(i64, slots, static_cast<uint64_t>(index++));
  if (types::is_float(t->kind)) {
    b.CreateStore(b.CreateFPCast(v, b.getDoubleTy()), p);
    return;
  }
  const bool sign_extend = types::is_signed(t->kind) && !types::is_bool(t->kind);
  b.CreateStore(b.CreateIntCast(v, i64, sign_extend), p);
}

llvm::Function* ModuleEmitter::list_item_writer(Type list_type) {
  // void writer(AccelList* list, int64_t k, uint64_t* slots): item k as a result of the
  // item type, which the dispatcher boxes (dispatch/boxing.cpp).
  auto found = item_writers_.find(list_type);
  if (found != item_writers_.end()) return found->second;
  auto& c = context();
  auto* ptr = llvm::PointerType::getUnqual(c);
  auto* i64 = llvm::Type::getInt64Ty(c);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, i64, ptr}, false);
  auto* writer = llvm::Function::Create(type, llvm::Function::InternalLinkage, "list.item_writer", module_);
  writer->addFnAttr(llvm::Attribute::NoUnwind);
  item_writers_[list_type] = writer;
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", writer));
  if (!types::list_item(list_type)) {  // an empty `[]` never learned its items: never called
    b.CreateRetVoid();
    return writer;
  }
  auto* header = llvm::StructType::get(c, {i64, i64, i64, ptr});
  llvm::Value* data = b.CreateLoad(ptr, b.CreateStructGEP(header, writer->getArg(0), kListData));
  Type item = types::list_item(list_type);
  llvm::Value* value = b.CreateLoad(llvm_type(item), b.CreateInBoundsGEP(llvm_type(item), data, {writer->getArg(1)}));
  int index = 0;
  store_result(b, writer->getArg(2), value, item, index);
  b.CreateRetVoid();
  return writer;
}

llvm::Function* ModuleEmitter::dict_entry_writer(Type container) {
  // void writer(const char* entry, uint64_t* slots): the key (and a dict's value after
  // it) of the entry at `entry`, as results of their types (dispatch/boxing.cpp).
  auto found = item_writers_.find(container);
  if (found != item_writers_.end()) return found->second;
  auto& c = context();
  auto* ptr = llvm::PointerType::getUnqual(c);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, ptr}, false);
  auto* writer = llvm::Function::Create(type, llvm::Function::InternalLinkage, "dict.entry_writer", module_);
  writer->addFnAttr(llvm::Attribute::NoUnwind);
  item_writers_[container] = writer;
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", writer));
  if (container->elements.empty()) {  // an empty `{}` or `set()` never learned its types: never called
    b.CreateRetVoid();
    return writer;
  }
  Type key = container->elements[0];
  llvm::Value* entry = writer->getArg(0);
  int index = 0;
  store_result(b, writer->getArg(1), b.CreateLoad(llvm_type(key), entry), key, index);
  if (container->kind == Kind::Dict) {
    const uint64_t key_size = module().getDataLayout().getTypeAllocSize(llvm_type(key)).getFixedValue();
    llvm::Value* value = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry,
                                                      static_cast<uint64_t>(accel_dict_value_offset(static_cast<int64_t>(key_size))));
    store_result(b, writer->getArg(1), b.CreateLoad(llvm_type(container->elements[1]), value), container->elements[1], index);
  }
  b.CreateRetVoid();
  return writer;
}

llvm::Function* ModuleEmitter::emit_entry(const Specialization& spec, Type declared) {
  auto& c = context();
  auto* ptr = llvm::PointerType::getUnqual(c);
  auto* type = llvm::FunctionType::get(llvm::Type::getInt32Ty(c), {ptr, ptr}, false);
  auto* entry = llvm::Function::Create(type, llvm::Function::ExternalLinkage, spec.symbol + ".entry", module_);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", entry));
  std::vector<llvm::Value*> args;
  int index = 0;
  std::vector<std::pair<llvm::Value*, Type>> lists;  // the list arguments, made here
  for (Type t : spec.arg_types) {
    args.push_back(load_argument(b, *this, entry->getArg(0), t, index));
    if (t->kind == Kind::List) lists.push_back({args.back(), t});
  }
  Type result_type = declared ? types::as_python_scalars(declared) : spec.return_type;
  auto* result = b.CreateAlloca(llvm_type(spec.return_type));
  args.push_back(result);
  llvm::Value* status;
  if (lists.empty()) {
    status = b.CreateCall(function_for(spec), args);
  } else {
    // The call runs when every list could be made; otherwise MemoryError is pending.
    llvm::Value* made = b.getTrue();
    for (auto& [list, t] : lists) made = b.CreateAnd(made, b.CreateIsNotNull(list));
    auto* call = llvm::BasicBlock::Create(c, "call", entry);
    auto* called = llvm::BasicBlock::Create(c, "called", entry);
    auto* before_call = b.GetInsertBlock();
    b.CreateCondBr(made, call, called);
    b.SetInsertPoint(call);
    llvm::Value* call_status = b.CreateCall(function_for(spec), args);
    b.CreateBr(called);
    b.SetInsertPoint(called);
    auto* phi = b.CreatePHI(b.getInt32Ty(), 2);
    phi->addIncoming(b.getInt32(1), before_call);
    phi->addIncoming(call_status, call);
    status = phi;
  }
  // After the result's slots, each list argument and its item writer: the dispatcher
  // writes a changed list back into the caller's Python list, then releases it (also
  // when the call failed; a list that could not be made is null).
  int hidden = slot_count(result_type);
  for (auto& [list, t] : lists) {
    auto* i64 = b.getInt64Ty();
    b.CreateStore(list, b.CreateConstGEP1_64(i64, entry->getArg(1), static_cast<uint64_t>(hidden++)));
    b.CreateStore(list_item_writer(t), b.CreateConstGEP1_64(i64, entry->getArg(1), static_cast<uint64_t>(hidden++)));
  }
  auto* ok = llvm::BasicBlock::Create(c, "ok", entry);
  auto* failed = llvm::BasicBlock::Create(c, "failed", entry);
  b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), ok, failed);
  b.SetInsertPoint(failed);
  b.CreateRet(status);
  b.SetInsertPoint(ok);
  int out = 0;
  llvm::Value* value = b.CreateLoad(llvm_type(spec.return_type), result);
  if (declared)  // numba's way: cast to the declared type, return numbers as Python's
    value = convert_result(b, convert_result(b, value, spec.return_type, declared), declared, result_type);
  store_result(b, entry->getArg(1), value, result_type, out);
  b.CreateRet(b.getInt32(0));
  return entry;
}

llvm::Value* ModuleEmitter::convert_result(llvm::IRBuilder<>& b, llvm::Value* v, Type from, Type to) {
  // A declared layout or read-only-ness changes no field of an array value.
  if (from == to) return v;
  if (types::is_scalar(from) && types::is_scalar(to)) return cast_number(b, v, from->kind, to->kind, llvm_type(to));
  if (from->kind == Kind::Tuple && to->kind == Kind::Tuple) {
    llvm::Value* out = llvm::UndefValue::get(llvm_type(to));
    for (unsigned i = 0; i < from->elements.size(); ++i)
      out = b.CreateInsertValue(out, convert_result(b, b.CreateExtractValue(v, {i}), from->elements[i], to->elements[i]), {i});
    return out;
  }
  return v;
}

}  // namespace accel::codegen
