#pragma once
// Which `for ... in accel.prange(...)` loops run in parallel, and how each variable in
// their body is shared: read-only, private to an iteration, or a reduction. A body that
// carries a value from one iteration to the next is refused with a CompileError; one
// whose safety the planner cannot see (an array updated in place as a whole, a call
// that writes into an array argument) runs serially, with a warning. Arrays that may
// share memory (views, the same array passed twice) are compared when the loop starts:
// if they overlap, that run of the loop is serial.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <optional>

#include "frontend/diagnostic.h"
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
  std::vector<std::string> used;      // every variable the body mentions, and the loop's
  /// Array variables the body writes elements of, each with another array variable it
  /// mentions: if their memory overlaps when the loop starts, it runs serially.
  std::vector<std::pair<std::string, std::string>> must_not_overlap;
  /// Set when the loop runs serially: why (a warning at compile time).
  std::optional<frontend::Diagnostic> serial_because;
};

/// Plans per specialization and loop statement.
using ParallelPlans =
    std::unordered_map<const infer::Specialization*, std::unordered_map<const frontend::Stmt*, ParallelLoop>>;

/// Plans every prange loop of every specialization compiled with parallel=True.
ParallelPlans plan_parallel_loops(const infer::Inference& inference);

/// The warnings of the loops that run serially, each located in its function.
std::vector<frontend::Diagnostic> serial_loop_warnings(const ParallelPlans& plans);

}  // namespace accel::passes
