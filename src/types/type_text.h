#pragma once
// A short text for a value type (numbers, None, arrays, tuples of them), so a compiled
// function's return type can travel with its object code to another process and be
// read back there. Numbers and arrays are written as their dispatch codes (arg_code),
// None as "N", a tuple as "(a,b,...)".

#include <string>
#include <string_view>

#include "types/type.h"

namespace accel::types {

/// The text for t; empty for a type that has none (compile-time entities, range).
std::string to_text(Type t);
/// The type a to_text() string names; nullptr for text that names none.
Type from_text(std::string_view text);

}  // namespace accel::types
