#include <string>
#include <unordered_map>

#include "library/families.h"

namespace accel::infer {

const Builtin* find_builtin(std::string_view name) {
  // Made once, on first use; then read-only, so compilations on several threads share it.
  static const auto* table = [] {
    auto* out = new std::unordered_map<std::string_view, const Builtin*>();
    for (auto family : {library::python_builtins, library::lists, library::dicts, library::array_from_sequence, library::math_module, library::numpy_ufuncs, library::numpy_random,
                        library::numpy_histogram, library::complex_numbers, library::lapack_routines})
      for (const Builtin& entry : family()) out->emplace(entry.name, &entry);
    return out;
  }();
  auto it = table->find(name);
  return it == table->end() ? nullptr : it->second;
}

}  // namespace accel::infer
