#include "runtime/text.h"

#include <cstring>

namespace accel::runtime {
namespace {

TextRenderer renderer = nullptr;
// Per thread; a statement adds its pieces after evaluating every value it formats, so
// no compiled code runs between begin and finish.
thread_local std::vector<TextPiece> pieces;
thread_local bool parallel_chunk = false;

TextPiece& add(TextPiece::Kind kind, const char* spec, int32_t conversion) {
  TextPiece& piece = pieces.emplace_back();
  piece.kind = kind;
  piece.spec = spec ? spec : "";
  piece.conversion = conversion;
  return piece;
}

// Formats the gathered pieces; 1 with an error pending when it cannot.
int32_t render(bool print, std::string& out) {
  std::vector<TextPiece> taken = std::move(pieces);
  pieces.clear();
  if (parallel_chunk) {
    accel_rt_raise_class("builtins:RuntimeError|builtins:Exception|builtins:BaseException",
                         "print() and string formatting are not supported inside a prange loop", 1);
    return 1;
  }
  if (!renderer) {
    accel_rt_raise_class("builtins:RuntimeError|builtins:Exception|builtins:BaseException",
                         "accel: no text renderer is set", 1);
    return 1;
  }
  PendingError error;
  if (!renderer(taken, print, out, error)) {
    restore_error(std::move(error));
    return 1;
  }
  return 0;
}

}  // namespace

void set_text_renderer(TextRenderer r) { renderer = r; }
bool in_parallel_loop() { return parallel_chunk; }
void set_in_parallel_loop(bool inside) { parallel_chunk = inside; }

}  // namespace accel::runtime

using accel::runtime::TextPiece;

extern "C" void accel_rt_text_begin() { accel::runtime::pieces.clear(); }

extern "C" void accel_rt_text_literal(const char* data, int64_t n) {
  accel::runtime::add(TextPiece::Kind::Literal, nullptr, 0).text.assign(data, static_cast<size_t>(n));
}

extern "C" void accel_rt_text_string(const char* data, int64_t n, const char* spec, int32_t conversion) {
  accel::runtime::add(TextPiece::Kind::String, spec, conversion).text.assign(data, static_cast<size_t>(n));
}

extern "C" void accel_rt_text_number(int32_t kind, uint64_t bits, const char* spec, int32_t conversion) {
  TextPiece& piece = accel::runtime::add(TextPiece::Kind::Number, spec, conversion);
  piece.number_kind = kind;
  piece.bits = bits;
}

extern "C" void accel_rt_text_none(const char* spec, int32_t conversion) {
  accel::runtime::add(TextPiece::Kind::None, spec, conversion);
}

extern "C" void accel_rt_text_tuple(int64_t count, const char* spec, int32_t conversion) {
  accel::runtime::add(TextPiece::Kind::Tuple, spec, conversion).count = count;
}

extern "C" void accel_rt_text_list(int64_t count, const char* spec, int32_t conversion) {
  accel::runtime::add(TextPiece::Kind::List, spec, conversion).count = count;
}

extern "C" void accel_rt_text_array(const char* data, const int64_t* shape, const int64_t* strides, int32_t ndim,
                                    int32_t dtype, const char* spec, int32_t conversion) {
  TextPiece& piece = accel::runtime::add(TextPiece::Kind::Array, spec, conversion);
  piece.data = data;
  piece.number_kind = dtype;
  piece.shape.assign(shape, shape + ndim);
  piece.strides.assign(strides, strides + ndim);
}

extern "C" void accel_rt_text_exception(void* caught, const char* spec, int32_t conversion) {
  TextPiece& piece = accel::runtime::add(TextPiece::Kind::Exception, spec, conversion);
  if (caught) piece.error = *static_cast<accel::runtime::PendingError*>(caught);
}

extern "C" int32_t accel_rt_text_finish(void** meminfo, char** data, int64_t* n) {
  std::string out;
  *meminfo = nullptr;
  *data = nullptr;
  *n = 0;
  if (accel::runtime::render(false, out) != 0) return 1;
  void* payload = nullptr;
  void* block = accel_rt_array_alloc(static_cast<int64_t>(out.size()), &payload);
  if (!block) return 1;
  std::memcpy(payload, out.data(), out.size());
  *meminfo = block;
  *data = static_cast<char*>(payload);
  *n = static_cast<int64_t>(out.size());
  return 0;
}

extern "C" int32_t accel_rt_text_print() {
  std::string out;
  return accel::runtime::render(true, out);
}
