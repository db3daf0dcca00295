#pragma once
// Builds accel ASTs in C++ so the stages can be tested without Python.

#include <utility>

#include "frontend/program.h"

namespace accel::testing {

using namespace frontend;

inline ExprPtr expr(ExprKind kind) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = {1, 0, 1, 1};
  return e;
}
inline ExprPtr lit(int64_t v) { auto e = expr(ExprKind::IntLit); e->int_value = v; return e; }
inline ExprPtr lit(double v) { auto e = expr(ExprKind::FloatLit); e->float_value = v; return e; }
inline ExprPtr name(const std::string& n) { auto e = expr(ExprKind::Name); e->name = n; return e; }
inline ExprPtr bin(Operator op, ExprPtr a, ExprPtr b) {
  auto e = expr(ExprKind::BinOp);
  e->op = op;
  e->operands.push_back(std::move(a));
  e->operands.push_back(std::move(b));
  return e;
}
inline ExprPtr cmp(Operator op, ExprPtr a, ExprPtr b) {
  auto e = expr(ExprKind::Compare);
  e->compare_ops.push_back(op);
  e->operands.push_back(std::move(a));
  e->operands.push_back(std::move(b));
  return e;
}
inline ExprPtr index(ExprPtr array, ExprPtr i) {
  auto e = expr(ExprKind::Subscript);
  e->operands.push_back(std::move(array));
  e->operands.push_back(std::move(i));
  return e;
}
inline ExprPtr call(ExprPtr callee, std::vector<ExprPtr> args) {
  auto e = expr(ExprKind::Call);
  e->operands.push_back(std::move(callee));
  for (auto& a : args) e->operands.push_back(std::move(a));
  return e;
}

inline StmtPtr stmt(StmtKind kind) {
  auto s = std::make_unique<Stmt>();
  s->kind = kind;
  s->span = {1, 0, 1, 1};
  return s;
}
inline StmtPtr assign(const std::string& target, ExprPtr value) {
  auto s = stmt(StmtKind::Assign);
  s->targets.push_back(name(target));
  s->value = std::move(value);
  return s;
}
inline StmtPtr aug(const std::string& target, Operator op, ExprPtr value) {
  auto s = stmt(StmtKind::AugAssign);
  s->targets.push_back(name(target));
  s->op = op;
  s->value = std::move(value);
  return s;
}
inline StmtPtr ret(ExprPtr value) {
  auto s = stmt(StmtKind::Return);
  s->value = std::move(value);
  return s;
}
template <typename... Stmts>
Block block(Stmts... statements) {
  Block b;
  (b.push_back(std::move(statements)), ...);
  return b;
}
inline StmtPtr for_in(const std::string& target, ExprPtr iterable, Block body) {
  auto s = stmt(StmtKind::For);
  s->targets.push_back(name(target));
  s->value = std::move(iterable);
  s->body = std::move(body);
  return s;
}
inline StmtPtr if_else(ExprPtr test, Block body, Block orelse) {
  auto s = stmt(StmtKind::If);
  s->value = std::move(test);
  s->body = std::move(body);
  s->orelse = std::move(orelse);
  return s;
}

/// A program of one function; `range` and `len` are visible as builtins.
inline Program program(const std::string& fn_name, std::vector<std::string> params, Block body) {
  Program p;
  FunctionSource f;
  f.def.name = fn_name;
  for (auto& param : params) f.def.params.push_back({param, {1, 0, 1, 1}});
  f.def.body = std::move(body);
  f.source.function_name = fn_name;
  f.source.filename = "test.py";
  f.source.lines = {"def " + fn_name + "(...): ..."};
  for (const char* builtin : {"range", "len", "abs", "min", "max"}) {
    GlobalValue g;
    g.kind = GlobalValue::Kind::Builtin;
    g.qualname = std::string("builtins.") + builtin;
    f.globals[builtin] = g;
  }
  f.defaults.resize(f.def.params.size());
  p.add(std::move(f));
  return p;
}

}  // namespace accel::testing
