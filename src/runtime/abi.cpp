#include "runtime/abi.h"

namespace accel::runtime {

std::span<const RuntimeSymbol> runtime_functions() {
  using enum FunctionAttribute;
  static const RuntimeSymbol functions[] = {
#define ACCEL_RUNTIME_FUNCTION(name, result, parameters, attribute) \
  {#name, reinterpret_cast<void*>(&name), attribute},
#include "runtime/abi_functions.h"
#undef ACCEL_RUNTIME_FUNCTION
  };
  return functions;
}

}  // namespace accel::runtime
