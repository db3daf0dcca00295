#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"
#include "codegen/number_cast.h"
#include "types/declared_return.h"

namespace accel::codegen {
namespace {

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

// Writes a result of type t into the slots at `index`, advancing it.
void store_result(llvm::IRBuilder<>& b, llvm::Value* slots, llvm::Value* v, Type t, int& index) {
  auto* i64 = b.getInt64Ty();
  if (t->kind == Kind::None) return;
  if (t->kind == Kind::Tuple) {
    for (unsigned i = 0; i < t->elements.size(); ++i)
      store_result(b, slots, b.CreateExtractValue(v, {i}), t->elements[i], index);
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

}  // namespace

llvm::Function* ModuleEmitter::emit_entry(const Specialization& spec, Type declared) {
  auto& c = context();
  auto* ptr = llvm::PointerType::getUnqual(c);
  auto* type = llvm::FunctionType::get(llvm::Type::getInt32Ty(c), {ptr, ptr}, false);
  auto* entry = llvm::Function::Create(type, llvm::Function::ExternalLinkage, spec.symbol + ".entry", module_);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(c, "entry", entry));
  std::vector<llvm::Value*> args;
  int index = 0;
  for (Type t : spec.arg_types) args.push_back(load_argument(b, *this, entry->getArg(0), t, index));
  auto* result = b.CreateAlloca(llvm_type(spec.return_type));
  args.push_back(result);
  llvm::Value* status = b.CreateCall(function_for(spec), args);
  auto* ok = llvm::BasicBlock::Create(c, "ok", entry);
  auto* failed = llvm::BasicBlock::Create(c, "failed", entry);
  b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), ok, failed);
  b.SetInsertPoint(failed);
  b.CreateRet(status);
  b.SetInsertPoint(ok);
  int out = 0;
  llvm::Value* value = b.CreateLoad(llvm_type(spec.return_type), result);
  Type result_type = spec.return_type;
  if (declared) {  // numba's way: cast to the declared type, return numbers as Python's
    result_type = types::as_python_scalars(declared);
    value = convert_result(b, convert_result(b, value, spec.return_type, declared), declared, result_type);
  }
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
