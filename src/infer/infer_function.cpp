#include "frontend/diagnostic.h"
#include "infer/function_typer.h"
#include "types/promotion.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using frontend::StmtKind;
using types::Kind;

namespace {

// Deeper than any real program; it stops tuple-growing recursion from specializing forever.
constexpr size_t kMaxSpecializations = 1000;

void collect_locals(const Block& block, std::set<std::string>& names) {
  for (const auto& s : block) {
    for (const auto& target : s->targets) collect_names(*target, names);
    collect_locals(s->body, names);
    collect_locals(s->orelse, names);
    for (const auto& handler : s->handlers) {
      if (!handler.name.empty()) names.insert(handler.name);
      collect_locals(handler.body, names);
    }
    collect_locals(s->finalbody, names);
  }
}

// A return, or a break or continue leaving the block (not one of a loop inside it).
const Stmt* find_jump(const Block& block, bool in_loop) {
  for (const auto& s : block) {
    if (s->kind == StmtKind::Return) return s.get();
    if (!in_loop && (s->kind == StmtKind::Break || s->kind == StmtKind::Continue)) return s.get();
    const bool loop = s->kind == StmtKind::For || s->kind == StmtKind::While;
    if (const Stmt* j = find_jump(s->body, in_loop || loop)) return j;
    if (const Stmt* j = find_jump(s->orelse, in_loop)) return j;
    for (const auto& handler : s->handlers)
      if (const Stmt* j = find_jump(handler.body, in_loop)) return j;
    if (const Stmt* j = find_jump(s->finalbody, in_loop)) return j;
  }
  return nullptr;
}

bool is_constant_true(const Expr& e) {
  return (e.kind == ExprKind::BoolLit && e.bool_value) ||
         (e.kind == ExprKind::IntLit && e.int_value != 0);
}

bool contains_break(const Block& block) {
  for (const auto& s : block) {
    if (s->kind == StmtKind::Break) return true;
    // A break inside a nested loop's body leaves that loop; one in its else-clause
    // (or in an if) leaves this one.
    if (s->kind == StmtKind::If && (contains_break(s->body) || contains_break(s->orelse)))
      return true;
    if ((s->kind == StmtKind::For || s->kind == StmtKind::While) && contains_break(s->orelse))
      return true;
    if (s->kind == StmtKind::Try) {
      if (contains_break(s->body) || contains_break(s->orelse) || contains_break(s->finalbody)) return true;
      for (const auto& handler : s->handlers)
        if (contains_break(handler.body)) return true;
    }
  }
  return false;
}

}  // namespace

void collect_names(const Expr& target, std::set<std::string>& names) {
  if (target.kind == ExprKind::Name) names.insert(target.name);
  if (target.kind == ExprKind::Tuple)
    for (const auto& element : target.operands) collect_names(*element, names);
}

std::set<std::string> assigned_names(const Block& block) {
  std::set<std::string> names;
  collect_locals(block, names);
  return names;
}

std::set<std::string> local_names(const frontend::FunctionDef& def) {
  std::set<std::string> names;
  for (const auto& p : def.params) names.insert(p.name);
  collect_locals(def.body, names);
  return names;
}

bool can_fall_through(const Block& block) {
  for (const auto& s : block) {
    switch (s->kind) {
      case StmtKind::Return:
      case StmtKind::Raise:
        return false;
      case StmtKind::Try: {
        if (!can_fall_through(s->finalbody)) return false;
        bool through = can_fall_through(s->body) && can_fall_through(s->orelse);
        for (const auto& handler : s->handlers) through = through || can_fall_through(handler.body);
        if (!through) return false;
        break;
      }
      case StmtKind::If:
        if (!can_fall_through(s->body) && !can_fall_through(s->orelse)) return false;
        break;
      case StmtKind::While:
        if (is_constant_true(*s->value) && !contains_break(s->body)) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

Type Specialization::type_of(const Expr& e) const {
  auto it = expr_types.find(&e);
  return it == expr_types.end() ? nullptr : it->second;
}

FunctionTyper::FunctionTyper(Inference& inference, Specialization& spec, bool strict)
    : inference_(inference),
      spec_(spec),
      source_(*spec.source),
      strict_(strict),
      locals_(local_names(spec.source->def)) {}

bool FunctionTyper::run() {
  const auto& params = source_.def.params;
  for (size_t i = 0; i < params.size(); ++i) assign_variable(params[i].name, spec_.arg_types[i], params[i].span);
  block(source_.def.body);
  // A function that only ever raises returns nothing.
  if (can_fall_through(source_.def.body) || !find_jump(source_.def.body, true)) {
    spec_.falls_off_end = true;
    returns(types::none(), source_.def.span);
  }
  return changed_;
}

void FunctionTyper::block(const Block& b) {
  for (const auto& s : b) stmt(*s);
}

void FunctionTyper::stmt(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::Assign: {
      if (s.targets.size() == 1 && advanced_store(*s.targets[0], *s.value)) return;
      Type value = expr(*s.value);
      for (const auto& target : s.targets) assign(*target, value, s.span);
      return;
    }
    case StmtKind::AugAssign: {
      const Expr& target = *s.targets[0];
      if (target.kind == ExprKind::Subscript && indexes_by_array(target))
        fail(ErrorCode::UnsupportedSyntax, s.span,
             std::string("x[index] ") + frontend::spelling(s.op) + "= v with an array as the index is not supported in compiled code.",
             std::string("Write x[index] = x[index] ") + frontend::spelling(s.op) + " v, which is what NumPy does.");
      // s |= {1} and l += [1.0] on a set or list still empty: what it holds comes from v.
      Type current = target.kind == ExprKind::Name ? container_variable(target) : expr(target);
      Type value = expr(*s.value);
      if (!current || !value) return;
      if (s.op == frontend::Operator::MatMult)
        fail(ErrorCode::UnsupportedSyntax, s.span, "@= is not supported in compiled code.", "Write x = x @ y.");
      // `x op= v` is `x = x op v` for numbers; for array elements the result is cast back.
      Type result = binary(*s.value, s.op, current, value);
      if (current->kind == Kind::Array) {
        // Arrays are updated in place, as NumPy's __iadd__ does: the result must fit the
        // array's dtype under NumPy's same_kind rule.
        if (!types::can_cast_same_kind(result->dtype, current->dtype))
          fail(ErrorCode::TypeMismatch, s.span,
               std::string("Cannot cast ufunc '") + frontend::spelling(s.op) + "' output from dtype('" +
                   types::name(result->dtype) + "') to dtype('" + types::name(current->dtype) +
                   "') with casting rule 'same_kind'");
        if (value->kind == Kind::Array && value->ndim > current->ndim)
          fail(ErrorCode::TypeMismatch, s.span, "the right side has more dimensions than the array it updates.");
        return;
      }
      assign(target, result, s.span);
      return;
    }
    case StmtKind::ExprStmt:
      expr(*s.value);
      return;
    case StmtKind::If:
    case StmtKind::While:
      require_truth_value(*s.value, expr(*s.value));
      block(s.body);
      block(s.orelse);
      return;
    case StmtKind::For:
      iterate(s);
      return;
    case StmtKind::Return:
      returns(s.value ? expr(*s.value) : types::none(), s.span);
      return;
    case StmtKind::Raise:
      raise(s);
      return;
    case StmtKind::Assert:
      require_truth_value(*s.value, expr(*s.value));
      if (s.message) message(*s.message);
      return;
    case StmtKind::Try:
      try_stmt(s);
      return;
    case StmtKind::Delete:
      delete_stmt(s);
      return;
    case StmtKind::Break:
    case StmtKind::Continue:
    case StmtKind::Pass:
      return;
  }
}

void FunctionTyper::raise(const Stmt& s) {
  if (!s.value) {
    if (handler_depth_ == 0)
      fail(ErrorCode::UnsupportedSyntax, s.span, "a bare raise outside an except clause.",
           "Raise an exception class, or re-raise inside `except`.");
    return;
  }
  const Expr& e = *s.value;
  Type t = expr(e);
  if (t && (t->kind == Kind::ExceptionClass || t->kind == Kind::Exception)) return;
  fail(ErrorCode::TypeMismatch, e.span, "exceptions must derive from BaseException.",
       "Raise an exception class, or a call of one with one message: raise ValueError(\"...\").");
}

void FunctionTyper::message(const Expr& e) {
  Type t = expr(e);
  if (!t || t->kind == Kind::Str) return;
  fail(ErrorCode::TypeMismatch, e.span, "an exception's message must be a str, not a " + types::name(t) + ".",
       "Format the value into a message: f\"{x}\" or str(x).");
}

void FunctionTyper::try_stmt(const Stmt& s) {
  if (!s.finalbody.empty()) {
    const Stmt* jump = find_jump(s.body, false);
    if (!jump) jump = find_jump(s.orelse, false);
    for (const auto& handler : s.handlers)
      if (!jump) jump = find_jump(handler.body, false);
    if (!jump) jump = find_jump(s.finalbody, false);
    if (jump)
      fail(ErrorCode::UnsupportedSyntax, jump->span,
           std::string(jump->kind == StmtKind::Return ? "return" : jump->kind == StmtKind::Break ? "break" : "continue") +
               " inside a try statement with a finally clause is not supported in compiled code.",
           "Store the result in a variable and return after the try statement.");
  }
  block(s.body);
  for (const auto& handler : s.handlers) {
    for (const auto& cls : handler.classes) {
      Type t = expr(*cls);
      if (t && t->kind != Kind::ExceptionClass)
        fail(ErrorCode::TypeMismatch, cls->span,
             "catching classes that do not inherit from BaseException is not allowed.",
             "Name exception classes here: except ValueError:, except (KeyError, IndexError):.");
    }
    if (!handler.name.empty()) assign_variable(handler.name, types::exception(), handler.span);
    ++handler_depth_;
    block(handler.body);
    --handler_depth_;
  }
  block(s.orelse);
  block(s.finalbody);
}

Type item_type(Type iterable, Span where) {
  switch (iterable->kind) {
    case Kind::Range: return types::scalar(Kind::PyInt);
    case Kind::Array:
      if (iterable->ndim == 0)
        fail(ErrorCode::TypeMismatch, where, "iteration over a 0-d array.",
             "A 0-d array holds one value: index it with a[()] in Python before the call.");
      return types::row_of(iterable);
    case Kind::Tuple: {
      // One type per variable (docs/semantics.md #2): the elements' common type.
      if (iterable->elements.empty()) return types::none();
      Type item = iterable->elements[0];
      for (Type e : iterable->elements) {
        Type merged = types::unify(item, e);
        if (!merged)
          fail(ErrorCode::TypeMismatch, where,
               "a loop over a tuple of a " + types::name(item) + " and a " + types::name(e) +
                   " would give its variable two types.",
               "Iterate over tuples whose elements are all numbers, or all arrays of one kind.");
        item = merged;
      }
      return item;
    }
    case Kind::List:
      if (!types::list_item(iterable))
        fail(ErrorCode::TypeMismatch, where, "what this list holds is never known: it is empty and nothing is appended to it.",
             "Append to it in this function, or start it with a value: [0.0].");
      return types::list_item(iterable);
    case Kind::Dict:
    case Kind::Set:
      if (iterable->elements.empty())
        fail(ErrorCode::TypeMismatch, where,
             std::string("what this ") + std::string(types::name(iterable->kind)) + " holds is never known: it is empty and nothing is stored into it.",
             "Store into it in this function, or start it with a value.");
      return iterable->elements[0];
    case Kind::Iterator: {
      if (iterable->name == "generator") return iterable->elements[0];
      // d.keys(), d.values(), d.items() of the dict in elements[0]
      if (iterable->name == "dict_keys") return types::dict_key(iterable->elements[0]);
      if (iterable->name == "dict_values") return types::dict_value(iterable->elements[0]);
      if (iterable->name == "dict_items")
        return types::tuple({types::dict_key(iterable->elements[0]), types::dict_value(iterable->elements[0])});
      if (iterable->name == "reversed") return item_type(iterable->elements[0], where);
      if (iterable->name == "enumerate")
        return types::tuple({types::scalar(Kind::PyInt), item_type(iterable->elements[0], where)});
      std::vector<Type> items;  // zip
      for (Type e : iterable->elements) items.push_back(item_type(e, where));
      return types::tuple(std::move(items));
    }
    default:
      fail(ErrorCode::TypeMismatch, where,
           "compiled code iterates over ranges, arrays, tuples, lists, enumerate, zip and reversed, not " +
               types::name(iterable) + ".",
           "Write `for i in range(len(x)):` to walk other sequences by index.");
  }
}

void FunctionTyper::iterate(const Stmt& loop) {
  Type iterable = expr(*loop.value);
  if (iterable) assign(*loop.targets[0], item_type(iterable, loop.value->span), loop.span);
  block(loop.body);
  block(loop.orelse);
}

void FunctionTyper::assign(const Expr& target, Type value, Span where) {
  if (!value) return;
  if (types::is_compile_time(value) || types::is_loop_only(value))
    fail(ErrorCode::TypeMismatch, where,
         "a " + shown(value) + " cannot be stored in a variable in compiled code.",
         "Call it or use it directly where it is needed.");
  switch (target.kind) {
    case ExprKind::Name:
      assign_variable(target.name, value, target.span);
      record(target, spec_.variables[target.name]);
      return;
    case ExprKind::Tuple: {
      if (value->kind != Kind::Tuple || value->elements.size() != target.operands.size()) {
        const std::string what = value->kind == Kind::Tuple
                                     ? "a tuple of " + std::to_string(value->elements.size())
                                     : "a " + types::name(value);
        fail(ErrorCode::TypeMismatch, target.span,
             "cannot unpack " + what + " into " + std::to_string(target.operands.size()) +
                 " targets.");
      }
      for (size_t i = 0; i < target.operands.size(); ++i)
        assign(*target.operands[i], value->elements[i], where);
      return;
    }
    case ExprKind::Subscript: {
      if (dict_store(target, value, where)) return;
      if (indexes_by_array(target))
        fail(ErrorCode::UnsupportedSyntax, target.span,
             "an array indexed by an array is assigned in a statement of its own in compiled code.",
             "Write x[mask] = v on its own line.");
      Type element = expr(target);
      if (!element) return;
      Type container = spec_.type_of(*target.operands[0]);
      if (container->kind == Kind::List) {
        if (target.operands[1]->kind == ExprKind::Slice)
          fail(ErrorCode::UnsupportedSyntax, target.span, "assignment to a slice of a list is not supported in compiled code.",
               "Assign the items one by one, or build a new list.");
        require_list_store(value, element, where);
        return;
      }
      if (container->kind != Kind::Array)
        fail(ErrorCode::TypeMismatch, target.span,
             "only array elements can be assigned; a " + types::name(container) +
                 " is immutable.");
      if (element->kind == Kind::Array) {
        // out[1:-1] = expr: the value is broadcast into the view.
        if (!(types::is_scalar(value) || (value->kind == Kind::Array && value->ndim <= element->ndim)))
          fail(ErrorCode::TypeMismatch, where,
               "cannot assign a " + types::name(value) + " to a slice of " + types::name(container) + ".");
        return;
      }
      if (!types::is_scalar(value))
        fail(ErrorCode::TypeMismatch, where,
             "cannot store a " + types::name(value) + " into an element of " +
                 types::name(container) + ".");
      return;
    }
    default:
      fail(ErrorCode::UnsupportedSyntax, target.span, "cannot assign to this expression.");
  }
}

void FunctionTyper::assign_variable(const std::string& name, Type value, Span where) {
  Type& slot = spec_.variables[name];
  if (!slot) {
    slot = value;
    changed_ = true;
    return;
  }
  Type merged = types::unify(slot, value);
  if (!merged)
    fail(ErrorCode::TypeMismatch, where,
         "variable '" + name + "' holds a " + types::name(slot) + " elsewhere and a " +
             types::name(value) + " here.",
         "A compiled variable keeps one type: use a second variable for the other value.");
  if (merged != slot) {
    slot = merged;
    changed_ = true;
  }
}

std::string FunctionTyper::shown(Type value) {
  if (value->kind != Kind::Function) return types::name(value);
  return "function " + inference_.program().function(std::stoi(value->name)).def.name;
}

void FunctionTyper::returns(Type value, Span where) {
  if (!value) return;
  if (types::is_compile_time(value) || types::is_loop_only(value) || value->kind == Kind::Exception)
    fail(ErrorCode::TypeMismatch, where, "a " + shown(value) + " cannot be returned.",
         value->kind == Kind::Exception ? "Raise it, or return a number that says what happened." : "");
  Type& slot = spec_.return_type;
  if (!slot) {
    slot = value;
    changed_ = true;
    return;
  }
  Type merged = types::unify(slot, value);
  if (!merged) {
    const bool implicit = value->kind == Kind::None && spec_.falls_off_end;
    fail(ErrorCode::TypeMismatch, where,
         "function '" + source_.def.name + "' returns a " + types::name(slot) +
             " on one path and " +
             (implicit ? std::string("None (by reaching its end) on another.")
                       : "a " + types::name(value) + " on another."),
         "Compiled functions return one type: make every path return the same kind of value.");
  }
  if (merged != slot) {
    slot = merged;
    changed_ = true;
  }
}

Specialization& Inference::request(int function_index, const std::vector<Type>& arg_types) {
  for (auto& spec : specs_) {
    if (spec->function_index != function_index || spec->arg_types != arg_types) continue;
    for (Specialization* active : in_progress_)
      if (active == spec.get()) {
        // A call back into a function still being inferred: every function on the
        // stack from there up is part of the cycle.
        bool inside = false;
        for (Specialization* s : in_progress_) {
          inside = inside || s == spec.get();
          if (inside) s->recursive = true;
        }
      }
    return *spec;
  }
  if (specs_.size() >= kMaxSpecializations)
    fail(ErrorCode::TypeMismatch, program_.function(function_index).def.span,
         "too many specializations: a recursive call changes its argument types every time.");
  const auto& source = program_.function(function_index);
  auto spec = std::make_unique<Specialization>();
  spec->function_index = function_index;
  spec->source = &source;
  spec->arg_types = arg_types;
  spec->symbol = source.def.name + "." + std::to_string(specs_.size());
  Specialization& result = *spec;
  specs_.push_back(std::move(spec));
  in_progress_.push_back(&result);
  ++depth_;
  // Local fixed point; variables only widen, so this ends.
  for (int i = 0; i < 64 && run_pass(result, false); ++i) {
  }
  --depth_;
  in_progress_.pop_back();
  return result;
}

bool Inference::run_pass(Specialization& spec, bool strict) {
  try {
    FunctionTyper typer(*this, spec, strict);
    return typer.run();
  } catch (frontend::CompileFailure& failure) {
    failure.locate(spec.function_index);
    throw;
  }
}

Specialization& Inference::specialize(int function_index, const std::vector<Type>& arg_types) {
  Specialization& top = request(function_index, arg_types);
  // Mutual recursion: a callee solved while its caller's return type was unknown is
  // solved again until no specialization changes.
  for (int round = 0; round < 64; ++round) {
    bool changed = false;
    for (size_t i = 0; i < specs_.size(); ++i) changed = run_pass(*specs_[i], false) || changed;
    if (!changed) break;
  }
  for (size_t i = 0; i < specs_.size(); ++i) run_pass(*specs_[i], true);
  return top;
}

}  // namespace accel::infer
