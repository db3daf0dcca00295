#pragma once
// Object code compiled on one machine may run on another only when that machine has
// every instruction set extension the code was allowed to use. LLVM writes a CPU's
// features as "+avx2,-avx512f,..."; the "+" entries are the ones code may rely on.

#include <string>
#include <vector>

namespace accel::jit {

/// The "+" features of `needed` that `host` does not enable (empty: the code can run).
std::vector<std::string> missing_features(const std::string& needed, const std::string& host);

}  // namespace accel::jit
