#pragma once
// accel's own syntax tree: the Python subset the compiler understands, with source spans.
// Types are not stored here; inference keeps them in side tables keyed by node.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "frontend/span.h"

namespace accel::frontend {

enum class Operator {
  // binary arithmetic
  Add, Sub, Mult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitAnd, BitOr, BitXor,
  MatMult,  // `a @ b`: np.matmul of arrays, never elementwise
  // unary
  UAdd, USub, Not, Invert,
  // boolean
  And, Or,
  // comparison
  Eq, NotEq, Lt, LtE, Gt, GtE,
  In, NotIn,  // membership, of a number in a tuple
};

/// The Python spelling of an operator, for messages: "+", "//", "not", ...
const char* spelling(Operator op);

enum class ExprKind {
  IntLit, FloatLit, BoolLit, NoneLit,
  EllipsisLit,  // `...`, only inside an array's [...]
  ImagLit,      // `2.5j`: float_value holds the imaginary part (the real part is 0)
  StrLit,     // a string constant: name holds its text (UTF-8)
  FormattedString,  // f"...": operands are StrLit and FormattedValue parts
  FormattedValue,   // {operands[0]!c:spec}: name holds the spec, int_value the conversion ('s', 'r', 'a' or 0)
  Generator,  // (operands[0] for ... in ... if ...): the loops are in `generators`
  Name,       // name
  Attribute,  // operands[0].name
  BinOp,      // operands[0] op operands[1]
  UnaryOp,    // op operands[0]
  BoolOp,     // operands[0] op operands[1] op ...
  Compare,    // operands[0] compare_ops[0] operands[1] ...
  IfExp,      // operands[1] if operands[0] else operands[2]
  Call,       // operands[0](operands[1:], keywords)
  Subscript,  // operands[0][operands[1], operands[2], ...]
  Tuple,      // (operands...)
  List,       // [operands...]
  ListComp,   // [operands[0] for ... in ... if ...]: the loops are in `generators`, as Generator's
  Dict,       // {operands[0]: operands[1], operands[2]: operands[3], ...}
  DictComp,   // {operands[0]: operands[1] for ... in ... if ...}, loops as ListComp's
  Set,        // {operands...}
  SetComp,    // {operands[0] for ... in ... if ...}, loops as ListComp's
  Slice,      // operands = {start, stop, step}, each may be null
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Keyword {
  std::string name;
  ExprPtr value;
  Span span;
};

struct Comprehension;

struct Expr {
  ExprKind kind;
  Span span;
  int64_t int_value = 0;
  double float_value = 0.0;
  bool bool_value = false;
  std::string name;  // Name: the identifier; Attribute: the attribute
  Operator op = Operator::Add;
  std::vector<Operator> compare_ops;
  std::vector<ExprPtr> operands;
  std::vector<Keyword> keywords;
  std::vector<Comprehension> generators;  // Generator: the `for` clauses, outermost first
};

/// One `for target in iter if ...` of a generator expression. The targets are the
/// generator's own variables (Python gives it a scope): lowering renames them apart
/// from the function's ("i.gen1").
struct Comprehension {
  ExprPtr target;
  ExprPtr iter;
  std::vector<ExprPtr> ifs;
};

enum class StmtKind {
  Assign, AugAssign, ExprStmt, If, While, For, Break, Continue, Return, Pass,
  Raise,   // raise value (an exception class or a call of one); bare `raise` when value is null
  Assert,  // assert value, message (message may be null)
  Try,     // try: body / handlers / else: orelse / finally: finalbody
  Delete,  // del targets[0], targets[1], ...: each a subscript (d[k], l[i])
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

/// One `except` clause of a try statement.
struct ExceptHandler {
  std::vector<ExprPtr> classes;  // `except (A, B)`: A and B; empty for a bare `except:`
  std::string name;              // `as name`; empty without
  Block body;
  Span span;
};

struct Stmt {
  StmtKind kind;
  Span span;
  std::vector<ExprPtr> targets;  // Assign: a = b = value; AugAssign and For: one target
  ExprPtr value;                 // assigned value, If/While test, For iterable, Return value
  Operator op = Operator::Add;   // AugAssign
  Block body;
  Block orelse;                  // If else-branch; For/While/Try `else:` (run when no break/exception)
  ExprPtr message;               // Assert: the message, or null
  std::vector<ExceptHandler> handlers;  // Try
  Block finalbody;               // Try: `finally:`
};

struct Parameter {
  std::string name;
  Span span;
};

struct FunctionDef {
  std::string name;
  Span span;
  std::vector<Parameter> params;
  Block body;
};

}  // namespace accel::frontend
