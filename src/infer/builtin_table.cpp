#include "infer/builtin_table.h"

namespace accel::infer {
namespace {

struct NamedKind {
  std::string_view name;
  types::Kind kind;
};

const NamedKind kScalarTypes[] = {
    {"bool", types::Kind::Bool},       {"bool_", types::Kind::Bool},
    {"int8", types::Kind::Int8},       {"int16", types::Kind::Int16},
    {"int32", types::Kind::Int32},     {"int64", types::Kind::Int64},
    {"uint8", types::Kind::UInt8},     {"uint16", types::Kind::UInt16},
    {"uint32", types::Kind::UInt32},   {"uint64", types::Kind::UInt64},
    {"float32", types::Kind::Float32}, {"float64", types::Kind::Float64},
    {"complex64", types::Kind::Complex64}, {"complex128", types::Kind::Complex128},
};

}  // namespace

bool numpy_scalar_kind(std::string_view name, types::Kind& kind) {
  for (const auto& entry : kScalarTypes)
    if (entry.name == name) {
      kind = entry.kind;
      return true;
    }
  return false;
}

}  // namespace accel::infer
