#pragma once
// A call to a function compiled from signatures may pass a number of another type than
// the parameter's (a Python int to a float64 parameter): the dispatcher rewrites that
// argument's slot before calling the entry, as numba converts when it unboxes. Pure C++
// (no Python), so tests/cpp/dispatch tests it alone.
//
// Slots hold ints sign- or zero-extended to 64 bits, floats as double, bools as 0/1
// (codegen/module_emitter.h); the entry then narrows each to its parameter's type
// (an int64 to int8 wraps, a double to float32 rounds). So only a change of
// representation needs a conversion here, and numba's checks: a number passed to an
// integer parameter goes through Python's int() (floats truncate, NaN and infinity are
// refused) and must fit in 64 bits, signed or, for an unsigned parameter, unsigned.

#include <cstdint>

#include "types/type.h"

namespace accel::dispatch {

enum class SlotConversion : uint8_t {
  None,
  SignedToDouble,    // an int or bool to a float parameter
  UnsignedToDouble,  // an unsigned int to a float parameter
  DoubleToSigned,    // a float to a signed int parameter (truncates)
  DoubleToUnsigned,  // a float to an unsigned int parameter (truncates)
  DoubleToBool,      // a float to a bool parameter (its truth, NaN is true)
  CheckNotNegative,  // a signed int to an unsigned parameter
  CheckFitsSigned,   // a uint64 to a signed parameter
};

enum class ConversionFailure : uint8_t {
  None,
  NotANumber,  // NaN to an integer: ValueError, as int(nan)
  Infinite,    // infinity to an integer: OverflowError, as int(inf)
  TooLarge,    // beyond 64 bits: OverflowError
  Negative,    // below zero to an unsigned parameter: OverflowError
};

/// How a slot holding a number of kind `from` becomes one for a parameter of kind `to`.
SlotConversion slot_conversion(types::Kind from, types::Kind to);

/// Rewrites `slot` in place; on failure it is left unchanged.
ConversionFailure convert_slot(SlotConversion conversion, uint64_t& slot);

}  // namespace accel::dispatch
