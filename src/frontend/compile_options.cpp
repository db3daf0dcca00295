// The options of @accel.jit that are more than a bool: fastmath flags by name, and
// how functions a compilation reaches take their caller's fastmath and error_model.

#include <deque>

#include "frontend/program.h"

namespace accel::frontend {

bool FastMath::enable(std::string_view name) {
  if (name == "fast") {
    nnan = ninf = nsz = arcp = contract = afn = reassoc = true;
    return true;
  }
  for (auto [flag_name, flag] : {std::pair{"nnan", &nnan}, {"ninf", &ninf}, {"nsz", &nsz}, {"arcp", &arcp},
                                 {"contract", &contract}, {"afn", &afn}, {"reassoc", &reassoc}}) {
    if (name == flag_name) {
      *flag = true;
      return true;
    }
  }
  return false;
}

void inherit_options(Program& program, int root) {
  // numba's rule (flags.inherit_if_not_set): a callee whose decorator did not set the
  // option compiles with its caller's. Here each compilation has its own copy of every
  // callee, so the answer does not depend on which function was compiled first.
  const size_t n = program.functions.size();
  if (root < 0 || static_cast<size_t>(root) >= n) return;
  std::vector<bool> seen(n, false);
  std::deque<size_t> queue{static_cast<size_t>(root)};
  seen[static_cast<size_t>(root)] = true;
  while (!queue.empty()) {
    const CompileOptions& caller = program.functions[queue.front()].options;
    const auto& globals = program.functions[queue.front()].globals;
    queue.pop_front();
    for (const auto& [name, value] : globals) {
      if (value.kind != GlobalValue::Kind::Function || value.function_index < 0) continue;
      const auto callee = static_cast<size_t>(value.function_index);
      if (callee >= n || seen[callee]) continue;
      seen[callee] = true;
      CompileOptions& options = program.functions[callee].options;
      if (options.inherits_fastmath) options.fastmath = caller.fastmath;
      if (options.inherits_error_model) options.error_model = caller.error_model;
      queue.push_back(callee);
    }
  }
}

}  // namespace accel::frontend
