#include "dispatch/argument_conversion.h"

#include <cmath>
#include <cstring>

namespace accel::dispatch {

using types::Kind;

namespace {

bool is_unsigned(Kind kind) { return kind >= Kind::UInt8 && kind <= Kind::UInt64; }

double as_double(uint64_t slot) {
  double d;
  std::memcpy(&d, &slot, sizeof d);
  return d;
}

uint64_t from_double(double d) {
  uint64_t slot;
  std::memcpy(&slot, &d, sizeof slot);
  return slot;
}

// Python's int() of a finite or non-finite double, as far as it fails.
ConversionFailure truncated(double d, double& out) {
  if (std::isnan(d)) return ConversionFailure::NotANumber;
  if (std::isinf(d)) return ConversionFailure::Infinite;
  out = std::trunc(d);
  return ConversionFailure::None;
}

}  // namespace

SlotConversion slot_conversion(Kind from, Kind to) {
  const bool from_float = types::is_float(from), to_float = types::is_float(to);
  if (to_float) {
    if (from_float) return SlotConversion::None;
    return is_unsigned(from) ? SlotConversion::UnsignedToDouble : SlotConversion::SignedToDouble;
  }
  if (types::is_bool(to)) return from_float ? SlotConversion::DoubleToBool : SlotConversion::None;
  // `to` is an integer.
  if (from_float) return is_unsigned(to) ? SlotConversion::DoubleToUnsigned : SlotConversion::DoubleToSigned;
  if (types::is_bool(from)) return SlotConversion::None;
  if (is_unsigned(to)) return is_unsigned(from) ? SlotConversion::None : SlotConversion::CheckNotNegative;
  return from == Kind::UInt64 ? SlotConversion::CheckFitsSigned : SlotConversion::None;
}

ConversionFailure convert_slot(SlotConversion conversion, uint64_t& slot) {
  constexpr double two_63 = 9223372036854775808.0, two_64 = 18446744073709551616.0;
  double t = 0;
  switch (conversion) {
    case SlotConversion::None: return ConversionFailure::None;
    case SlotConversion::SignedToDouble:
      slot = from_double(static_cast<double>(static_cast<int64_t>(slot)));
      return ConversionFailure::None;
    case SlotConversion::UnsignedToDouble:
      slot = from_double(static_cast<double>(slot));
      return ConversionFailure::None;
    case SlotConversion::DoubleToBool:
      slot = as_double(slot) != 0.0;  // NaN != 0: true, as bool(nan)
      return ConversionFailure::None;
    case SlotConversion::DoubleToSigned: {
      if (auto failure = truncated(as_double(slot), t); failure != ConversionFailure::None) return failure;
      if (t < -two_63 || t >= two_63) return ConversionFailure::TooLarge;
      slot = static_cast<uint64_t>(static_cast<int64_t>(t));
      return ConversionFailure::None;
    }
    case SlotConversion::DoubleToUnsigned: {
      if (auto failure = truncated(as_double(slot), t); failure != ConversionFailure::None) return failure;
      if (t < 0) return ConversionFailure::Negative;
      if (t >= two_64) return ConversionFailure::TooLarge;
      slot = static_cast<uint64_t>(t);
      return ConversionFailure::None;
    }
    case SlotConversion::CheckNotNegative:
      return static_cast<int64_t>(slot) < 0 ? ConversionFailure::Negative : ConversionFailure::None;
    case SlotConversion::CheckFitsSigned:
      return slot > static_cast<uint64_t>(INT64_MAX) ? ConversionFailure::TooLarge : ConversionFailure::None;
  }
  return ConversionFailure::None;
}

}  // namespace accel::dispatch
