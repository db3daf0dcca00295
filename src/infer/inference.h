#pragma once
// Type inference over a Program: one Specialization per (function, argument types),
// created on demand as calls are found, solved to a fixed point so that recursion and
// variables that widen inside loops (y = 0; y += 0.5) get one type each.

#include <memory>
#include <vector>

#include "infer/specialization.h"

namespace accel::infer {

class Inference {
 public:
  explicit Inference(const frontend::Program& program) : program_(program) {}

  /// The solved specialization; throws frontend::CompileFailure on a type error.
  Specialization& specialize(int function_index, const std::vector<Type>& arg_types);

  const std::vector<std::unique_ptr<Specialization>>& specializations() const { return specs_; }
  const frontend::Program& program() const { return program_; }

  // Used by the per-construct rules (infer_*.cpp).
  Specialization& request(int function_index, const std::vector<Type>& arg_types);

 private:
  bool run_pass(Specialization& spec, bool strict);

  const frontend::Program& program_;
  std::vector<std::unique_ptr<Specialization>> specs_;
  std::vector<Specialization*> in_progress_;
  int depth_ = 0;
};

}  // namespace accel::infer
