#include <llvm/IR/Intrinsics.h>

#include "codegen/function_emitter.h"
#include "codegen/number_cast.h"
#include "infer/operator_rules.h"
#include "types/promotion.h"

namespace accel::codegen {

using frontend::ExprKind;

llvm::Value* FunctionEmitter::int_constant(Kind kind, int64_t value) {
  return llvm::ConstantInt::get(module_.llvm_type(types::scalar(kind)), static_cast<uint64_t>(value),
                                types::is_signed(kind));
}

llvm::Value* FunctionEmitter::float_constant(Kind kind, double value) {
  return llvm::ConstantFP::get(module_.llvm_type(types::scalar(kind)), value);
}

llvm::Value* FunctionEmitter::constant(const infer::Constant& c) {
  if (types::is_float(c.kind)) return float_constant(c.kind, c.float_value);
  if (c.kind == Kind::PyBool) return builder_.getInt1(c.int_value != 0);
  return int_constant(c.kind, c.int_value);
}

llvm::Value* FunctionEmitter::expr(const Expr& e) {
  if (auto it = spec_.constants.find(&e); it != spec_.constants.end()) return constant(it->second);
  if (is_elementwise(e)) return materialize(e);
  switch (e.kind) {
    case ExprKind::IntLit: return int_constant(Kind::PyInt, e.int_value);
    case ExprKind::FloatLit: return float_constant(Kind::PyFloat, e.float_value);
    case ExprKind::ImagLit:
      return complex_value(Kind::PyComplex, float_constant(Kind::PyFloat, 0.0), float_constant(Kind::PyFloat, e.float_value));
    case ExprKind::BoolLit: return builder_.getInt1(e.bool_value);
    case ExprKind::NoneLit: return llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {});
    case ExprKind::Name: {
      auto it = variables_.find(e.name);
      if (it == variables_.end())  // a module, builtin or function: no runtime value
        return llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {});
      return builder_.CreateLoad(module_.llvm_type(spec_.variables.at(e.name)), it->second, e.name);
    }
    case ExprKind::Attribute: {
      Type base = type_of(*e.operands[0]);
      if (base->kind == Kind::Array && !types::is_compile_time(type_of(e)))  // x.dtype has no value
        return array_attribute(e, expr(*e.operands[0]), base);
      if (types::is_complex(base->kind))  // z.real, z.imag
        return builder_.CreateExtractValue(expr(*e.operands[0]), {e.name == "real" ? 0u : 1u});
      if (types::is_scalar(base)) {  // a real number is its own real part; its imag is 0
        llvm::Value* v = cast(expr(*e.operands[0]), base, type_of(e));
        return e.name == "real" ? v : llvm::Constant::getNullValue(v->getType());
      }
      return llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {});
    }
    case ExprKind::BinOp: {
      const Expr& l = *e.operands[0];
      const Expr& r = *e.operands[1];
      llvm::Value* lv = expr(l);
      llvm::Value* rv = expr(r);
      if (type_of(l)->kind == Kind::List || type_of(r)->kind == Kind::List)
        return list_binary(e.op, lv, type_of(l), rv, type_of(r), type_of(e));
      if (type_of(l)->kind == Kind::Set) return set_binary(e.op, lv, rv, type_of(e));
      if (e.op == Operator::MatMult)
        return dot(lv, type_of(l), rv, type_of(r), type_of(e),
                   "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                   "(n?,k),(k,m?)->(n?,m?)");
      return binary(e.op, lv, type_of(l), rv, type_of(r));
    }
    case ExprKind::UnaryOp: return unary(e);
    case ExprKind::BoolOp: return boolean(e);
    case ExprKind::Compare: return compare(e);
    case ExprKind::IfExp: return conditional(e);
    case ExprKind::Call: return call(e);
    case ExprKind::Subscript: return subscript(e);
    case ExprKind::Tuple: return tuple(e);
    case ExprKind::List: return list_display(e);
    case ExprKind::ListComp: return list_comprehension(e);
    case ExprKind::Dict: case ExprKind::Set: return dict_display(e);
    case ExprKind::DictComp: case ExprKind::SetComp: return container_comprehension(e);
    case ExprKind::StrLit: return string_constant(e.name);
    case ExprKind::FormattedString: return formatted_string(e);
    case ExprKind::Slice:
    case ExprKind::EllipsisLit:
    case ExprKind::FormattedValue:
    case ExprKind::Generator: break;  // only iterated (for_each), never a value
  }
  throw std::logic_error("accel: unexpected expression in codegen (a compiler bug)");
}

llvm::Value* FunctionEmitter::cast_kind(llvm::Value* v, Kind from, Kind to) {
  return cast_number(builder_, v, from, to, module_.llvm_type(types::scalar(to)));
}

llvm::Value* FunctionEmitter::checked_cast_kind(llvm::Value* v, Kind from, Kind to) {
  if (from == Kind::PyInt && types::is_integer(to) && to != Kind::Int64 && to != Kind::PyInt) {
    const int bits = types::bit_width(to);
    const bool is_signed = types::is_signed(to);
    llvm::Value* out_of_range;
    if (to == Kind::UInt64) {
      out_of_range = builder_.CreateICmpSLT(v, builder_.getInt64(0));
    } else {
      const int64_t low = is_signed ? -(int64_t{1} << (bits - 1)) : 0;
      const int64_t high = is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
      out_of_range = builder_.CreateOr(builder_.CreateICmpSLT(v, builder_.getInt64(static_cast<uint64_t>(low))),
                                       builder_.CreateICmpSGT(v, builder_.getInt64(static_cast<uint64_t>(high))));
    }
    auto* error = new_block("int_bounds.error");
    auto* ok = new_block("int_bounds.ok");
    builder_.CreateCondBr(out_of_range, error, ok);
    builder_.SetInsertPoint(error);
    builder_.CreateCall(module_.runtime(RT::accel_rt_int_bounds_error), {v, message_constant(types::name(to))});
    builder_.CreateBr(fail_block_);
    builder_.SetInsertPoint(ok);
  }
  return cast_kind(v, from, to);
}

llvm::Value* FunctionEmitter::cast(llvm::Value* v, Type from, Type to) {
  if (from == to) return v;
  if (types::is_scalar(from) && types::is_scalar(to)) return cast_kind(v, from->kind, to->kind);
  if (from->kind == Kind::Tuple && to->kind == Kind::Tuple) {
    llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(to));
    for (unsigned i = 0; i < from->elements.size(); ++i)
      out = builder_.CreateInsertValue(
          out, cast(builder_.CreateExtractValue(v, i), from->elements[i], to->elements[i]), i);
    return out;
  }
  return v;  // arrays differing in layout share one representation; `[]` is any list's
}

llvm::Value* FunctionEmitter::truth(llvm::Value* v, Type t) {
  if (t->kind == Kind::None) return builder_.getInt1(false);
  if (t->kind == Kind::List) return builder_.CreateICmpNE(list_size(v), builder_.getInt64(0));
  if (t->kind == Kind::Dict || t->kind == Kind::Set) return builder_.CreateICmpNE(dict_size(v), builder_.getInt64(0));
  return cast_kind(v, t->kind, Kind::PyBool);
}

llvm::Value* FunctionEmitter::binary(Operator op, llvm::Value* l, Type lt, llvm::Value* r, Type rt) {
  if (lt->kind == Kind::Tuple && rt->kind == Kind::Tuple) {  // concatenation
    Type result = infer::binary_result(op, lt, rt);
    llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(result));
    unsigned k = 0;
    for (auto [v, t] : {std::pair{l, lt}, std::pair{r, rt}})
      for (unsigned i = 0; i < t->elements.size(); ++i)
        out = builder_.CreateInsertValue(out, builder_.CreateExtractValue(v, {i}), {k++});
    return out;
  }
  const Kind kind = infer::operand_kind(op, lt, rt);
  Type result = infer::binary_result(op, lt, rt);
  l = cast_kind(l, lt->kind, kind);
  r = cast_kind(r, rt->kind, kind);
  if (types::is_complex(kind)) return complex_binary(op, l, r, kind);
  const bool is_float = types::is_float(kind);
  llvm::Value* out = nullptr;
  switch (op) {
    case Operator::Add: out = is_float ? builder_.CreateFAdd(l, r) : builder_.CreateAdd(l, r); break;
    case Operator::Sub: out = is_float ? builder_.CreateFSub(l, r) : builder_.CreateSub(l, r); break;
    case Operator::Mult: out = is_float ? builder_.CreateFMul(l, r) : builder_.CreateMul(l, r); break;
    case Operator::Div:
      out = divide(op, l, r, kind, !types::is_float(lt->kind) && !types::is_float(rt->kind));
      break;
    case Operator::FloorDiv:
    case Operator::Mod:
      out = is_float ? float_divmod(op, l, r, kind) : int_divmod(op, l, r, kind);
      break;
    case Operator::Pow: out = power(l, r, kind); break;
    case Operator::LShift:
    case Operator::RShift: out = shift(op, l, r, kind); break;
    case Operator::BitAnd: out = builder_.CreateAnd(l, r); break;
    case Operator::BitOr: out = builder_.CreateOr(l, r); break;
    case Operator::BitXor: out = builder_.CreateXor(l, r); break;
    default: throw std::logic_error("accel: not a binary operator (a compiler bug)");
  }
  return cast_kind(out, kind, result->kind);
}

llvm::Value* FunctionEmitter::divide(Operator, llvm::Value* l, llvm::Value* r, Kind,
                                     bool ints_in) {
  if (zero_division_gives_numpy_result()) return builder_.CreateFDiv(l, r);  // inf or nan, as NumPy
  raise_if(builder_.CreateFCmpOEQ(r, llvm::ConstantFP::get(r->getType(), 0.0)),
           ACCEL_ERROR_ZERO_DIVISION, ints_in ? "division by zero" : "float division by zero");
  return builder_.CreateFDiv(l, r);
}

llvm::Value* FunctionEmitter::int_divmod(Operator op, llvm::Value* l, llvm::Value* r, Kind kind) {
  const bool is_floor = op == Operator::FloorDiv;
  auto* zero_divisor = builder_.CreateICmpEQ(r, llvm::ConstantInt::get(r->getType(), 0));
  if (zero_division_gives_numpy_result()) {
    // NumPy gives 0 for integer division and modulo by zero; divide by 1 instead.
    llvm::Value* quotient_or_rest = int_divmod_nonzero(op, l, builder_.CreateSelect(zero_divisor, llvm::ConstantInt::get(r->getType(), 1), r), kind);
    return builder_.CreateSelect(zero_divisor, llvm::ConstantInt::get(r->getType(), 0), quotient_or_rest);
  }
  raise_if(zero_divisor, ACCEL_ERROR_ZERO_DIVISION,
           is_floor ? "integer division or modulo by zero" : "integer modulo by zero");
  return int_divmod_nonzero(op, l, r, kind);
}

llvm::Value* FunctionEmitter::int_divmod_nonzero(Operator op, llvm::Value* l, llvm::Value* r, Kind kind) {
  const bool is_floor = op == Operator::FloorDiv;
  if (!types::is_signed(kind)) return is_floor ? builder_.CreateUDiv(l, r) : builder_.CreateURem(l, r);
  // MIN // -1 traps on x86; it wraps to MIN like NumPy. Dividing by 1 instead and
  // negating gives the same wrapped result without the trap.
  auto* minus_one = llvm::ConstantInt::get(r->getType(), static_cast<uint64_t>(-1), true);
  auto* is_minus_one = builder_.CreateICmpEQ(r, minus_one);
  auto* safe_r = builder_.CreateSelect(is_minus_one, llvm::ConstantInt::get(r->getType(), 1), r);
  auto* q = builder_.CreateSDiv(l, safe_r);
  auto* rem = builder_.CreateSRem(l, safe_r);
  q = builder_.CreateSelect(is_minus_one, builder_.CreateNeg(l), q);
  rem = builder_.CreateSelect(is_minus_one, llvm::ConstantInt::get(r->getType(), 0), rem);
  // Python floors: when the remainder's sign differs from the divisor's, step down.
  auto* zero = llvm::ConstantInt::get(r->getType(), 0);
  auto* adjust = builder_.CreateAnd(builder_.CreateICmpNE(rem, zero),
                                    builder_.CreateICmpSLT(builder_.CreateXor(rem, r), zero));
  if (is_floor) return builder_.CreateSelect(adjust, builder_.CreateSub(q, llvm::ConstantInt::get(q->getType(), 1)), q);
  return builder_.CreateSelect(adjust, builder_.CreateAdd(rem, r), rem);
}

llvm::Value* FunctionEmitter::float_divmod(Operator op, llvm::Value* a, llvm::Value* b, Kind) {
  const bool is_floor = op == Operator::FloorDiv;
  llvm::Type* t = a->getType();
  auto* zero = llvm::ConstantFP::get(t, 0.0);
  if (zero_division_gives_numpy_result()) {
    // NumPy: x // 0 is x / 0 (inf or nan), x % 0 is fmod (nan).
    auto* by_zero = builder_.CreateFCmpOEQ(b, zero);
    llvm::Value* safe = builder_.CreateSelect(by_zero, llvm::ConstantFP::get(t, 1.0), b);
    llvm::Value* regular = float_divmod_nonzero(op, a, safe);
    llvm::Value* special = is_floor ? builder_.CreateFDiv(a, b) : builder_.CreateFRem(a, b);
    return builder_.CreateSelect(by_zero, special, regular);
  }
  raise_if(builder_.CreateFCmpOEQ(b, zero), ACCEL_ERROR_ZERO_DIVISION,
           is_floor ? "float floor division by zero" : "float modulo");
  return float_divmod_nonzero(op, a, b);
}

llvm::Value* FunctionEmitter::float_divmod_nonzero(Operator op, llvm::Value* a, llvm::Value* b) {
  const bool is_floor = op == Operator::FloorDiv;
  llvm::Type* t = a->getType();
  auto* zero = llvm::ConstantFP::get(t, 0.0);
  // CPython's float divmod (Objects/floatobject.c), step for step, so results match
  // bit for bit, signed zeros included.
  llvm::Value* mod = builder_.CreateFRem(a, b);
  auto* mod_nonzero = builder_.CreateFCmpUNE(mod, zero);
  auto* signs_differ = builder_.CreateXor(builder_.CreateFCmpOLT(b, zero), builder_.CreateFCmpOLT(mod, zero));
  auto* fix = builder_.CreateAnd(mod_nonzero, signs_differ);
  llvm::Value* fixed_mod = builder_.CreateSelect(fix, builder_.CreateFAdd(mod, b), mod);
  if (!is_floor) {
    auto* signed_zero = builder_.CreateIntrinsic(llvm::Intrinsic::copysign, {t}, {zero, b});
    return builder_.CreateSelect(mod_nonzero, fixed_mod, signed_zero);
  }
  llvm::Value* div = builder_.CreateFDiv(builder_.CreateFSub(a, mod), b);
  div = builder_.CreateSelect(fix, builder_.CreateFSub(div, llvm::ConstantFP::get(t, 1.0)), div);
  auto* floordiv = builder_.CreateIntrinsic(llvm::Intrinsic::floor, {t}, {div});
  auto* bump = builder_.CreateFCmpOGT(builder_.CreateFSub(div, floordiv), llvm::ConstantFP::get(t, 0.5));
  llvm::Value* rounded = builder_.CreateSelect(bump, builder_.CreateFAdd(floordiv, llvm::ConstantFP::get(t, 1.0)), floordiv);
  auto* zero_result = builder_.CreateIntrinsic(llvm::Intrinsic::copysign, {t}, {zero, builder_.CreateFDiv(a, b)});
  return builder_.CreateSelect(builder_.CreateFCmpUNE(div, zero), rounded, zero_result);
}

llvm::Value* FunctionEmitter::power(llvm::Value* base, llvm::Value* exponent, Kind kind) {
  llvm::Type* t = base->getType();
  if (types::is_float(kind)) {
    auto* zero = llvm::ConstantFP::get(t, 0.0);
    if (numpy_semantics_) {
      // NumPy's power takes shortcuts for some exponents (np.square for 2, np.sqrt for
      // 0.5, ...); their results can differ from pow() in the last bit, so take them too.
      auto is = [&](double v) { return builder_.CreateFCmpOEQ(exponent, llvm::ConstantFP::get(t, v)); };
      llvm::Value* out = builder_.CreateIntrinsic(llvm::Intrinsic::pow, {t}, {base, exponent});
      out = builder_.CreateSelect(is(1.0), base, out);
      out = builder_.CreateSelect(is(-1.0), builder_.CreateFDiv(llvm::ConstantFP::get(t, 1.0), base), out);
      out = builder_.CreateSelect(is(0.5), builder_.CreateIntrinsic(llvm::Intrinsic::sqrt, {t}, {base}), out);
      return builder_.CreateSelect(is(2.0), builder_.CreateFMul(base, base), out);
    }
    // error_model="numpy": pow's own result, inf (-inf for -0.0 to an odd power), as
    // NumPy and numba give.
    if (!numpy_errors_)
      raise_if(builder_.CreateAnd(builder_.CreateFCmpOEQ(base, zero), builder_.CreateFCmpOLT(exponent, zero)),
               ACCEL_ERROR_ZERO_DIVISION, "0.0 cannot be raised to a negative power");
    llvm::Value* result = builder_.CreateIntrinsic(llvm::Intrinsic::pow, {t}, {base, exponent});
    if (kind == Kind::PyFloat && !numpy_errors_) {
      // CPython: finite operands with an infinite result raise OverflowError(34, ...);
      // NumPy float64 scalars give inf.
      auto* inf = llvm::ConstantFP::getInfinity(t);
      auto finite = [&](llvm::Value* v) {
        return builder_.CreateFCmpOLT(builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {t}, {v}), inf);
      };
      llvm::Value* overflowed = builder_.CreateAnd(builder_.CreateAnd(finite(base), finite(exponent)),
                                                   builder_.CreateNot(finite(result)));
      // A NaN result of finite operands (a negative base, row 5 of semantics.md) is not this.
      overflowed = builder_.CreateAnd(overflowed, builder_.CreateFCmpOEQ(result, result));
      raise_if(overflowed, ACCEL_ERROR_RANGE, "");
    }
    return result;
  }
  if (types::is_signed(kind))
    raise_if(builder_.CreateICmpSLT(exponent, llvm::ConstantInt::get(t, 0)), ACCEL_ERROR_VALUE,
             "Integers to negative integer powers are not allowed.");
  // Square-and-multiply in a small loop; LLVM unrolls it for constant exponents.
  auto* before = builder_.GetInsertBlock();
  auto* loop = new_block("pow.loop");
  auto* done = new_block("pow.done");
  auto* one = llvm::ConstantInt::get(t, 1);
  auto* zero = llvm::ConstantInt::get(t, 0);
  builder_.CreateCondBr(builder_.CreateICmpEQ(exponent, zero), done, loop);
  builder_.SetInsertPoint(loop);
  auto* result = builder_.CreatePHI(t, 2);
  auto* b = builder_.CreatePHI(t, 2);
  auto* e = builder_.CreatePHI(t, 2);
  result->addIncoming(one, before);
  b->addIncoming(base, before);
  e->addIncoming(exponent, before);
  auto* odd = builder_.CreateICmpNE(builder_.CreateAnd(e, one), zero);
  auto* next_result = builder_.CreateSelect(odd, builder_.CreateMul(result, b), result);
  auto* next_e = builder_.CreateLShr(e, one);
  auto* next_b = builder_.CreateMul(b, b);
  result->addIncoming(next_result, loop);
  b->addIncoming(next_b, loop);
  e->addIncoming(next_e, loop);
  builder_.CreateCondBr(builder_.CreateICmpEQ(next_e, zero), done, loop);
  builder_.SetInsertPoint(done);
  auto* out = builder_.CreatePHI(t, 2);
  out->addIncoming(one, before);
  out->addIncoming(next_result, loop);
  return out;
}

llvm::Value* FunctionEmitter::shift(Operator op, llvm::Value* l, llvm::Value* r, Kind kind) {
  const bool is_signed = types::is_signed(kind);
  if (is_signed)
    raise_if(builder_.CreateICmpSLT(r, llvm::ConstantInt::get(r->getType(), 0)), ACCEL_ERROR_VALUE,
             "negative shift count");
  // Shifting by the width or more is poison in LLVM; Python and NumPy give 0 (or -1).
  auto* width = llvm::ConstantInt::get(r->getType(), l->getType()->getIntegerBitWidth());
  auto* too_far = builder_.CreateICmpUGE(r, width);
  auto* safe = builder_.CreateSelect(too_far, llvm::ConstantInt::get(r->getType(), 0), r);
  auto* zero = llvm::ConstantInt::get(l->getType(), 0);
  if (op == Operator::LShift)
    return builder_.CreateSelect(too_far, zero, builder_.CreateShl(l, safe));
  if (!is_signed) return builder_.CreateSelect(too_far, zero, builder_.CreateLShr(l, safe));
  auto* fill = builder_.CreateSelect(builder_.CreateICmpSLT(l, zero),
                                     llvm::ConstantInt::get(l->getType(), static_cast<uint64_t>(-1), true), zero);
  return builder_.CreateSelect(too_far, fill, builder_.CreateAShr(l, safe));
}

llvm::Value* FunctionEmitter::unary(const Expr& e) {
  const Expr& operand = *e.operands[0];
  return unary_value(e.op, expr(operand), type_of(operand), type_of(e));
}

llvm::Value* FunctionEmitter::unary_value(Operator op, llvm::Value* v, Type from, Type result) {
  switch (op) {
    case Operator::Not: return builder_.CreateNot(truth(v, from));
    case Operator::UAdd: return cast(v, from, result);
    case Operator::USub: {
      v = cast(v, from, result);
      if (types::is_complex(result->kind))
        return complex_value(result->kind, builder_.CreateFNeg(builder_.CreateExtractValue(v, {0})),
                             builder_.CreateFNeg(builder_.CreateExtractValue(v, {1})));
      return types::is_float(result->kind) ? builder_.CreateFNeg(v) : builder_.CreateNeg(v);
    }
    case Operator::Invert: return builder_.CreateNot(cast(v, from, result));
    default: throw std::logic_error("accel: not a unary operator (a compiler bug)");
  }
}

llvm::Value* FunctionEmitter::boolean(const Expr& e) {
  // `a and b` is a if a is falsy, else b: each operand is converted to the common type
  // and the first that decides the answer is kept.
  Type result = type_of(e);
  auto* slot = builder_.CreateAlloca(module_.llvm_type(result));
  auto* done = new_block("boolop.done");
  for (size_t i = 0; i < e.operands.size(); ++i) {
    const Expr& operand = *e.operands[i];
    llvm::Value* v = expr(operand);
    builder_.CreateStore(cast(v, type_of(operand), result), slot);
    if (i + 1 == e.operands.size()) {
      builder_.CreateBr(done);
      break;
    }
    auto* next = new_block("boolop.next");
    llvm::Value* t = truth(v, type_of(operand));
    if (e.op == Operator::And)
      builder_.CreateCondBr(t, next, done);
    else
      builder_.CreateCondBr(t, done, next);
    builder_.SetInsertPoint(next);
  }
  builder_.SetInsertPoint(done);
  return builder_.CreateLoad(module_.llvm_type(result), slot);
}

llvm::Value* FunctionEmitter::compare_values(Operator op, llvm::Value* l, Type lt, llvm::Value* r, Type rt) {
  if ((op == Operator::In || op == Operator::NotIn) && rt->kind == Kind::List) {
    llvm::Value* found = builder_.CreateICmpSGE(list_find(r, rt, l, lt, builder_.getInt64(0)), builder_.getInt64(0));
    return op == Operator::In ? found : builder_.CreateNot(found);
  }
  if ((op == Operator::In || op == Operator::NotIn) && (rt->kind == Kind::Dict || rt->kind == Kind::Set)) {
    llvm::Value* found = membership(l, lt, r, rt);
    return op == Operator::In ? found : builder_.CreateNot(found);
  }
  if ((op == Operator::Eq || op == Operator::NotEq) && lt->kind == Kind::Set) {
    llvm::Value* same = builder_.CreateICmpNE(builder_.CreateCall(module_.runtime(RT::accel_rt_dict_same_keys), {l, r}),
                                              builder_.getInt32(0));
    return op == Operator::Eq ? same : builder_.CreateNot(same);
  }
  if (op == Operator::In || op == Operator::NotIn) {
    // x in (a, b, ...): x == a or x == b ... (every element is compared: no side effects)
    llvm::Value* found = builder_.getFalse();
    for (unsigned i = 0; i < rt->elements.size(); ++i)
      found = builder_.CreateOr(found, compare_values(Operator::Eq, l, lt, builder_.CreateExtractValue(r, {i}), rt->elements[i]));
    return op == Operator::In ? found : builder_.CreateNot(found);
  }
  Kind kind = types::promote(lt->kind, rt->kind);
  if (types::is_complex(kind)) return complex_equal(op, cast_kind(l, lt->kind, kind), cast_kind(r, rt->kind, kind));
  if (types::is_integer(kind) && !types::is_signed(kind) && types::is_integer(lt->kind) &&
      types::is_integer(rt->kind) && types::is_signed(lt->kind) != types::is_signed(rt->kind)) {
    // An unsigned number against a signed one (a Python int beside a uint8 is weak and
    // takes the uint8's type): NumPy compares their values, so -1 < np.uint8(0). In 65
    // bits both fit exactly.
    auto* wide = builder_.getIntNTy(65);
    auto widen = [&](llvm::Value* v, Kind k) {
      return types::is_signed(k) ? builder_.CreateSExt(v, wide) : builder_.CreateZExt(v, wide);
    };
    return integer_compare(op, widen(l, lt->kind), widen(r, rt->kind), /*is_signed=*/true);
  }
  l = cast_kind(l, lt->kind, kind);
  r = cast_kind(r, rt->kind, kind);
  if (types::is_float(kind)) {
    switch (op) {
      case Operator::Eq: return builder_.CreateFCmpOEQ(l, r);
      case Operator::NotEq: return builder_.CreateFCmpUNE(l, r);
      case Operator::Lt: return builder_.CreateFCmpOLT(l, r);
      case Operator::LtE: return builder_.CreateFCmpOLE(l, r);
      case Operator::Gt: return builder_.CreateFCmpOGT(l, r);
      default: return builder_.CreateFCmpOGE(l, r);
    }
  }
  return integer_compare(op, l, r, types::is_signed(kind));
}

llvm::Value* FunctionEmitter::integer_compare(Operator op, llvm::Value* l, llvm::Value* r, bool s) {
  switch (op) {
    case Operator::Eq: return builder_.CreateICmpEQ(l, r);
    case Operator::NotEq: return builder_.CreateICmpNE(l, r);
    case Operator::Lt: return s ? builder_.CreateICmpSLT(l, r) : builder_.CreateICmpULT(l, r);
    case Operator::LtE: return s ? builder_.CreateICmpSLE(l, r) : builder_.CreateICmpULE(l, r);
    case Operator::Gt: return s ? builder_.CreateICmpSGT(l, r) : builder_.CreateICmpUGT(l, r);
    default: return s ? builder_.CreateICmpSGE(l, r) : builder_.CreateICmpUGE(l, r);
  }
}

llvm::Value* FunctionEmitter::compare(const Expr& e) {
  // a < b < c evaluates b once and stops at the first false link.
  llvm::Value* left = expr(*e.operands[0]);
  Type left_type = type_of(*e.operands[0]);
  if (e.compare_ops.size() == 1) {
    llvm::Value* right = expr(*e.operands[1]);
    return compare_values(e.compare_ops[0], left, left_type, right, type_of(*e.operands[1]));
  }
  auto* slot = builder_.CreateAlloca(builder_.getInt1Ty());
  auto* done = new_block("compare.done");
  for (size_t i = 0; i < e.compare_ops.size(); ++i) {
    llvm::Value* right = expr(*e.operands[i + 1]);
    Type right_type = type_of(*e.operands[i + 1]);
    llvm::Value* result = compare_values(e.compare_ops[i], left, left_type, right, right_type);
    builder_.CreateStore(result, slot);
    if (i + 1 == e.compare_ops.size()) {
      builder_.CreateBr(done);
      break;
    }
    auto* next = new_block("compare.next");
    builder_.CreateCondBr(result, next, done);
    builder_.SetInsertPoint(next);
    left = right;
    left_type = right_type;
  }
  builder_.SetInsertPoint(done);
  return builder_.CreateLoad(builder_.getInt1Ty(), slot);
}

llvm::Value* FunctionEmitter::conditional(const Expr& e) {
  Type result = type_of(e);
  llvm::Value* test = truth(expr(*e.operands[0]), type_of(*e.operands[0]));
  auto* then_block = new_block("ifexp.then");
  auto* else_block = new_block("ifexp.else");
  auto* done = new_block("ifexp.done");
  builder_.CreateCondBr(test, then_block, else_block);
  builder_.SetInsertPoint(then_block);
  llvm::Value* a = cast(expr(*e.operands[1]), type_of(*e.operands[1]), result);
  auto* then_end = builder_.GetInsertBlock();
  builder_.CreateBr(done);
  builder_.SetInsertPoint(else_block);
  llvm::Value* b = cast(expr(*e.operands[2]), type_of(*e.operands[2]), result);
  auto* else_end = builder_.GetInsertBlock();
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  auto* phi = builder_.CreatePHI(module_.llvm_type(result), 2);
  phi->addIncoming(a, then_end);
  phi->addIncoming(b, else_end);
  return phi;
}

llvm::Value* FunctionEmitter::tuple(const Expr& e) {
  Type t = type_of(e);
  llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(t));
  for (unsigned i = 0; i < e.operands.size(); ++i)
    out = builder_.CreateInsertValue(out, expr(*e.operands[i]), i);
  return out;
}

}  // namespace accel::codegen
