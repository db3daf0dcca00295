#pragma once
// Python ast (as a generic SyntaxNode tree) → accel AST. Every construct outside the
// supported subset fails here with a CompileError that points at it.

#include "frontend/ast.h"
#include "frontend/syntax_tree.h"

namespace accel::frontend {

/// `tree` is an ast.Module holding one FunctionDef, or the FunctionDef itself.
FunctionDef lower_function(const SyntaxNode& tree);

}  // namespace accel::frontend
