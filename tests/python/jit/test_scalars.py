"""Operators on numbers, each compared with CPython on the same arguments."""
import itertools

import numpy as np
import pytest

import accel
from reference import check


def add(a, b): return a + b
def sub(a, b): return a - b
def mul(a, b): return a * b
def div(a, b): return a / b
def floordiv(a, b): return a // b
def mod(a, b): return a % b
def power(a, b): return a ** b
def lshift(a, b): return a << b
def rshift(a, b): return a >> b
def bitand(a, b): return a & b
def bitor(a, b): return a | b
def bitxor(a, b): return a ^ b
def neg(a): return -a
def pos(a): return +a
def invert(a): return ~a
def logical_not(a): return not a


ARITHMETIC = [add, sub, mul, div, floordiv, mod]
INTS = [7, -7, 3, -3, 0, 1, 2**40]
FLOATS = [7.5, -7.5, 0.0, -0.0, 2.0, 1e300, float("inf"), float("nan")]


@pytest.mark.parametrize("op", ARITHMETIC, ids=lambda f: f.__name__)
@pytest.mark.parametrize("a,b", list(itertools.product([7, -7, 0, 5], [2, -2, 0, 3])))
def test_int_arithmetic_floors_and_raises_like_python(op, a, b):
    check(op, a, b)


@pytest.mark.parametrize("op", ARITHMETIC, ids=lambda f: f.__name__)
@pytest.mark.parametrize("a,b", list(itertools.product(FLOATS, [2.0, -2.0, 0.0, -0.0, 0.3, float("inf")])))
def test_float_arithmetic_matches_python_bit_for_bit(op, a, b):
    check(op, a, b)


@pytest.mark.parametrize("op", ARITHMETIC, ids=lambda f: f.__name__)
@pytest.mark.parametrize("a,b", [(7, 2.5), (2.5, 7), (True, 3), (3, True), (True, 2.5), (-7, 0.5)])
def test_mixed_python_scalars_promote_like_python(op, a, b):
    check(op, a, b)


@pytest.mark.parametrize("op", [add, sub, mul, floordiv, mod, div], ids=lambda f: f.__name__)
@pytest.mark.parametrize("a,b", [
    (np.int8(100), np.int8(27)), (np.int32(-7), 2), (np.uint8(200), 3), (np.int16(5), np.int64(-3)),
    (np.float32(1.5), 2.0), (np.float32(1.5), np.float64(2.0)), (np.uint32(7), np.int32(-2)),
    (np.int64(-9), np.uint8(4)), (np.float32(3.0), np.int8(2)), (np.float32(3.0), np.int32(2)),
    (np.uint64(10), np.int64(3)), (5, np.float32(0.25)), (np.bool_(True), 3),
])
def test_numpy_scalars_follow_numpy_2_promotion(op, a, b):
    check(op, a, b)


@pytest.mark.parametrize("a,b", [(2, 10), (3, 0), (-2, 3), (0, 0), (7, 1), (2.0, 0.5), (2.0, -1.0),
                                 (0.0, -1.0), (4, 0.5), (np.int32(3), 4), (np.float32(2), 3)])
def test_power(a, b):
    check(power, a, b)


@pytest.mark.parametrize("op", [lshift, rshift, bitand, bitor, bitxor], ids=lambda f: f.__name__)
@pytest.mark.parametrize("a,b", [(5, 3), (-5, 3), (1, 62), (-1, 1), (6, 0), (True, False), (True, True),
                                 (np.uint8(200), np.uint8(3)), (np.int16(-300), 2)])
def test_bitwise_and_shifts(op, a, b):
    check(op, a, b)


def test_negative_shift_count_raises_value_error():
    check(lshift, 1, -1)
    check(rshift, 1, -1)


@pytest.mark.parametrize("op", [neg, pos, invert, logical_not], ids=lambda f: f.__name__)
@pytest.mark.parametrize("a", [5, -5, 0, True, False, np.int8(-3), np.uint16(3)])
def test_unary_on_integers(op, a):
    check(op, a)


@pytest.mark.parametrize("op", [neg, pos, logical_not], ids=lambda f: f.__name__)
@pytest.mark.parametrize("a", [2.5, -0.0, 0.0, float("nan"), np.float32(1.5)])
def test_unary_on_floats(op, a):
    check(op, a)


def chained(a, b, c): return a < b <= c
def chained_mixed(a, b, c): return a == b != c > 0
def comparisons(a, b): return (a < b, a <= b, a > b, a >= b, a == b, a != b)


@pytest.mark.parametrize("args", [(1, 2, 3), (3, 2, 1), (1, 2.0, 2), (1.0, 1, 1), (float("nan"), 1, 2)])
def test_chained_comparisons(args):
    check(chained, *args)
    check(chained_mixed, *args)


@pytest.mark.parametrize("a,b", [(1, 2), (2.5, 2), (float("nan"), 0.0), (np.int8(-1), np.uint8(255)),
                                 (True, 1), (np.float32(0.1), 0.1),
                                 # a weak Python int beside an unsigned number compares by value
                                 (np.uint8(0), -24), (-1, np.uint8(255)), (np.uint64(2**64 - 1), -1),
                                 (np.uint32(7), np.int64(-7))])
def test_comparison_operators(a, b):
    check(comparisons, a, b)


def and_or(a, b): return (a and b, a or b, not a)
def truthiness(x):
    if x:
        return 1
    return 0


@pytest.mark.parametrize("a,b", [(0, 5), (3, 5), (0.0, 2.0), (True, False), (2, 0)])
def test_and_or_return_an_operand(a, b):
    check(and_or, a, b)


@pytest.mark.parametrize("x", [0, 1, -1, 0.0, float("nan"), True, np.int8(0), np.float32(-0.0)])
def test_truthiness(x):
    check(truthiness, x)


def augmented(a, b):
    x = a
    x += b
    x -= 1
    x *= 3
    x //= 2
    x %= 1000
    x **= 2
    x |= 1
    x ^= 6
    x &= 255
    x <<= 2
    x >>= 1
    return x


@pytest.mark.parametrize("a,b", [(5, 7), (-5, 3), (1000, -3)])
def test_augmented_assignment(a, b):
    check(augmented, a, b)


def widening(n):
    y = 0
    for i in range(n):
        y += 0.5
    return y


def test_variable_widens_from_int_to_float():
    check(widening, 5)


def float_power(a, b):
    return a ** b


def float_power_in_place(b):
    b **= 3
    return b


def ten_to_the_400():
    return 10.0 ** 400


@pytest.mark.parametrize("args", [(1e300, 2), (10.0, 400), (10.0, 400.0), (-10.0, 401), (2, 2000.0),
                                  (np.float64(1e300), 2), (float("inf"), 2), (1e300, float("inf")),
                                  (1e-300, 2), (1.5, 2.0)])
def test_a_python_float_power_that_overflows_raises_as_cpython(args):
    # OverflowError (34, 'Numerical result out of range') for Python floats; NumPy
    # float64 scalars and infinite operands give inf.
    with np.errstate(over="ignore"):
        check(float_power, *args)
    check(float_power_in_place, 1e300)
    check(float_power_in_place, 2.0)
    check(ten_to_the_400)
    with pytest.raises(OverflowError) as error:
        accel.jit(float_power)(1e300, 2)
    assert error.value.args == (34, "Numerical result out of range")


SCALE = np.float64(2.5)
HALF = np.float32(0.5)
SEVEN = np.int32(7)
LARGEST = np.uint64(2**64 - 1)
PLAIN_SCALE = 2.5


def times_scale(x):
    return x * SCALE


def times_half(x):
    return x * HALF


def plus_seven(x):
    return x + SEVEN


def largest():
    return LARGEST


def times_plain_scale(x):
    return x * PLAIN_SCALE


def scaled(x, s=SCALE):
    return x * s


def scaled_by_default(x):
    return scaled(x)


@pytest.mark.parametrize("function,args", [
    (times_scale, (np.float32(2),)), (times_scale, (3,)), (times_half, (2.0,)), (plus_seven, (np.int8(3),)),
    (plus_seven, (3,)), (largest, ()), (times_plain_scale, (np.float32(2),)), (scaled_by_default, (np.float32(2),)),
])
def test_numpy_scalar_globals_keep_their_type(function, args):
    # np.float64 is a subclass of float, but not weak: float32 * np.float64 is float64.
    check(function, *args)
