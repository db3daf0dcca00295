#pragma once
// Which `for ... in accel.prange(...)` loops run in parallel, and how each variable in
// their body is shared: read-only, private to an iteration, or a reduction. A body that
// carries a value from one iteration to the next is refused with a CompileError.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "infer/inference.h"

namespace accel::passes {

enum class ReductionOp { Add, Multiply, Min, Max };

struct Reduction {
  std::string variable;
  ReductionOp op;
};

struct ParallelLoop {
  std::vector<Reduction> reductions;
  std::vector<std::string> privates;  // assigned before use in every iteration
};

/// Plans per specialization and loop statement.
using ParallelPlans =
    std::unordered_map<const infer::Specialization*, std::unordered_map<const frontend::Stmt*, ParallelLoop>>;

/// Plans every prange loop of every specialization compiled with parallel=True.
ParallelPlans plan_parallel_loops(const infer::Inference& inference);

}  // namespace accel::passes
