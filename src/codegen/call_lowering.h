#pragma once
// What a builtin's lowering (infer/builtin.h) sees of a call: its arguments, their types,
// the facts its typing recorded, and the emitter whose helpers it builds the value with.

#include <any>
#include <string_view>
#include <vector>

#include "codegen/function_emitter.h"

namespace accel::codegen {

class CallLowering {
 public:
  CallLowering(FunctionEmitter& emitter, const Expr& call, const infer::CallTarget& target)
      : emitter_(emitter), call_(call), target_(target) {}

  FunctionEmitter& emitter() { return emitter_; }
  llvm::IRBuilder<>& builder() { return emitter_.builder(); }
  std::string_view name() const { return target_.builtin; }
  const Expr& expression() const { return call_; }

  size_t argument_count() const { return target_.arguments.size(); }
  /// Argument i as the typing bound it; nullptr for one left to its default.
  const Expr* argument_expression(size_t i) const { return target_.arguments[i]; }
  Type argument_type(size_t i) const { return emitter_.type_of(*target_.arguments[i]); }
  /// Argument i's value, evaluated now.
  llvm::Value* argument(size_t i) { return emitter_.expr(*target_.arguments[i]); }
  Type result_type() const { return emitter_.type_of(call_); }
  /// What the typing recorded with CallTyping::facts.
  template <class T>
  const T& facts() const {
    return std::any_cast<const T&>(target_.facts);
  }

 private:
  FunctionEmitter& emitter_;
  const Expr& call_;
  const infer::CallTarget& target_;
};

/// One element of an elementwise builtin: the arguments' elements (numbers) and the
/// element type of the result.
class ElementLowering {
 public:
  ElementLowering(FunctionEmitter& emitter, std::string_view name, std::vector<llvm::Value*> values,
                  std::vector<Type> types, Type result)
      : emitter_(emitter), name_(name), values_(std::move(values)), types_(std::move(types)), result_(result) {}

  FunctionEmitter& emitter() { return emitter_; }
  llvm::IRBuilder<>& builder() { return emitter_.builder(); }
  std::string_view name() const { return name_; }
  const std::vector<llvm::Value*>& values() const { return values_; }
  const std::vector<Type>& types() const { return types_; }
  Type result_type() const { return result_; }

 private:
  FunctionEmitter& emitter_;
  std::string_view name_;
  std::vector<llvm::Value*> values_;
  std::vector<Type> types_;
  Type result_;
};

}  // namespace accel::codegen
