#include "frontend/lower_syntax.h"

#include <atomic>
#include <map>
#include <string_view>

#include "frontend/diagnostic.h"

namespace accel::frontend {
namespace {

const char* const kArrayHint =
    "Compiled code works on numbers, tuples and NumPy arrays: pass an array instead, "
    "or create one with np.empty/np.zeros.";

struct UnsupportedConstruct {
  std::string_view kind;
  std::string_view what;
  std::string_view hint;
};

// What users most often try, with what to write instead.
const UnsupportedConstruct kUnsupported[] = {
    {"Lambda", "lambda", "Define a module-level function; compiled code can call it."},
    {"Starred", "starred expressions", "Unpack into named variables instead."},
    {"NamedExpr", "the walrus operator :=", "Assign on a line of its own."},
    {"Await", "await", ""},
    {"Yield", "yield", "Return an array or a tuple instead."},
    {"YieldFrom", "yield from", "Return an array or a tuple instead."},
    {"With", "with statements", ""},
    {"TryStar", "except* clauses", "Use plain except clauses."},
    {"Import", "import inside a compiled function", "Import at module level."},
    {"ImportFrom", "import inside a compiled function", "Import at module level."},
    {"Global", "global declarations", "Compiled code reads module constants but cannot assign them."},
    {"Nonlocal", "nonlocal declarations", ""},
    {"FunctionDef", "nested function definitions", "Define the function at module level."},
    {"AsyncFunctionDef", "async functions", ""},
    {"ClassDef", "class definitions", ""},
    {"Match", "match statements", "Use if/elif/else."},
};

[[noreturn]] void unsupported(const SyntaxNode& node) {
  for (const auto& entry : kUnsupported)
    if (entry.kind == node.kind)
      fail(ErrorCode::UnsupportedSyntax, node.span,
           std::string(entry.what) + " are not supported in compiled code.",
           std::string(entry.hint));
  fail(ErrorCode::UnsupportedSyntax, node.span,
       "'" + node.kind + "' is not supported in compiled code.",
       "See docs/jit.md for the supported subset of Python.");
}

const std::map<std::string_view, Operator>& operator_table() {
  static const std::map<std::string_view, Operator> table = {
      {"Add", Operator::Add},       {"Sub", Operator::Sub},         {"Mult", Operator::Mult},
      {"Div", Operator::Div},       {"FloorDiv", Operator::FloorDiv}, {"Mod", Operator::Mod},
      {"Pow", Operator::Pow},       {"LShift", Operator::LShift},   {"RShift", Operator::RShift},
      {"BitAnd", Operator::BitAnd}, {"BitOr", Operator::BitOr},     {"BitXor", Operator::BitXor},
      {"UAdd", Operator::UAdd},     {"USub", Operator::USub},       {"Not", Operator::Not},
      {"Invert", Operator::Invert}, {"And", Operator::And},         {"Or", Operator::Or},
      {"Eq", Operator::Eq},         {"NotEq", Operator::NotEq},     {"Lt", Operator::Lt},
      {"LtE", Operator::LtE},       {"Gt", Operator::Gt},           {"GtE", Operator::GtE},
      {"MatMult", Operator::MatMult},
      {"In", Operator::In},         {"NotIn", Operator::NotIn},
  };
  return table;
}

Operator lower_operator(const SyntaxNode* node, Span where) {
  if (node) {
    auto it = operator_table().find(node->kind);
    if (it != operator_table().end()) return it->second;
  }
  const std::string name = node ? node->kind : "?";
  fail(ErrorCode::UnsupportedSyntax, where,
       "the operator '" + name + "' is not supported in compiled code.");
}

const SyntaxNode& required(const SyntaxNode* node, const SyntaxNode& parent) {
  if (!node) fail(ErrorCode::UnsupportedSyntax, parent.span, "incomplete syntax tree.");
  return *node;
}

ExprPtr make(ExprKind kind, Span span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

ExprPtr lower_expr(const SyntaxNode& node);

ExprPtr lower_optional(const SyntaxNode* node) { return node ? lower_expr(*node) : nullptr; }

ExprPtr lower_constant(const SyntaxNode& node) {
  const SyntaxValue* value = node.field("value");
  if (!value) unsupported(node);
  switch (value->kind) {
    case SyntaxValue::Kind::Bool: {
      auto e = make(ExprKind::BoolLit, node.span);
      e->bool_value = value->bool_value;
      return e;
    }
    case SyntaxValue::Kind::Int: {
      auto e = make(ExprKind::IntLit, node.span);
      e->int_value = value->int_value;
      return e;
    }
    case SyntaxValue::Kind::Float: {
      auto e = make(ExprKind::FloatLit, node.span);
      e->float_value = value->float_value;
      return e;
    }
    case SyntaxValue::Kind::None:
      return make(ExprKind::NoneLit, node.span);
    case SyntaxValue::Kind::BigInt:
      fail(ErrorCode::UnsupportedSyntax, node.span,
           "the integer " + value->text + " does not fit in 64 bits.",
           "Compiled integers are int64; use a float for larger magnitudes.");
    case SyntaxValue::Kind::String: {
      auto e = make(ExprKind::StrLit, node.span);
      e->name = value->text;
      return e;
    }
    case SyntaxValue::Kind::Complex: {
      auto e = make(ExprKind::ImagLit, node.span);
      e->float_value = value->imag_value;
      return e;
    }
    case SyntaxValue::Kind::Other:
      if (value->text == "ellipsis") return make(ExprKind::EllipsisLit, node.span);
      [[fallthrough]];
    default:
      fail(ErrorCode::UnsupportedSyntax, node.span,
           "constants of type '" + value->text + "' are not supported in compiled code.",
           "Use int, float or bool constants.");
  }
}

void lower_list(const std::vector<SyntaxValue>& values, std::vector<ExprPtr>& out) {
  for (const SyntaxValue& v : values)
    if (v.kind == SyntaxValue::Kind::Node) out.push_back(lower_expr(*v.node));
}

void rename(Expr& e, const std::map<std::string, std::string>& names) {
  if (e.kind == ExprKind::Name) {
    auto it = names.find(e.name);
    if (it != names.end()) e.name = it->second;
  }
  for (auto& operand : e.operands)
    if (operand) rename(*operand, names);
  for (auto& keyword : e.keywords) rename(*keyword.value, names);
  for (auto& g : e.generators) {
    rename(*g.target, names);
    rename(*g.iter, names);
    for (auto& test : g.ifs) rename(*test, names);
  }
}

void target_names(const Expr& target, std::map<std::string, std::string>& names, int generator) {
  if (target.kind == ExprKind::Name) names[target.name] = target.name + ".gen" + std::to_string(generator);
  if (target.kind == ExprKind::Tuple)
    for (const auto& e : target.operands) target_names(*e, names, generator);
  if (target.kind != ExprKind::Name && target.kind != ExprKind::Tuple)
    fail(ErrorCode::UnsupportedSyntax, target.span, "a generator's targets must be names or tuples of names.");
}

// A generator expression or a comprehension: `elements` names the fields computed per
// turn ("elt"; "key" and "value" for a dict comprehension).
ExprPtr lower_generator(const SyntaxNode& node, ExprKind kind, std::initializer_list<const char*> elements) {
  static std::atomic<int> generators{0};
  const int id = ++generators;
  auto e = make(kind, node.span);
  for (const char* field : elements) e->operands.push_back(lower_expr(required(node.child(field), node)));
  std::map<std::string, std::string> names;
  for (const SyntaxValue& v : node.list("generators")) {
    if (!v.node) continue;
    const SyntaxValue* async = v.node->field("is_async");
    if (async && async->kind == SyntaxValue::Kind::Int && async->int_value)
      fail(ErrorCode::UnsupportedSyntax, v.node->span, "async comprehensions are not supported in compiled code.");
    Comprehension c;
    c.target = lower_expr(required(v.node->child("target"), *v.node));
    c.iter = lower_expr(required(v.node->child("iter"), *v.node));
    lower_list(v.node->list("ifs"), c.ifs);
    target_names(*c.target, names, id);
    e->generators.push_back(std::move(c));
  }
  // The first iterable is evaluated in the function's scope; all else sees the targets.
  for (auto& element : e->operands) rename(*element, names);
  for (size_t i = 0; i < e->generators.size(); ++i) {
    auto& g = e->generators[i];
    rename(*g.target, names);
    if (i > 0) rename(*g.iter, names);
    for (auto& test : g.ifs) rename(*test, names);
  }
  return e;
}

ExprPtr lower_expr(const SyntaxNode& node) {
  const std::string& k = node.kind;
  // Comprehensions have a generator's loops and scope.
  if (k == "GeneratorExp") return lower_generator(node, ExprKind::Generator, {"elt"});
  if (k == "ListComp") return lower_generator(node, ExprKind::ListComp, {"elt"});
  if (k == "SetComp") return lower_generator(node, ExprKind::SetComp, {"elt"});
  if (k == "DictComp") return lower_generator(node, ExprKind::DictComp, {"key", "value"});
  if (k == "Set") {
    auto e = make(ExprKind::Set, node.span);
    lower_list(node.list("elts"), e->operands);
    return e;
  }
  if (k == "Dict") {
    auto e = make(ExprKind::Dict, node.span);
    const auto& keys = node.list("keys");
    const auto& values = node.list("values");
    for (size_t i = 0; i < keys.size() && i < values.size(); ++i) {
      if (!keys[i].node)
        fail(ErrorCode::UnsupportedSyntax, values[i].node ? values[i].node->span : node.span,
             "**-unpacking in a dict display is not supported in compiled code.",
             "Copy the dict (d.copy()) and update() it with the other.");
      e->operands.push_back(lower_expr(*keys[i].node));
      e->operands.push_back(lower_expr(required(values[i].node.get(), node)));
    }
    return e;
  }
  if (k == "Constant") return lower_constant(node);
  if (k == "Name") {
    auto e = make(ExprKind::Name, node.span);
    e->name = node.text("id");
    return e;
  }
  if (k == "Attribute") {
    auto e = make(ExprKind::Attribute, node.span);
    e->name = node.text("attr");
    e->operands.push_back(lower_expr(required(node.child("value"), node)));
    return e;
  }
  if (k == "BinOp") {
    auto e = make(ExprKind::BinOp, node.span);
    e->op = lower_operator(node.child("op"), node.span);
    e->operands.push_back(lower_expr(required(node.child("left"), node)));
    e->operands.push_back(lower_expr(required(node.child("right"), node)));
    return e;
  }
  if (k == "UnaryOp") {
    auto e = make(ExprKind::UnaryOp, node.span);
    e->op = lower_operator(node.child("op"), node.span);
    e->operands.push_back(lower_expr(required(node.child("operand"), node)));
    return e;
  }
  if (k == "BoolOp") {
    auto e = make(ExprKind::BoolOp, node.span);
    e->op = lower_operator(node.child("op"), node.span);
    lower_list(node.list("values"), e->operands);
    return e;
  }
  if (k == "Compare") {
    auto e = make(ExprKind::Compare, node.span);
    e->operands.push_back(lower_expr(required(node.child("left"), node)));
    for (const SyntaxValue& op : node.list("ops")) {
      const SyntaxNode* op_node = op.node.get();
      if (op_node && (op_node->kind == "Is" || op_node->kind == "IsNot"))
        fail(ErrorCode::UnsupportedSyntax, node.span,
             "the comparison '" + op_node->kind + "' is not supported in compiled code.",
             "Compare numbers with == != < <= > >=.");
      e->compare_ops.push_back(lower_operator(op_node, node.span));
    }
    lower_list(node.list("comparators"), e->operands);
    return e;
  }
  if (k == "IfExp") {
    auto e = make(ExprKind::IfExp, node.span);
    e->operands.push_back(lower_expr(required(node.child("test"), node)));
    e->operands.push_back(lower_expr(required(node.child("body"), node)));
    e->operands.push_back(lower_expr(required(node.child("orelse"), node)));
    return e;
  }
  if (k == "Call") {
    auto e = make(ExprKind::Call, node.span);
    e->operands.push_back(lower_expr(required(node.child("func"), node)));
    for (const SyntaxValue& arg : node.list("args")) {
      if (arg.node && arg.node->kind == "Starred") unsupported(*arg.node);
      if (arg.node) e->operands.push_back(lower_expr(*arg.node));
    }
    for (const SyntaxValue& kw : node.list("keywords")) {
      if (!kw.node) continue;
      const SyntaxValue* arg = kw.node->field("arg");
      if (!arg || arg->kind != SyntaxValue::Kind::String)
        fail(ErrorCode::UnsupportedSyntax, kw.node->span,
             "**kwargs in calls is not supported in compiled code.",
             "Pass the arguments by name.");
      e->keywords.push_back(
          Keyword{arg->text, lower_expr(required(kw.node->child("value"), *kw.node)), kw.node->span});
    }
    return e;
  }
  if (k == "Subscript") {
    auto e = make(ExprKind::Subscript, node.span);
    e->operands.push_back(lower_expr(required(node.child("value"), node)));
    const SyntaxNode& index = required(node.child("slice"), node);
    if (index.kind == "Tuple")
      lower_list(index.list("elts"), e->operands);
    else
      e->operands.push_back(lower_expr(index));
    return e;
  }
  if (k == "Slice") {
    auto e = make(ExprKind::Slice, node.span);
    e->operands.push_back(lower_optional(node.child("lower")));
    e->operands.push_back(lower_optional(node.child("upper")));
    e->operands.push_back(lower_optional(node.child("step")));
    return e;
  }
  if (k == "JoinedStr") {
    auto e = make(ExprKind::FormattedString, node.span);
    lower_list(node.list("values"), e->operands);
    return e;
  }
  if (k == "FormattedValue") {
    auto e = make(ExprKind::FormattedValue, node.span);
    e->operands.push_back(lower_expr(required(node.child("value"), node)));
    const SyntaxValue* conversion = node.field("conversion");
    e->int_value = conversion && conversion->kind == SyntaxValue::Kind::Int && conversion->int_value > 0
                       ? conversion->int_value : 0;
    if (const SyntaxNode* spec = node.child("format_spec")) {
      // The spec is an f-string itself; compiled code takes constant ones.
      for (const SyntaxValue& part : spec->list("values")) {
        const SyntaxValue* text = part.node ? part.node->field("value") : nullptr;
        if (!part.node || part.node->kind != "Constant" || !text || text->kind != SyntaxValue::Kind::String)
          fail(ErrorCode::UnsupportedSyntax, spec->span,
               "a format spec with replacement fields ({x:{width}}) is not supported in compiled code.",
               "Write the width and precision as constants: {x:8.3f}.");
        e->name += text->text;
      }
    }
    return e;
  }
  if (k == "Tuple" || k == "List") {
    auto e = make(k == "Tuple" ? ExprKind::Tuple : ExprKind::List, node.span);
    lower_list(node.list("elts"), e->operands);
    return e;
  }
  unsupported(node);
}

Block lower_block(const std::vector<SyntaxValue>& statements);

StmtPtr make_stmt(StmtKind kind, Span span) {
  auto s = std::make_unique<Stmt>();
  s->kind = kind;
  s->span = span;
  return s;
}

void check_target(const Expr& target) {
  if (target.kind == ExprKind::Name || target.kind == ExprKind::Subscript) return;
  if (target.kind == ExprKind::Tuple) {
    for (const auto& element : target.operands) check_target(*element);
    return;
  }
  fail(ErrorCode::UnsupportedSyntax, target.span,
       "only names, tuples of names and array elements can be assigned to in compiled code.");
}

StmtPtr lower_stmt(const SyntaxNode& node) {
  const std::string& k = node.kind;
  if (k == "Assign") {
    auto s = make_stmt(StmtKind::Assign, node.span);
    lower_list(node.list("targets"), s->targets);
    for (const auto& target : s->targets) check_target(*target);
    s->value = lower_expr(required(node.child("value"), node));
    return s;
  }
  if (k == "AnnAssign") {
    // The annotation is documentation only; types are inferred from the value.
    if (!node.child("value")) return make_stmt(StmtKind::Pass, node.span);
    auto s = make_stmt(StmtKind::Assign, node.span);
    s->targets.push_back(lower_expr(required(node.child("target"), node)));
    check_target(*s->targets.back());
    s->value = lower_expr(*node.child("value"));
    return s;
  }
  if (k == "AugAssign") {
    auto s = make_stmt(StmtKind::AugAssign, node.span);
    s->targets.push_back(lower_expr(required(node.child("target"), node)));
    if (s->targets[0]->kind == ExprKind::Tuple) check_target(*s->targets[0]);
    s->op = lower_operator(node.child("op"), node.span);
    s->value = lower_expr(required(node.child("value"), node));
    return s;
  }
  if (k == "Expr") {
    const SyntaxNode& value = required(node.child("value"), node);
    // A bare string is a docstring or a comment: nothing to run.
    if (value.kind == "Constant" && value.field("value") &&
        value.field("value")->kind == SyntaxValue::Kind::String)
      return make_stmt(StmtKind::Pass, node.span);
    auto s = make_stmt(StmtKind::ExprStmt, node.span);
    s->value = lower_expr(value);
    return s;
  }
  if (k == "If" || k == "While") {
    auto s = make_stmt(k == "If" ? StmtKind::If : StmtKind::While, node.span);
    s->value = lower_expr(required(node.child("test"), node));
    s->body = lower_block(node.list("body"));
    s->orelse = lower_block(node.list("orelse"));
    return s;
  }
  if (k == "For") {
    auto s = make_stmt(StmtKind::For, node.span);
    s->targets.push_back(lower_expr(required(node.child("target"), node)));
    check_target(*s->targets[0]);
    s->value = lower_expr(required(node.child("iter"), node));
    s->body = lower_block(node.list("body"));
    s->orelse = lower_block(node.list("orelse"));
    return s;
  }
  if (k == "Return") {
    auto s = make_stmt(StmtKind::Return, node.span);
    s->value = lower_optional(node.child("value"));
    return s;
  }
  if (k == "Raise") {
    auto s = make_stmt(StmtKind::Raise, node.span);
    s->value = lower_optional(node.child("exc"));
    if (const SyntaxNode* cause = node.child("cause"))
      fail(ErrorCode::UnsupportedSyntax, cause->span, "raise ... from ... is not supported in compiled code.",
           "Raise the exception without `from`.");
    return s;
  }
  if (k == "Delete") {
    auto s = make_stmt(StmtKind::Delete, node.span);
    lower_list(node.list("targets"), s->targets);
    for (const auto& target : s->targets)
      if (target->kind != ExprKind::Subscript)
        fail(ErrorCode::UnsupportedSyntax, target->span,
             "del is supported in compiled code for items (del d[key], del l[i]), not for names.",
             "Let the variable go out of use instead.");
    return s;
  }
  if (k == "Assert") {
    auto s = make_stmt(StmtKind::Assert, node.span);
    s->value = lower_expr(required(node.child("test"), node));
    s->message = lower_optional(node.child("msg"));
    return s;
  }
  if (k == "Try") {
    auto s = make_stmt(StmtKind::Try, node.span);
    s->body = lower_block(node.list("body"));
    for (const SyntaxValue& h : node.list("handlers")) {
      if (!h.node) continue;
      ExceptHandler handler;
      handler.span = h.node->span;
      handler.name = h.node->text("name");
      if (const SyntaxNode* type = h.node->child("type")) {
        if (type->kind == "Tuple")
          lower_list(type->list("elts"), handler.classes);
        else
          handler.classes.push_back(lower_expr(*type));
      }
      handler.body = lower_block(h.node->list("body"));
      s->handlers.push_back(std::move(handler));
    }
    s->orelse = lower_block(node.list("orelse"));
    s->finalbody = lower_block(node.list("finalbody"));
    return s;
  }
  if (k == "Break") return make_stmt(StmtKind::Break, node.span);
  if (k == "Continue") return make_stmt(StmtKind::Continue, node.span);
  if (k == "Pass") return make_stmt(StmtKind::Pass, node.span);
  unsupported(node);
}

Block lower_block(const std::vector<SyntaxValue>& statements) {
  Block block;
  for (const SyntaxValue& v : statements)
    if (v.kind == SyntaxValue::Kind::Node) block.push_back(lower_stmt(*v.node));
  return block;
}

void check_arguments(const SyntaxNode& args) {
  const char* kinds[] = {"posonlyargs", "kwonlyargs"};
  for (const char* kind : kinds)
    if (!args.list(kind).empty())
      fail(ErrorCode::UnsupportedSyntax, args.list(kind)[0].node->span,
           std::string(kind) == "posonlyargs" ? "positional-only parameters are not supported."
                                              : "keyword-only parameters are not supported.",
           "Use plain parameters.");
  for (const char* kind : {"vararg", "kwarg"})
    if (const SyntaxNode* star = args.child(kind))
      fail(ErrorCode::UnsupportedSyntax, star->span,
           "*args and **kwargs parameters are not supported in compiled code.",
           "Name each parameter.");
}

}  // namespace

FunctionDef lower_function(const SyntaxNode& tree) {
  const SyntaxNode* def = &tree;
  if (tree.kind == "Module") {
    const auto& body = tree.list("body");
    def = body.empty() ? nullptr : body[0].node.get();
  }
  if (!def || def->kind != "FunctionDef") {
    if (def && def->kind == "AsyncFunctionDef") unsupported(*def);
    fail(ErrorCode::UnsupportedSyntax, tree.span, "expected a function definition.");
  }
  FunctionDef fn;
  fn.name = def->text("name");
  fn.span = def->span;
  const SyntaxNode& args = required(def->child("args"), *def);
  check_arguments(args);
  for (const SyntaxValue& arg : args.list("args"))
    if (arg.node) fn.params.push_back(Parameter{arg.node->text("arg"), arg.node->span});
  fn.body = lower_block(def->list("body"));
  return fn;
}

const char* spelling(Operator op) {
  switch (op) {
    case Operator::Add: return "+";
    case Operator::Sub: return "-";
    case Operator::Mult: return "*";
    case Operator::Div: return "/";
    case Operator::FloorDiv: return "//";
    case Operator::Mod: return "%";
    case Operator::Pow: return "**";
    case Operator::LShift: return "<<";
    case Operator::RShift: return ">>";
    case Operator::BitAnd: return "&";
    case Operator::BitOr: return "|";
    case Operator::BitXor: return "^";
    case Operator::UAdd: return "+";
    case Operator::USub: return "-";
    case Operator::Not: return "not";
    case Operator::Invert: return "~";
    case Operator::And: return "and";
    case Operator::Or: return "or";
    case Operator::Eq: return "==";
    case Operator::NotEq: return "!=";
    case Operator::Lt: return "<";
    case Operator::LtE: return "<=";
    case Operator::Gt: return ">";
    case Operator::GtE: return ">=";
    case Operator::MatMult: return "@";
    case Operator::In: return "in";
    case Operator::NotIn: return "not in";
  }
  return "?";
}

}  // namespace accel::frontend
