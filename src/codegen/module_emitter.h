#pragma once
// Typed specializations → one LLVM module: an internal function per specialization
// and an external entry wrapper with the dispatcher's calling convention.

#include <memory>
#include <string>
#include <unordered_map>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "infer/inference.h"
#include "passes/parallel_loops.h"
#include "runtime/abi.h"

namespace accel::codegen {

/// A runtime function compiled code calls (runtime/abi_functions.h).
using RT = runtime::Function;

struct UFuncLoopLayout;

/// The entry's calling convention, shared with the dispatcher:
///   int32_t entry(const uint64_t* args, uint64_t* result)
/// A number takes one 8-byte slot (ints sign- or zero-extended to 64 bits, floats as
/// double, bools as 0/1); an array three (data pointer, shape pointer, strides pointer,
/// as NumPy's own fields). The result is flattened into slots: a number takes one, an
/// array 2 + 2*ndim (block, data, shape, strides; the caller owns the reference), a
/// tuple its elements' slots, a list two (the AccelList, whose reference the caller owns,
/// and a `void (*)(AccelList*, int64_t k, uint64_t* slots)` that writes item k as the
/// result of its item type), None none. The return value is 0, or 1 with the error
/// left in the runtime's thread-local state.
using EntryFunction = int32_t (*)(const uint64_t* args, uint64_t* result);

/// Slots a value of this type takes in the entry's result buffer.
int slot_count(types::Type t);

class ModuleEmitter {
 public:
  ModuleEmitter(llvm::Module& module, const infer::Inference& inference,
                const passes::ParallelPlans& parallel_plans);

  /// Emits every specialization, then the entry wrapper for `entry`; returns its name.
  /// With a `declared` return type (a signature's, checked by types::declared_return),
  /// the entry casts its result to it and returns that as types::as_python_scalars().
  std::string emit(const infer::Specialization& entry, types::Type declared = nullptr);
  /// Emits every specialization, then NumPy's inner loop over `kernel` instead of an
  /// entry wrapper (ufunc_loop.cpp); returns the loop's name.
  std::string emit_ufunc_loop(const infer::Specialization& kernel, const UFuncLoopLayout& layout);

  llvm::LLVMContext& context() { return module_.getContext(); }
  llvm::Module& module() { return module_; }
  llvm::Type* llvm_type(types::Type t);
  llvm::Type* storage_type(types::Kind kind);  // how an element sits in an array
  llvm::Function* function_for(const infer::Specialization& spec);
  /// The declaration of a runtime function (runtime/abi_functions.h) in this module.
  llvm::FunctionCallee runtime(RT function);
  /// The parallel loops of a specialization, or nullptr when it has none.
  const std::unordered_map<const frontend::Stmt*, passes::ParallelLoop>* parallel_plans(
      const infer::Specialization& spec) const;
  /// `v` of type `from` as a declared result type `to` (types/declared_return.h checked
  /// that it converts): numbers cast, tuples elementwise, arrays as they are.
  llvm::Value* convert_result(llvm::IRBuilder<>& b, llvm::Value* v, types::Type from, types::Type to);

  /// Writes a result of type t into the entry's result slots at `index`, advancing it.
  void store_result(llvm::IRBuilder<>& b, llvm::Value* slots, llvm::Value* v, types::Type t, int& index);

 private:
  llvm::Function* emit_entry(const infer::Specialization& spec, types::Type declared);
  /// The function that writes item k of a list of this type as result slots.
  llvm::Function* list_item_writer(types::Type list_type);
  llvm::Function* dict_entry_writer(types::Type container);

  llvm::Module& module_;
  const infer::Inference& inference_;
  const passes::ParallelPlans& parallel_plans_;
  std::unordered_map<const infer::Specialization*, llvm::Function*> functions_;
  std::unordered_map<types::Type, llvm::Function*> item_writers_;
};

}  // namespace accel::codegen
