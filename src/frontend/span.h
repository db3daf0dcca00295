#pragma once
// A place in the user's source file, as Python's ast reports it.

namespace accel::frontend {

/// Lines are 1-based in the file; columns are 0-based character offsets (ast's col_offset).
struct Span {
  int line = 0;
  int col = 0;
  int end_line = 0;
  int end_col = 0;
};

}  // namespace accel::frontend
