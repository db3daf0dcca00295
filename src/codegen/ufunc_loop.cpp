// NumPy's inner loop around a compiled kernel (ufunc_loop.h). The kernel is an internal
// specialization of this module, so LLVM inlines it: an elementwise loop over contiguous
// operands is then a plain loop of arithmetic, which the loop vectorizer turns into SIMD.

#include "codegen/ufunc_loop.h"

#include <functional>

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"
#include "codegen/number_cast.h"

namespace accel::codegen {

using types::Kind;

std::vector<types::Type> UFuncLoopLayout::kernel_arg_types() const {
  std::vector<types::Type> out;
  const size_t count = generalized ? operands.size() : static_cast<size_t>(nin);
  for (size_t k = 0; k < count; ++k) {
    const UFuncOperand& op = operands[k];
    if (!op.as_array) {
      out.push_back(types::scalar(op.dtype));
      continue;
    }
    // NumPy hands over any strides, so the kernel is compiled for any layout.
    const int ndim = op.core_dims.empty() ? 1 : static_cast<int>(op.core_dims.size());
    out.push_back(types::array(op.dtype, ndim, types::Layout::Any, op.readonly));
  }
  return out;
}

namespace {

// How one operand's element pointer moves in a loop version.
enum class Walk {
  Contiguous,  // by one element per iteration: constant strides, what vectorizes
  Fixed,       // not at all (a broadcast scalar: stride 0)
  Strided,     // by its step in bytes
};

class LoopEmitter {
 public:
  LoopEmitter(ModuleEmitter& m, const infer::Specialization& kernel, const UFuncLoopLayout& layout,
              llvm::Function* loop)
      : m_(m), kernel_(kernel), layout_(layout), loop_(loop), b_(m.context()) {}

  void emit() {
    auto* i64 = b_.getInt64Ty();
    auto* ptr = b_.getPtrTy();
    auto* entry = block("entry");
    fail_ = block("fail");
    done_ = block("done");
    b_.SetInsertPoint(entry);
    const unsigned nargs = static_cast<unsigned>(layout_.operands.size());
    count_ = b_.CreateLoad(i64, loop_->getArg(1), "n");
    for (unsigned k = 0; k < nargs; ++k) {
      base_.push_back(b_.CreateLoad(ptr, b_.CreateConstGEP1_64(ptr, loop_->getArg(0), k)));
      step_.push_back(b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, loop_->getArg(2), k)));
    }
    result_ = b_.CreateAlloca(m_.llvm_type(kernel_.return_type ? kernel_.return_type : types::none()));
    if (layout_.generalized) {
      bind_core_arrays();
      counted_loop([&](llvm::Value* i) { generalized_iteration(i); });
      b_.CreateBr(done_);
    } else {
      elementwise_versions();
    }
    b_.SetInsertPoint(fail_);
    b_.CreateRet(b_.getInt32(1));
    b_.SetInsertPoint(done_);
    b_.CreateRet(b_.getInt32(0));
  }

 private:
  llvm::BasicBlock* block(const char* name) { return llvm::BasicBlock::Create(m_.context(), name, loop_); }

  // for (i = 0; i < n; ++i) body(i), leaving the builder after the loop.
  void counted_loop(const std::function<void(llvm::Value*)>& body) {
    auto* before = b_.GetInsertBlock();
    auto* head = block("loop");
    auto* after = block("loop.end");
    b_.CreateCondBr(b_.CreateICmpSGT(count_, b_.getInt64(0)), head, after);
    b_.SetInsertPoint(head);
    auto* i = b_.CreatePHI(b_.getInt64Ty(), 2, "i");
    i->addIncoming(b_.getInt64(0), before);
    body(i);
    auto* next = b_.CreateAdd(i, b_.getInt64(1), "", true, true);
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, count_), head, after);
    b_.SetInsertPoint(after);
  }

  llvm::Value* element_pointer(unsigned k, llvm::Value* i, Walk walk) {
    switch (walk) {
      case Walk::Contiguous: return b_.CreateInBoundsGEP(m_.storage_type(layout_.operands[k].dtype), base_[k], i);
      case Walk::Fixed: return base_[k];
      case Walk::Strided: break;
    }
    return b_.CreateGEP(b_.getInt8Ty(), base_[k], b_.CreateMul(i, step_[k]));
  }

  llvm::Value* load_number(llvm::Value* p, Kind dtype) {
    llvm::Value* raw = b_.CreateLoad(m_.storage_type(dtype), p);
    return types::is_bool(dtype) ? b_.CreateICmpNE(raw, b_.getInt8(0)) : raw;
  }

  void store_number(llvm::Value* p, llvm::Value* v, Kind dtype) {
    if (types::is_bool(dtype)) v = b_.CreateZExt(v, b_.getInt8Ty());
    b_.CreateStore(v, p);
  }

  // Calls the kernel; a failure leaves the loop with status 1.
  void call_kernel(std::vector<llvm::Value*> args) {
    args.push_back(result_);
    llvm::Value* status = b_.CreateCall(m_.function_for(kernel_), args);
    auto* ok = block("ok");
    b_.CreateCondBr(b_.CreateICmpEQ(status, b_.getInt32(0)), ok, fail_);
    b_.SetInsertPoint(ok);
  }

  // --- elementwise: versions of the loop chosen by the steps NumPy passes.
  void elementwise_versions() {
    const unsigned nin = static_cast<unsigned>(layout_.nin);
    const unsigned nargs = nin + 1;
    std::vector<std::vector<Walk>> versions;
    versions.push_back(std::vector<Walk>(nargs, Walk::Contiguous));
    // One input broadcast from a scalar (x * 2.0, 2.0 * x), the rest contiguous.
    if (nin >= 2)
      for (unsigned k = 0; k < nin; ++k) {
        std::vector<Walk> v(nargs, Walk::Contiguous);
        v[k] = Walk::Fixed;
        versions.push_back(v);
      }
    for (const auto& walks : versions) {
      llvm::Value* matches = b_.getTrue();
      for (unsigned k = 0; k < nargs; ++k) {
        const int64_t wanted = walks[k] == Walk::Fixed ? 0 : types::item_size(layout_.operands[k].dtype);
        matches = b_.CreateAnd(matches, b_.CreateICmpEQ(step_[k], b_.getInt64(wanted)));
      }
      auto* run = block("version");
      auto* next = block("next_version");
      b_.CreateCondBr(matches, run, next);
      b_.SetInsertPoint(run);
      counted_loop([&](llvm::Value* i) { elementwise_iteration(i, walks); });
      b_.CreateBr(done_);
      b_.SetInsertPoint(next);
    }
    counted_loop([&](llvm::Value* i) { elementwise_iteration(i, std::vector<Walk>(nargs, Walk::Strided)); });
    b_.CreateBr(done_);
  }

  void elementwise_iteration(llvm::Value* i, const std::vector<Walk>& walks) {
    const unsigned nin = static_cast<unsigned>(layout_.nin);
    std::vector<llvm::Value*> args;
    for (unsigned k = 0; k < nin; ++k)
      args.push_back(load_number(element_pointer(k, i, walks[k]), layout_.operands[k].dtype));
    call_kernel(std::move(args));
    const types::Type returned = kernel_.return_type;
    const Kind out = layout_.operands[nin].dtype;
    llvm::Value* value = b_.CreateLoad(m_.llvm_type(returned), result_);
    value = cast_number(b_, value, returned->kind, out, m_.llvm_type(types::scalar(out)));
    store_number(element_pointer(nin, i, walks[nin]), value, out);
  }

  // --- generalized: every operand's core array, the same for all outer iterations but
  // for its data pointer.
  void bind_core_arrays() {
    auto* i64 = b_.getInt64Ty();
    const unsigned nargs = static_cast<unsigned>(layout_.operands.size());
    unsigned core_step = nargs;  // the core strides follow the outer steps
    const std::vector<types::Type> params = layout_.kernel_arg_types();
    for (unsigned k = 0; k < nargs; ++k) {
      const UFuncOperand& op = layout_.operands[k];
      llvm::Value* array = nullptr;
      if (op.as_array) {
        array = llvm::UndefValue::get(m_.llvm_type(params[k]));
        array = b_.CreateInsertValue(array, llvm::ConstantPointerNull::get(b_.getPtrTy()), {kMeminfo});
        if (op.core_dims.empty()) {  // "()" taken as an array: one element
          array = b_.CreateInsertValue(array, b_.getInt64(1), {kShape, 0});
          array = b_.CreateInsertValue(array, b_.getInt64(types::item_size(op.dtype)), {kStrides, 0});
        }
        for (unsigned j = 0; j < op.core_dims.size(); ++j) {
          llvm::Value* size = b_.CreateLoad(
              i64, b_.CreateConstGEP1_64(i64, loop_->getArg(1), static_cast<uint64_t>(1 + op.core_dims[j])));
          llvm::Value* stride = b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, loop_->getArg(2), core_step++));
          array = b_.CreateInsertValue(array, size, {kShape, j});
          array = b_.CreateInsertValue(array, stride, {kStrides, j});
        }
      } else {
        core_step += static_cast<unsigned>(op.core_dims.size());
      }
      core_arrays_.push_back(array);
    }
  }

  void generalized_iteration(llvm::Value* i) {
    std::vector<llvm::Value*> args;
    for (unsigned k = 0; k < layout_.operands.size(); ++k) {
      llvm::Value* p = element_pointer(k, i, Walk::Strided);
      if (core_arrays_[k]) args.push_back(b_.CreateInsertValue(core_arrays_[k], p, {kData}));
      else args.push_back(load_number(p, layout_.operands[k].dtype));
    }
    call_kernel(std::move(args));
  }

  ModuleEmitter& m_;
  const infer::Specialization& kernel_;
  const UFuncLoopLayout& layout_;
  llvm::Function* loop_;
  llvm::IRBuilder<> b_;
  llvm::BasicBlock* fail_ = nullptr;
  llvm::BasicBlock* done_ = nullptr;
  llvm::Value* count_ = nullptr;
  llvm::Value* result_ = nullptr;
  std::vector<llvm::Value*> base_, step_, core_arrays_;
};

}  // namespace

std::string ModuleEmitter::emit_ufunc_loop(const infer::Specialization& kernel, const UFuncLoopLayout& layout) {
  for (const auto& spec : inference_.specializations()) {
    FunctionEmitter emitter(*this, *spec);
    emitter.emit();
  }
  auto& c = context();
  auto* ptr = llvm::PointerType::getUnqual(c);
  auto* type = llvm::FunctionType::get(llvm::Type::getInt32Ty(c), {ptr, ptr, ptr, ptr}, false);
  auto* loop = llvm::Function::Create(type, llvm::Function::ExternalLinkage, kernel.symbol + ".ufunc_loop", module_);
  loop->addFnAttr(llvm::Attribute::NoUnwind);
  LoopEmitter(*this, kernel, layout, loop).emit();
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (llvm::verifyModule(module_, &out))
    throw std::logic_error("accel generated an invalid ufunc loop (a compiler bug): " + problems);
  return loop->getName().str();
}

}  // namespace accel::codegen
