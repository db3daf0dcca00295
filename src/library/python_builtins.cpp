// Python's builtins on numbers, tuples and arrays: range, len, abs, min, max, int, float,
// bool, round (and accel.prange, which is range to everything but the parallel planner).

#include <llvm/IR/Intrinsics.h>

#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "infer/function_typer.h"
#include "infer/operator_rules.h"
#include "library/families.h"
#include "library/float_functions.h"
#include "types/promotion.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::ElementLowering;
using frontend::ErrorCode;
using frontend::Expr;
using frontend::fail;
using frontend::Operator;
using infer::CallTyping;
using infer::Constant;

// --- range(stop), range(start, stop[, step]); the for loop reads the arguments itself.
Type type_range(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 1, 3);
  for (size_t i = 0; i < args->size(); ++i)
    if (!types::is_scalar((*args)[i]) || types::is_float((*args)[i]->kind))
      fail(ErrorCode::TypeMismatch, call.argument_span(i),
           "'" + types::name((*args)[i]) + "' object cannot be interpreted as an integer.");
  return call.result(types::range());
}

llvm::Value* lower_range(CallLowering& call) { return call.emitter().no_value(); }

// --- len(array) is its first dimension; len(tuple) a constant.
Type type_len(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 1, 1);
  Type t = (*args)[0];
  if (t->kind == Kind::Tuple) return call.constant(Constant{Kind::PyInt, static_cast<int64_t>(t->elements.size()), 0});
  if (t->kind == Kind::List || t->kind == Kind::Dict || t->kind == Kind::Set) return call.result(types::scalar(Kind::PyInt));
  if (t->kind != Kind::Array || t->ndim == 0)
    fail(ErrorCode::TypeMismatch, call.argument_span(0), "len() of a " + types::name(t) + " is not defined.");
  return call.result(types::scalar(Kind::PyInt));
}

llvm::Value* lower_len(CallLowering& call) {
  if (call.argument_type(0)->kind == Kind::List) return call.emitter().list_size(call.argument(0));
  if (call.argument_type(0)->kind == Kind::Dict || call.argument_type(0)->kind == Kind::Set)
    return call.emitter().dict_size(call.argument(0));
  return call.emitter().dimension(call.argument(0), 0);
}

// --- abs(x): of a number, or elementwise of an array (fused like NumPy's absolute).
Type type_abs(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 1, 1);
  Type t = (*args)[0];
  // abs of a complex number is its magnitude: a float of the parts' type.
  auto magnitude = [](Kind k) {
    return k == Kind::PyComplex ? Kind::PyFloat : types::is_complex(k) ? types::complex_part(k) : k;
  };
  if (t->kind == Kind::Array)
    return call.result(infer::lift(types::scalar(magnitude(t->dtype)), t, nullptr));
  call.require_scalar(0, t);
  return call.result(types::scalar(t->kind == Kind::PyBool ? Kind::PyInt : magnitude(t->kind)));
}

llvm::Value* absolute(codegen::FunctionEmitter& e, llvm::Value* v, Type from, Kind result) {
  if (types::is_complex(from->kind)) return e.complex_abs(v, from->kind);
  return math_value(e, "absolute", {v}, {from}, true, result);
}

llvm::Value* lower_abs(CallLowering& call) {
  return absolute(call.emitter(), call.argument(0), call.argument_type(0), call.result_type()->kind);
}

llvm::Value* abs_element(ElementLowering& call) {
  return absolute(call.emitter(), call.values()[0], call.types()[0], call.result_type()->kind);
}

// --- min/max of numbers, of one tuple, or of one 1-d array (Python's iteration order).
enum class Over { Arguments, Tuple, Array, Iterable };

Type type_min_max(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  const std::string name = call.display();
  if (args->empty()) call.require_count(0, 1, 1);
  std::vector<Type> candidates = *args;
  Over over = Over::Arguments;
  if (args->size() == 1) {
    Type only = (*args)[0];
    if (only->kind == Kind::Array && only->ndim == 1) {
      call.facts(Over::Array);
      return call.result(types::element(only));
    }
    if (types::is_loop_only(only) || only->kind == Kind::List || only->kind == Kind::Dict || only->kind == Kind::Set) {
      // a range, a list, a dict's keys, a set, enumerate/zip/reversed, a generator
      Type item = infer::item_type(only, call.argument_span(0));
      if (!types::is_scalar(item))
        fail(ErrorCode::TypeMismatch, call.argument_span(0), name + "() compares numbers, not " + types::name(item) + ".");
      call.facts(Over::Iterable);
      return call.result(item);
    }
    if (only->kind != Kind::Tuple || only->elements.empty())
      fail(ErrorCode::TypeMismatch, call.argument_span(0),
           name + "() of one argument takes a 1-d array or a tuple, not a " + types::name(only) + ".");
    candidates = only->elements;
    over = Over::Tuple;
  }
  Type result = nullptr;
  for (Type c : candidates) {
    if (!types::is_scalar(c))
      fail(ErrorCode::TypeMismatch, call.span(), name + "() compares numbers, not " + types::name(c) + ".");
    result = result ? types::unify(result, c) : c;
  }
  call.facts(over);
  return call.result(result);
}

llvm::Value* lower_min_max(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  const bool is_min = call.name() == "builtins.min";
  const Operator better_than = is_min ? Operator::Lt : Operator::Gt;
  Type result = call.result_type();
  std::vector<std::pair<llvm::Value*, Type>> values;
  switch (call.facts<Over>()) {
    case Over::Array: {
      // Python iterates and keeps an item only when it is strictly better.
      Type t = call.argument_type(0);
      llvm::Value* array = call.argument(0);
      llvm::Value* n = e.dimension(array, 0);
      e.raise_if(b.CreateICmpEQ(n, b.getInt64(0)), ACCEL_ERROR_VALUE,
                 is_min ? "min() arg is an empty sequence" : "max() arg is an empty sequence");
      auto* slot = b.CreateAlloca(e.module().llvm_type(result));
      b.CreateStore(e.view_at(array, t, {b.getInt64(0)}), slot);
      auto* before = b.GetInsertBlock();
      auto* loop = e.new_block("minmax.loop");
      auto* done = e.new_block("minmax.done");
      b.CreateCondBr(b.CreateICmpUGT(n, b.getInt64(1)), loop, done);
      b.SetInsertPoint(loop);
      auto* k = b.CreatePHI(b.getInt64Ty(), 2);
      k->addIncoming(b.getInt64(1), before);
      llvm::Value* item = e.view_at(array, t, {k});
      llvm::Value* best = b.CreateLoad(e.module().llvm_type(result), slot);
      b.CreateStore(b.CreateSelect(e.compare_values(better_than, item, result, best, result), item, best), slot);
      auto* next = b.CreateAdd(k, b.getInt64(1));
      k->addIncoming(next, b.GetInsertBlock());
      b.CreateCondBr(b.CreateICmpULT(next, n), loop, done);
      b.SetInsertPoint(done);
      return b.CreateLoad(e.module().llvm_type(result), slot);
    }
    case Over::Iterable: {
      // Python keeps the first item, then one only when it is strictly better.
      auto* slot = b.CreateAlloca(e.module().llvm_type(result));
      auto* seen = b.CreateAlloca(b.getInt1Ty());
      b.CreateStore(b.getFalse(), seen);
      e.for_each(*call.argument_expression(0), [&](llvm::Value* item, Type, llvm::BasicBlock*, llvm::BasicBlock*) {
        llvm::Value* best = b.CreateLoad(e.module().llvm_type(result), slot);
        llvm::Value* better = e.compare_values(better_than, item, result, best, result);
        b.CreateStore(b.CreateSelect(b.CreateOr(better, b.CreateNot(b.CreateLoad(b.getInt1Ty(), seen))), item, best), slot);
        b.CreateStore(b.getTrue(), seen);
      });
      e.raise_if(b.CreateNot(b.CreateLoad(b.getInt1Ty(), seen)), ACCEL_ERROR_VALUE,
                 is_min ? "min() arg is an empty sequence" : "max() arg is an empty sequence");
      return b.CreateLoad(e.module().llvm_type(result), slot);
    }
    case Over::Tuple: {
      Type t = call.argument_type(0);
      llvm::Value* tuple = call.argument(0);
      for (unsigned i = 0; i < t->elements.size(); ++i) values.push_back({b.CreateExtractValue(tuple, {i}), t->elements[i]});
      break;
    }
    case Over::Arguments:
      for (size_t i = 0; i < call.argument_count(); ++i) values.push_back({call.argument(i), call.argument_type(i)});
      break;
  }
  llvm::Value* best = e.cast(values[0].first, values[0].second, result);
  for (size_t i = 1; i < values.size(); ++i) {
    llvm::Value* item = e.cast(values[i].first, values[i].second, result);
    best = b.CreateSelect(e.compare_values(better_than, item, result, best, result), item, best);
  }
  return best;
}

// --- int(x), float(x), bool(x); with no argument, 0, 0.0, False.
Type type_conversion(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 0, 1);
  const std::string name = call.display();
  const auto sized = [](Type t) { return t->kind == Kind::List || t->kind == Kind::Dict || t->kind == Kind::Set; };
  if (name == "bool" && !args->empty() && sized((*args)[0])) return call.result(types::scalar(Kind::PyBool));  // not empty
  if (!args->empty()) call.require_scalar(0, (*args)[0]);
  const Kind kind = name == "int" ? Kind::PyInt : name == "float" ? Kind::PyFloat : Kind::PyBool;
  if (args->empty()) return call.constant(Constant{kind, 0, 0.0});
  return call.result(types::scalar(kind));
}

llvm::Value* lower_conversion(CallLowering& call) {
  if (call.name() == "builtins.int") return to_int(call.emitter(), call.argument(0), call.argument_type(0)->kind);
  if (call.name() == "builtins.bool") return call.emitter().truth(call.argument(0), call.argument_type(0));
  return call.emitter().cast(call.argument(0), call.argument_type(0), call.result_type());
}

// --- round(x) to an int, round(x, ndigits) to x's type.
Type type_round(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 1, 2);
  call.require_scalar(0, (*args)[0]);
  const Kind kind = (*args)[0]->kind;
  if (args->size() == 1) return call.result(types::scalar(Kind::PyInt));
  if (!types::is_integer((*args)[1]->kind) && (*args)[1]->kind != Kind::PyBool)
    fail(ErrorCode::TypeMismatch, call.argument_span(1), "round() takes an integer ndigits.");
  return call.result(types::scalar(kind == Kind::PyBool ? Kind::PyInt : kind));
}

llvm::Value* lower_round(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  llvm::Value* v = call.argument(0);
  const Kind kind = call.argument_type(0)->kind;
  if (call.argument_count() == 1) {
    if (!types::is_float(kind)) return e.cast_kind(v, kind, Kind::PyInt);
    // Python rounds halves to even.
    return to_int(e, b.CreateIntrinsic(llvm::Intrinsic::roundeven, {v->getType()}, {v}), kind);
  }
  if (!types::is_float(kind)) return e.cast_kind(v, kind, kind == Kind::PyBool ? Kind::PyInt : kind);
  // NumPy's algorithm (scale, round half to even, unscale); see docs/semantics.md.
  llvm::Value* digits = e.cast_kind(call.argument(1), call.argument_type(1)->kind, Kind::PyFloat);
  llvm::Value* wide = b.CreateFPExt(v, b.getDoubleTy());
  llvm::Value* scale = float_function(e, "pow", {llvm::ConstantFP::get(b.getDoubleTy(), 10.0), digits}, b.getDoubleTy());
  llvm::Value* scaled = b.CreateIntrinsic(llvm::Intrinsic::roundeven, {b.getDoubleTy()}, {b.CreateFMul(wide, scale)});
  return b.CreateFPCast(b.CreateFDiv(scaled, scale), v->getType());
}

// --- enumerate(iterable, start=0), zip(*iterables), reversed(sequence): only for loops and
// reductions iterate over them (codegen/codegen_iteration.cpp reads the arguments).
Type iterable_argument(CallTyping& call, const Expr* e) {
  Type t = call.type_of(*e);
  if (!t) return nullptr;
  if (t->kind == Kind::Iterator && t->name == "generator")
    fail(ErrorCode::UnsupportedSyntax, e->span, call.display() + "() of a generator expression is not supported in compiled code.",
         "Iterate over the generator's iterable instead.");
  infer::item_type(t, e->span);  // a CompileError for what cannot be iterated over
  return t;
}

Type type_enumerate(CallTyping& call) {
  auto args = call.bind({"iterable", "start"}, 1);
  Type iterable = iterable_argument(call, args[0]);
  if (!iterable) return nullptr;
  if (args[1]) {
    Type start = call.type_of(*args[1]);
    if (!start) return nullptr;
    if (!types::is_integer(start->kind) && !types::is_bool(start->kind))
      fail(ErrorCode::TypeMismatch, args[1]->span,
           "'" + types::name(start) + "' object cannot be interpreted as an integer.");
  }
  return call.result(types::iterator("enumerate", {iterable}));
}

Type type_zip(CallTyping& call) {
  if (!call.expression().keywords.empty())
    fail(ErrorCode::BadCall, call.expression().keywords[0].span, "zip() takes no keyword arguments in compiled code.");
  std::vector<Type> iterables;
  for (size_t i = 1; i < call.expression().operands.size(); ++i) {
    Type t = iterable_argument(call, call.expression().operands[i].get());
    if (!t) return nullptr;
    iterables.push_back(t);
  }
  call.positional();  // the iterables are the call's arguments
  return call.result(types::iterator("zip", std::move(iterables)));
}

Type type_reversed(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 1, 1);
  Type t = (*args)[0];
  if (t->kind != Kind::Range && t->kind != Kind::Tuple && t->kind != Kind::List && !(t->kind == Kind::Array && t->ndim > 0))
    fail(ErrorCode::TypeMismatch, call.argument_span(0), "'" + types::name(t) + "' object is not reversible.",
         "reversed() takes a range, an array, a tuple or a list.");
  return call.result(types::iterator("reversed", {t}));
}

llvm::Value* lower_iterator(CallLowering& call) { return call.emitter().no_value(); }

// --- sum(iterable, start=0), any(iterable), all(iterable) over anything a for loop takes.
Type type_sum(CallTyping& call) {
  auto args = call.bind({"iterable", "start"}, 1);
  Type iterable = call.type_of(*args[0]);
  Type start = args[1] ? call.type_of(*args[1]) : types::scalar(Kind::PyInt);
  if (!iterable || !start) return nullptr;
  Type item = infer::item_type(iterable, args[0]->span);
  if (!types::is_scalar(item) || !types::is_scalar(start))
    fail(ErrorCode::TypeMismatch, call.span(), "sum() in compiled code adds numbers, not a " +
                                                   types::name(types::is_scalar(item) ? start : item) + ".");
  // The accumulator's one type: what start + item + item ... promotes to.
  Type total = infer::binary_result(Operator::Add, start, item);
  total = infer::binary_result(Operator::Add, total, item);
  return call.result(total);
}

llvm::Value* lower_sum(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type total = call.result_type();
  llvm::Value* start = call.argument_expression(1) ? e.cast(call.argument(1), call.argument_type(1), total)
                                                   : e.cast(b.getInt64(0), types::scalar(Kind::PyInt), total);
  auto* slot = b.CreateAlloca(e.module().llvm_type(total));
  b.CreateStore(start, slot);
  e.for_each(*call.argument_expression(0), [&](llvm::Value* item, Type item_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    llvm::Value* sum = e.binary(Operator::Add, b.CreateLoad(e.module().llvm_type(total), slot), total, item, item_type);
    b.CreateStore(e.cast(sum, infer::binary_result(Operator::Add, total, item_type), total), slot);
  });
  return b.CreateLoad(e.module().llvm_type(total), slot);
}

Type type_any_all(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 1, 1);
  Type item = infer::item_type((*args)[0], call.argument_span(0));
  if (!types::is_scalar(item) && item->kind != Kind::None)
    fail(ErrorCode::TypeMismatch, call.argument_span(0),
         call.display() + "() in compiled code tests numbers, not a " + types::name(item) + ".");
  return call.result(types::scalar(Kind::PyBool));
}

llvm::Value* lower_any_all(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  const bool is_any = call.name() == "builtins.any";
  auto* slot = b.CreateAlloca(b.getInt1Ty());
  b.CreateStore(b.getInt1(!is_any), slot);
  e.for_each(*call.argument_expression(0), [&](llvm::Value* item, Type item_type, llvm::BasicBlock* next,
                                               llvm::BasicBlock* stop) {
    // any() stops at the first true item, all() at the first false one.
    llvm::Value* decides = e.truth(item, item_type);
    if (!is_any) decides = b.CreateNot(decides);
    auto* decided = e.new_block("decided");
    b.CreateCondBr(decides, decided, next);
    b.SetInsertPoint(decided);
    b.CreateStore(b.getInt1(is_any), slot);
    b.CreateBr(stop);
  });
  return b.CreateLoad(b.getInt1Ty(), slot);
}

// --- print(*values, sep=" ", end="\n") and str(x): formatted by CPython (runtime/text.h).
struct PrintFacts {
  std::vector<const Expr*> values;
  const Expr* sep = nullptr;  // null: " "
  const Expr* end = nullptr;  // null: "\n"
};

Type type_print(CallTyping& call) {
  const Expr& e = call.expression();
  PrintFacts facts;
  bool known = true;
  for (size_t i = 1; i < e.operands.size(); ++i) {
    Type t = call.type_of(*e.operands[i]);
    if (t) call.require_printable(*e.operands[i], t);
    known = known && t;
    facts.values.push_back(e.operands[i].get());
  }
  for (const auto& keyword : e.keywords) {
    if (keyword.name != "sep" && keyword.name != "end")
      fail(ErrorCode::BadCall, keyword.span,
           "print() takes sep= and end= in compiled code, not " + keyword.name + "=.",
           "Compiled code prints to sys.stdout.");
    Type t = call.type_of(*keyword.value);
    known = known && t;
    if (t && t->kind != Kind::Str)
      fail(ErrorCode::TypeMismatch, keyword.span, keyword.name + " must be a str, not " + types::name(t) + ".");
    (keyword.name == "sep" ? facts.sep : facts.end) = keyword.value.get();
  }
  if (!known) return nullptr;
  call.facts(std::move(facts));
  return call.result(types::none());
}

llvm::Value* lower_print(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  const auto& facts = call.facts<PrintFacts>();
  // Every value first: a call among them may print on its own.
  std::vector<llvm::Value*> values;
  for (const Expr* v : facts.values) values.push_back(e.expr(*v));
  llvm::Value* sep = facts.sep ? e.expr(*facts.sep) : e.string_constant(" ");
  llvm::Value* end = facts.end ? e.expr(*facts.end) : e.string_constant("\n");
  call.builder().CreateCall(e.module().runtime(codegen::RT::accel_rt_text_begin));
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) e.text_piece(sep, types::string(), "", 0);
    e.text_piece(values[i], e.type_of(*facts.values[i]), "", 's');  // print() takes str() of each
  }
  e.text_piece(end, types::string(), "", 0);
  e.text_print();
  return e.no_value();
}

Type type_str(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 0, 1);
  if (!args->empty()) call.require_printable(*call.expression().operands[1], (*args)[0]);
  return call.result(types::string());
}

llvm::Value* lower_str(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  if (call.argument_count() == 0) return e.string_constant("");
  llvm::Value* value = call.argument(0);
  call.builder().CreateCall(e.module().runtime(codegen::RT::accel_rt_text_begin));
  e.text_piece(value, call.argument_type(0), "", 's');
  return e.text_finish();
}

const infer::Builtin kPythonBuiltins[] = {
    {"builtins.range", type_range, lower_range},
    {"accel.prange", type_range, lower_range},
    {"builtins.len", type_len, lower_len},
    {"builtins.abs", type_abs, lower_abs, abs_element},
    {"builtins.min", type_min_max, lower_min_max},
    {"builtins.max", type_min_max, lower_min_max},
    {"builtins.int", type_conversion, lower_conversion},
    {"builtins.float", type_conversion, lower_conversion},
    {"builtins.bool", type_conversion, lower_conversion},
    {"builtins.round", type_round, lower_round},
    {"builtins.print", type_print, lower_print},
    {"builtins.enumerate", type_enumerate, lower_iterator},
    {"builtins.zip", type_zip, lower_iterator},
    {"builtins.reversed", type_reversed, lower_iterator},
    {"builtins.sum", type_sum, lower_sum},
    {"builtins.any", type_any_all, lower_any_all},
    {"builtins.all", type_any_all, lower_any_all},
    {"builtins.str", type_str, lower_str},
};

}  // namespace

std::span<const infer::Builtin> python_builtins() { return kPythonBuiltins; }

}  // namespace accel::library
