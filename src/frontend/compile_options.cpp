// The options of @accel.jit that are more than a bool: fastmath flags by name.

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

}  // namespace accel::frontend
