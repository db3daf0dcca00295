#pragma once
// Python `ast` objects → frontend::SyntaxNode, generically: class name, fields, spans.

#include <nanobind/nanobind.h>

#include "frontend/syntax_tree.h"

namespace accel::bindings {

frontend::SyntaxNode syntax_from_python(nanobind::handle node);

}  // namespace accel::bindings
