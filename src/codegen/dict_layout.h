#pragma once
// The fields of a dict or set value (one pointer to the runtime's AccelDict, runtime/abi.h)
// that codegen reads in place; everything else goes through runtime/dict_memory.cpp.

#include <cstddef>

#include "runtime/abi.h"

namespace accel::codegen {

enum DictField : unsigned { kDictSize = 1, kDictUsed = 2 };

static_assert(offsetof(AccelDict, size) == 8 * kDictSize && offsetof(AccelDict, used) == 8 * kDictUsed);

}  // namespace accel::codegen
