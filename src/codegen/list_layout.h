#pragma once
// How a list value is laid out in compiled code: one pointer to the runtime's AccelList
// (runtime/abi.h), whose fields codegen reads and writes in place.

#include <cstddef>

#include "runtime/abi.h"

namespace accel::codegen {

/// { i64 refcount, i64 size, i64 capacity, ptr data, i64 changed, ptr parent }, as AccelList.
enum ListField : unsigned {
  kListRefcount = 0, kListSize = 1, kListCapacity = 2, kListData = 3, kListChanged = 4, kListParent = 5
};

static_assert(offsetof(AccelList, size) == 8 * kListSize && offsetof(AccelList, capacity) == 8 * kListCapacity &&
              offsetof(AccelList, data) == 8 * kListData && offsetof(AccelList, changed) == 8 * kListChanged &&
              offsetof(AccelList, parent) == 8 * kListParent && sizeof(AccelList) == 48);

}  // namespace accel::codegen
