#pragma once
// f-strings, str() and print() in compiled code: the pieces a compiled statement gathers
// (runtime/text.cpp) and the renderer that formats them. The renderer is CPython's own
// format(), str() and NumPy's array printing, reached through the dispatcher (the only
// stage that may include Python), so compiled code prints exactly what Python prints.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/abi.h"

namespace accel::runtime {

struct TextPiece {
  enum class Kind : int32_t {
    Literal,    // text, as it is
    Number,     // number_kind (types::Kind) with bits: an integer widened to 64 bits, or a float's double
    String,     // text, formatted as a str
    Array,      // data, number_kind (dtype), shape, strides: a view, read while formatting
    Exception,  // error: an exception caught by `except ... as e`
    None,
    Tuple,      // the next `count` values are its elements
    List,       // the next `count` values are its items
  };
  Kind kind = Kind::Literal;
  int32_t number_kind = 0;
  uint64_t bits = 0;
  std::string text;
  std::string spec;        // the format spec after ':' ("" when none)
  int32_t conversion = 0;  // 0, or 's', 'r', 'a' for !s, !r, !a
  const char* data = nullptr;
  std::vector<int64_t> shape, strides;
  PendingError error;
  int64_t count = 0;
};

/// Formats the pieces into `out` (print: as print() joins them, then written to
/// sys.stdout). False with `error` set when Python raised (a bad format spec, say).
using TextRenderer = bool (*)(const std::vector<TextPiece>& pieces, bool print, std::string& out,
                              PendingError& error);
void set_text_renderer(TextRenderer renderer);

/// Whether the calling thread runs a chunk of a parallel loop (which may not take the GIL:
/// the thread that started the loop may hold it while it waits).
bool in_parallel_loop();
void set_in_parallel_loop(bool inside);

}  // namespace accel::runtime
