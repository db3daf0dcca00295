#include "passes/parallel_loops.h"

#include <set>

#include "frontend/diagnostic.h"

namespace accel::passes {

using frontend::Block;
using frontend::ErrorCode;
using frontend::Expr;
using frontend::ExprKind;
using frontend::fail;
using frontend::Operator;
using frontend::Stmt;
using frontend::StmtKind;

namespace {

const char* const kWhyParallel =
    "Iterations of a prange loop run in any order on several threads.";

bool is_prange(const infer::Specialization& spec, const Expr& iterable) {
  if (iterable.kind != ExprKind::Call) return false;
  auto it = spec.calls.find(&iterable);
  return it != spec.calls.end() && it->second.builtin == "accel.prange";
}

void names_in(const Expr& e, std::set<std::string>& out) {
  if (e.kind == ExprKind::Name) out.insert(e.name);
  for (const auto& operand : e.operands)
    if (operand) names_in(*operand, out);
  for (const auto& kw : e.keywords) names_in(*kw.value, out);
}

bool mentions(const Expr& e, const std::string& name) {
  std::set<std::string> names;
  names_in(e, names);
  return names.count(name) > 0;
}

std::string text_of(const Expr& e);

// A canonical spelling of an index expression, to compare reads and writes.
std::string text_of(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Name: return e.name;
    case ExprKind::IntLit: return std::to_string(e.int_value);
    case ExprKind::BinOp:
      return "(" + text_of(*e.operands[0]) + frontend::spelling(e.op) + text_of(*e.operands[1]) + ")";
    case ExprKind::UnaryOp: return std::string(frontend::spelling(e.op)) + text_of(*e.operands[0]);
    default: return "<" + std::to_string(static_cast<int>(e.kind)) + "@" + std::to_string(e.span.line) + ":" +
                    std::to_string(e.span.col) + ">";
  }
}

std::string index_text(const Expr& subscript) {
  std::string out;
  for (size_t i = 1; i < subscript.operands.size(); ++i) out += text_of(*subscript.operands[i]) + ",";
  return out;
}

// The reduction a statement performs on `name`, if it has the form `name op= e` or
// `name = min(name, e)` / `max(...)` with e not mentioning name.
bool reduction_form(const infer::Specialization& spec, const Stmt& s, std::string& name, ReductionOp& op) {
  if (s.targets.size() != 1 || s.targets[0]->kind != ExprKind::Name) return false;
  name = s.targets[0]->name;
  if (s.kind == StmtKind::AugAssign) {
    if (mentions(*s.value, name)) return false;
    switch (s.op) {
      case Operator::Add: case Operator::Sub: op = ReductionOp::Add; return true;
      case Operator::Mult: op = ReductionOp::Multiply; return true;
      default: return false;
    }
  }
  if (s.kind != StmtKind::Assign || s.value->kind != ExprKind::Call) return false;
  auto it = spec.calls.find(s.value.get());
  if (it == spec.calls.end()) return false;
  const std::string& builtin = it->second.builtin;
  if (builtin != "builtins.min" && builtin != "builtins.max") return false;
  const auto& args = it->second.arguments;
  if (args.size() != 2) return false;
  const Expr* self = args[0]->kind == ExprKind::Name && args[0]->name == name ? args[0] : args[1];
  const Expr* other = self == args[0] ? args[1] : args[0];
  if (self->kind != ExprKind::Name || self->name != name || mentions(*other, name)) return false;
  op = builtin == "builtins.min" ? ReductionOp::Min : ReductionOp::Max;
  return true;
}

void names_in_block(const Block& block, std::set<std::string>& out) {
  for (const auto& s : block) {
    for (const auto& t : s->targets) names_in(*t, out);
    if (s->value) names_in(*s->value, out);
    names_in_block(s->body, out);
    names_in_block(s->orelse, out);
  }
}

bool is_array(const infer::Specialization& spec, const std::string& name) {
  auto it = spec.variables.find(name);
  return it != spec.variables.end() && it->second->kind == types::Kind::Array;
}

bool is_list(const infer::Specialization& spec, const std::string& name) {
  auto it = spec.variables.find(name);
  return it != spec.variables.end() && it->second->kind == types::Kind::List;
}

bool is_dict(const infer::Specialization& spec, const std::string& name) {
  auto it = spec.variables.find(name);
  return it != spec.variables.end() && it->second->kind == types::Kind::Dict;
}

template <class Visit>
void each_expr(const Expr& e, const Visit& visit) {
  visit(e);
  for (const auto& operand : e.operands)
    if (operand) each_expr(*operand, visit);
  for (const auto& kw : e.keywords) each_expr(*kw.value, visit);
}

template <class Visit>
void each_stmt(const Block& block, const Visit& visit) {
  for (const auto& s : block) {
    visit(*s);
    each_stmt(s->body, visit);
    each_stmt(s->orelse, visit);
  }
}

// Which parameters of a user function it may write elements of, directly or through a
// view or a callee. A variable assigned from an expression that mentions a parameter
// may be a view of it; that is followed until nothing changes.
class ArgumentWrites {
 public:
  /// Whether calling `spec` with `arguments` may write into an array among them.
  bool call_writes(const infer::CallTarget& target) {
    // Of the builtins only x.sort() and x.fill(v) write into an array given to them, and
    // a list's methods but index, count and copy change the list (an append may move
    // its items: two threads appending would race).
    if (target.builtin.rfind("list.", 0) == 0)
      return target.builtin != "list.index" && target.builtin != "list.count" && target.builtin != "list.copy";
    // A dict's or set's methods but those that only read it change it (an insert may
    // rebuild its table).
    if (target.builtin.rfind("dict.", 0) == 0 || target.builtin.rfind("set.", 0) == 0) {
      static const std::set<std::string, std::less<>> reads = {"dict.get", "dict.keys", "dict.values", "dict.items",
                                                               "dict.copy", "set.copy", "set.union", "set.intersection",
                                                               "set.difference"};
      return !reads.count(target.builtin);
    }
    if (!target.builtin.empty()) return target.builtin == "array.sort" || target.builtin == "array.fill";
    if (!target.callee) return true;            // not seen: assume it does
    std::set<size_t> written = writes(*target.callee);
    for (size_t i : written)
      if (i < target.arguments.size() && target.arguments[i]) return true;
    return false;
  }

 private:
  std::set<size_t> writes(const infer::Specialization& spec) {
    auto known = done_.find(&spec);
    if (known != done_.end()) return known->second;
    if (!busy_.insert(&spec).second) return {};  // recursion: the outer visit decides
    const auto& params = spec.source->def.params;
    std::set<std::string> views;
    for (const auto& p : params)
      if (is_array(spec, p.name)) views.insert(p.name);
    for (bool grew = true; grew;) {
      grew = false;
      each_stmt(spec.source->def.body, [&](const Stmt& s) {
        if ((s.kind != StmtKind::Assign && s.kind != StmtKind::For) || !s.value) return;
        if (!mentions_any(*s.value, views)) return;
        for (const auto& t : s.targets) {
          std::set<std::string> names;
          names_in(*t, names);
          for (const auto& n : names)
            if (is_array(spec, n) && views.insert(n).second) grew = true;
        }
      });
    }
    bool writes_any = false;
    each_stmt(spec.source->def.body, [&](const Stmt& s) {
      for (const auto& t : s.targets) {
        if (t->kind == ExprKind::Subscript && mentions_any(*t->operands[0], views)) writes_any = true;
        if (s.kind == StmtKind::AugAssign && t->kind == ExprKind::Name && views.count(t->name)) writes_any = true;
      }
      auto visit = [&](const Expr& e) {
        auto call = spec.calls.find(&e);
        if (call == spec.calls.end()) return;
        for (const Expr* a : call->second.arguments)
          if (a && mentions_any(*a, views) && call_writes(call->second)) writes_any = true;
      };
      for (const auto& t : s.targets) each_expr(*t, visit);
      if (s.value) each_expr(*s.value, visit);
    });
    busy_.erase(&spec);
    // Which parameter is written cannot be told apart once views mix them: all or none.
    std::set<size_t> out;
    if (writes_any)
      for (size_t i = 0; i < params.size(); ++i)
        if (is_array(spec, params[i].name)) out.insert(i);
    return done_[&spec] = out;
  }
  static bool mentions_any(const Expr& e, const std::set<std::string>& names) {
    std::set<std::string> found;
    names_in(e, found);
    for (const auto& n : found)
      if (names.count(n)) return true;
    return false;
  }
  std::map<const infer::Specialization*, std::set<size_t>> done_;
  std::set<const infer::Specialization*> busy_;
};

class LoopPlanner {
 public:
  LoopPlanner(const infer::Specialization& spec, const Stmt& loop) : spec_(spec), loop_(loop) {}

  ParallelLoop plan() {
    ParallelLoop out;
    collect_assigned(loop_.body);  // reason_to_run_serially reads it
    if ((out.serial_because = reason_to_run_serially())) return out;
    find_reductions(loop_.body);
    std::set<std::string> assigned_here{loop_.targets[0]->name};
    check_block(loop_.body, assigned_here, /*nested_loop=*/false);
    for (const auto& [name, op] : reductions_) out.reductions.push_back({name, op});
    for (const auto& name : assigned_)
      if (!reductions_.count(name)) out.privates.push_back(name);
    std::set<std::string> mentioned{loop_.targets[0]->name};
    names_in_block(loop_.body, mentioned);
    for (const auto& name : mentioned)
      if (spec_.variables.count(name)) out.used.push_back(name);
    for (const auto& [written, indices] : written_arrays_) {
      if (assigned_.count(written)) continue;  // private: each iteration's own
      for (const auto& other : out.used)
        if (other != written && is_array(spec_, other) && !assigned_.count(other))
          out.must_not_overlap.push_back({written, other});
    }
    return out;
  }

 private:
  // A list method called on a list each iteration makes for itself (`tmp = [...]`, then
  // tmp.append(v)): every assignment of the variable in the body is a new list, and the
  // planner refuses a read of it before this iteration assigns it, so no other iteration
  // sees that list.
  bool changes_own_list(const infer::CallTarget& target) const {
    const bool container = target.builtin.rfind("list.", 0) == 0 || target.builtin.rfind("dict.", 0) == 0 ||
                           target.builtin.rfind("set.", 0) == 0;
    if (!container || target.arguments.empty()) return false;
    return made_each_iteration(*target.arguments[0]);
  }

  // Whether every assignment of the variable in the body is a new list, dict or set.
  bool made_each_iteration(const Expr& container) const {
    if (container.kind != ExprKind::Name || !assigned_.count(container.name)) return false;
    bool fresh = true;
    each_stmt(loop_.body, [&](const Stmt& s) {
      for (const auto& t : s.targets) {
        std::set<std::string> names;
        collect_names_of_target(*t, names);
        if (!names.count(container.name)) continue;
        const auto k = s.value ? s.value->kind : ExprKind::NoneLit;
        const bool made_here = s.kind == StmtKind::Assign && t->kind == ExprKind::Name &&
                               (k == ExprKind::List || k == ExprKind::ListComp || k == ExprKind::Dict ||
                                k == ExprKind::DictComp || k == ExprKind::Set || k == ExprKind::SetComp);
        fresh = fresh && made_here;
      }
    });
    return fresh;
  }

  // A dict or set (or, for del, a list) that other iterations may see.
  bool is_shared_container(const Expr& e, bool lists_too) const {
    if (e.kind != ExprKind::Name) return false;
    auto it = spec_.variables.find(e.name);
    if (it == spec_.variables.end()) return false;
    const types::Kind k = it->second->kind;
    return (k == types::Kind::Dict || k == types::Kind::Set || (lists_too && k == types::Kind::List)) &&
           !made_each_iteration(e);
  }

  std::optional<frontend::Diagnostic> reason_to_run_serially() {
    std::optional<frontend::Diagnostic> why;
    auto serial = [&](frontend::Span span, std::string message, std::string hint) {
      if (!why) why = frontend::Diagnostic{ErrorCode::UnsupportedSyntax, span, std::move(message), std::move(hint)};
    };
    if (!loop_.orelse.empty())
      serial(loop_.span, "this prange loop has an else clause, so it runs serially.", "");
    each_stmt(loop_.body, [&](const Stmt& s) {
      if (s.kind == StmtKind::AugAssign && s.targets[0]->kind == ExprKind::Name &&
          (is_array(spec_, s.targets[0]->name) || is_list(spec_, s.targets[0]->name)))
        serial(s.span,
               "every iteration of this prange loop updates the " +
                   std::string(is_list(spec_, s.targets[0]->name) ? "list '" : "array '") + s.targets[0]->name +
                   "' in place, so the loop runs serially.",
               "Accumulate into an element (acc[i] += ...) or a number, or use range().");
      for (const auto& t : s.targets)
        if (t->kind == ExprKind::Subscript ? is_shared_container(*t->operands[0], s.kind == StmtKind::Delete)
                                           : s.kind == StmtKind::AugAssign && is_shared_container(*t, false))
          serial(s.span,
                 "every iteration of this prange loop changes the dict or set '" +
                     (t->kind == ExprKind::Subscript ? t->operands[0]->name : t->name) + "', so the loop runs serially.",
                 "Fill an array by index (out[i] = ...) and build the dict after the loop, or use range().");
      auto visit = [&](const Expr& e) {
        auto call = spec_.calls.find(&e);
        if (call != spec_.calls.end() && writes_.call_writes(call->second) && !changes_own_list(call->second))
          serial(e.span,
                 "this call may write into an array or a list it is given, which the prange planner cannot check, "
                 "so the loop runs serially.",
                 "Write the elements in the loop body (out[i] = f(...)), or use range().");
      };
      for (const auto& t : s.targets) each_expr(*t, visit);
      if (s.value) each_expr(*s.value, visit);
    });
    return why;
  }

 public:

 private:
  void collect_assigned(const Block& block) {
    for (const auto& s : block) {
      for (const auto& t : s->targets) collect_target(*t);
      collect_assigned(s->body);
      collect_assigned(s->orelse);
    }
  }
  void collect_target(const Expr& t) {
    if (t.kind == ExprKind::Name) assigned_.insert(t.name);
    if (t.kind == ExprKind::Tuple)
      for (const auto& e : t.operands) collect_target(*e);
    // d[k] = v is no element write: a shared dict makes the loop serial instead.
    if (t.kind == ExprKind::Subscript && t.operands[0]->kind == ExprKind::Name && !is_dict(spec_, t.operands[0]->name))
      written_arrays_[t.operands[0]->name].insert(index_text(t));
  }

  // A variable is a reduction when every statement assigning it is the same reduction.
  void find_reductions(const Block& block) {
    std::map<std::string, std::vector<ReductionOp>> forms;
    std::set<std::string> other_assignments;
    scan_reductions(block, forms, other_assignments);
    for (const auto& [name, ops] : forms) {
      if (other_assignments.count(name) || name == loop_.targets[0]->name) continue;
      bool same = true;
      for (ReductionOp op : ops) same = same && op == ops[0];
      if (same) reductions_[name] = ops[0];
    }
  }
  void scan_reductions(const Block& block, std::map<std::string, std::vector<ReductionOp>>& forms,
                       std::set<std::string>& other) {
    for (const auto& s : block) {
      std::string name;
      ReductionOp op;
      if ((s->kind == StmtKind::AugAssign || s->kind == StmtKind::Assign) && reduction_form(spec_, *s, name, op)) {
        forms[name].push_back(op);
      } else {
        std::set<std::string> names;
        for (const auto& t : s->targets) {
          std::set<std::string> targets;
          collect_names_of_target(*t, targets);
          other.insert(targets.begin(), targets.end());
        }
      }
      scan_reductions(s->body, forms, other);
      scan_reductions(s->orelse, forms, other);
    }
  }
  static void collect_names_of_target(const Expr& t, std::set<std::string>& out) {
    if (t.kind == ExprKind::Name) out.insert(t.name);
    if (t.kind == ExprKind::Tuple)
      for (const auto& e : t.operands) collect_names_of_target(*e, out);
  }

  void check_reads(const Expr& e, const std::set<std::string>& assigned_here) {
    if (e.kind == ExprKind::Name) {
      if (reductions_.count(e.name))
        fail(ErrorCode::TypeMismatch, e.span,
             "'" + e.name + "' is a reduction variable of this prange loop, so its value is not "
             "known inside the loop.",
             std::string(kWhyParallel) + " Read it after the loop.");
      if (assigned_.count(e.name) && !assigned_here.count(e.name))
        fail(ErrorCode::TypeMismatch, e.span,
             "'" + e.name + "' is read before this iteration assigns it, so it carries a value "
             "from one iteration to the next.",
             std::string(kWhyParallel) + " Assign it at the top of the loop body, or use range().");
    }
    if (e.kind == ExprKind::Subscript && e.operands[0]->kind == ExprKind::Name) {
      auto it = written_arrays_.find(e.operands[0]->name);
      if (it != written_arrays_.end() && (it->second.size() != 1 || !it->second.count(index_text(e))))
        fail(ErrorCode::TypeMismatch, e.span,
             "this reads an element of '" + e.operands[0]->name + "' that another iteration may write.",
             std::string(kWhyParallel) + " Read and write the same element x[i], or use range().");
    }
    for (const auto& operand : e.operands)
      if (operand) check_reads(*operand, assigned_here);
    for (const auto& kw : e.keywords) check_reads(*kw.value, assigned_here);
  }

  void check_write(const Expr& target, std::set<std::string>& assigned_here) {
    if (target.kind == ExprKind::Name) {
      assigned_here.insert(target.name);
      return;
    }
    if (target.kind == ExprKind::Tuple) {
      for (const auto& e : target.operands) check_write(*e, assigned_here);
      return;
    }
    if (target.kind == ExprKind::Subscript && target.operands[0]->kind == ExprKind::Name &&
        is_dict(spec_, target.operands[0]->name)) {
      // d[k] = v: serial unless the dict is the iteration's own (reason_to_run_serially).
      for (size_t i = 1; i < target.operands.size(); ++i) check_reads(*target.operands[i], assigned_here);
      return;
    }
    if (target.kind == ExprKind::Subscript) {
      // A write must land on an element only this iteration touches: one of its
      // indices is the prange variable itself.
      bool own_element = false;
      for (size_t i = 1; i < target.operands.size(); ++i) {
        const Expr& index = *target.operands[i];
        own_element = own_element || (index.kind == ExprKind::Name && index.name == loop_.targets[0]->name);
        check_reads(index, assigned_here);
      }
      if (!own_element)
        fail(ErrorCode::TypeMismatch, target.span,
             "this writes an element of '" + text_of(*target.operands[0]) +
                 "' at an index that is not the prange variable '" + loop_.targets[0]->name +
                 "', so two iterations may write the same element.",
             std::string(kWhyParallel) + " Index the written array with '" + loop_.targets[0]->name +
                 "', accumulate in a reduction variable, or use range().");
    }
  }

  void check_block(const Block& block, std::set<std::string>& assigned_here, bool nested_loop) {
    for (const auto& s : block) check_stmt(*s, assigned_here, nested_loop);
  }

  void check_stmt(const Stmt& s, std::set<std::string>& assigned_here, bool nested_loop) {
    std::string name;
    ReductionOp op;
    switch (s.kind) {
      case StmtKind::Assign:
        if (reduction_form(spec_, s, name, op) && reductions_.count(name)) {
          // `s = min(s, e)`: only e is read.
          const auto& args = spec_.calls.at(s.value.get()).arguments;
          for (const Expr* a : args)
            if (!(a->kind == ExprKind::Name && a->name == name)) check_reads(*a, assigned_here);
          return;
        }
        check_reads(*s.value, assigned_here);
        for (const auto& t : s.targets) check_write(*t, assigned_here);
        return;
      case StmtKind::AugAssign:
        if (reduction_form(spec_, s, name, op) && reductions_.count(name)) {
          check_reads(*s.value, assigned_here);
          return;
        }
        check_reads(*s.value, assigned_here);
        if (s.targets[0]->kind == ExprKind::Subscript) {
          check_reads(*s.targets[0], assigned_here);
        } else {
          check_reads(*s.targets[0], assigned_here);
        }
        check_write(*s.targets[0], assigned_here);
        return;
      case StmtKind::ExprStmt:
        check_reads(*s.value, assigned_here);
        return;
      case StmtKind::If: {
        check_reads(*s.value, assigned_here);
        std::set<std::string> then_set = assigned_here, else_set = assigned_here;
        check_block(s.body, then_set, nested_loop);
        check_block(s.orelse, else_set, nested_loop);
        for (const auto& n : then_set)
          if (else_set.count(n)) assigned_here.insert(n);
        return;
      }
      case StmtKind::While:
      case StmtKind::For: {
        check_reads(*s.value, assigned_here);
        std::set<std::string> inner = assigned_here;
        if (s.kind == StmtKind::For) check_write(*s.targets[0], inner);
        check_block(s.body, inner, true);
        std::set<std::string> after_else = assigned_here;
        check_block(s.orelse, after_else, nested_loop);
        return;
      }
      case StmtKind::Return:
        fail(ErrorCode::UnsupportedSyntax, s.span, "return inside a prange loop.",
             std::string(kWhyParallel) + " Store the result and return after the loop.");
      case StmtKind::Break:
        if (!nested_loop)
          fail(ErrorCode::UnsupportedSyntax, s.span, "break out of a prange loop.",
               std::string(kWhyParallel) + " Use range() for a loop that stops early.");
        return;
      case StmtKind::Raise:
      case StmtKind::Assert:
        if (s.value) check_reads(*s.value, assigned_here);
        if (s.message) check_reads(*s.message, assigned_here);
        return;
      case StmtKind::Try:
        fail(ErrorCode::UnsupportedSyntax, s.span, "try statements inside a prange loop are not supported.",
             "Put the try statement around the loop, or move the body into a function.");
      case StmtKind::Delete:  // of a container the loop body owns (reason_to_run_serially)
      case StmtKind::Continue:
      case StmtKind::Pass:
        return;
    }
  }

  const infer::Specialization& spec_;
  const Stmt& loop_;
  ArgumentWrites writes_;
  std::set<std::string> assigned_;
  std::map<std::string, std::set<std::string>> written_arrays_;  // array → index spellings
  std::map<std::string, ReductionOp> reductions_;
};

void plan_block(const infer::Specialization& spec, const Block& block, bool inside_parallel,
                std::unordered_map<const Stmt*, ParallelLoop>& plans) {
  for (const auto& s : block) {
    bool parallel_here = false;
    if (s->kind == StmtKind::For && !inside_parallel && is_prange(spec, *s->value)) {
      plans[s.get()] = LoopPlanner(spec, *s).plan();
      parallel_here = true;
    }
    // A prange inside a parallel loop runs serially in its thread.
    plan_block(spec, s->body, inside_parallel || parallel_here, plans);
    plan_block(spec, s->orelse, inside_parallel, plans);
    for (const auto& handler : s->handlers) plan_block(spec, handler.body, inside_parallel, plans);
    plan_block(spec, s->finalbody, inside_parallel, plans);
  }
}

}  // namespace

ParallelPlans plan_parallel_loops(const infer::Inference& inference) {
  ParallelPlans plans;
  for (const auto& spec : inference.specializations()) {
    if (!spec->source->options.parallel) continue;
    try {
      plan_block(*spec, spec->source->def.body, false, plans[spec.get()]);
    } catch (frontend::CompileFailure& failure) {
      failure.locate(spec->function_index);
      throw;
    }
  }
  return plans;
}

std::vector<frontend::Diagnostic> serial_loop_warnings(const ParallelPlans& plans) {
  std::vector<frontend::Diagnostic> out;
  for (const auto& [spec, loops] : plans)
    for (const auto& [stmt, loop] : loops)
      if (loop.serial_because) {
        out.push_back(*loop.serial_because);
        out.back().function_index = spec->function_index;
      }
  return out;
}

}  // namespace accel::passes
