"""Calls between functions: jitted, plain Python (compiled along), recursion."""
import numpy as np
import pytest

import accel
from reference import check


def helper(a, b=2, c=0.5):
    return a * b + c


def uses_helper(x):
    return helper(x) + helper(x, 3) + helper(x, c=1.0) + helper(b=4, a=x)


@accel.jit
def jitted_square(v):
    return v * v


def uses_jitted(x):
    total = 0.0
    for v in x:
        total += jitted_square(v)
    return total


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def forever(n):
    if n < 0:
        return 0
    return forever(n + 1)


def no_base_case(n):
    return no_base_case(n + 1)


def sum_with_closure(scale):
    def inner(x):
        return x * scale
    return inner


def array_helper(x, i):
    return x[i] * 2


def passes_array(x):
    s = 0
    for i in range(len(x)):
        s += array_helper(x, i)
    return s


def test_plain_python_functions_are_compiled_along_with_keywords_and_defaults():
    check(uses_helper, 3)
    check(uses_helper, 1.5)


def test_jitted_functions_call_each_other():
    check(uses_jitted, np.arange(5.0), compiled=accel.jit(uses_jitted))
    assert jitted_square(4) == 16  # the callee still works on its own


def test_recursion_and_mutual_recursion():
    check(fib, 20)
    check(is_even, 10)
    check(is_odd, 7)


def test_unbounded_recursion_raises_recursion_error():
    f = accel.jit(forever)
    with pytest.raises(RecursionError, match="maximum recursion depth"):
        f(0)
    assert accel.jit(fib)(10) == 55  # the process and the compiler are fine


def test_recursion_without_a_base_case_is_a_compile_error():
    with pytest.raises(accel.CompileError, match="every path of it calls itself"):
        accel.jit(no_base_case)(1)


def test_closures_read_their_cells():
    inner = sum_with_closure(3)
    check(inner, 5)


def test_arrays_pass_to_compiled_callees():
    check(passes_array, np.arange(6))
    check(passes_array, np.arange(6)[::2])


def factorial_in_a_conditional(n):
    return 1 if n < 2 else n * factorial_in_a_conditional(n - 1)


def fibonacci_in_a_conditional(n):
    return n if n < 2 else fibonacci_in_a_conditional(n - 1) + fibonacci_in_a_conditional(n - 2)


def halves_in_a_conditional(n):
    return 1 if n < 1 else 0.5 * halves_in_a_conditional(n - 1)


@pytest.mark.parametrize("function,args", [
    (factorial_in_a_conditional, (0,)), (factorial_in_a_conditional, (15,)),
    (fibonacci_in_a_conditional, (18,)),
    (halves_in_a_conditional, (0,)), (halves_in_a_conditional, (4,)),
])
def test_recursion_with_its_base_case_in_a_conditional_expression(function, args):
    # numba cannot type these (the recursive branch has no type when it is first seen).
    if function is halves_in_a_conditional and args == (0,):
        # The result is one type (docs/semantics.md #2): 1.0 where CPython returns 1.
        assert accel.jit(function)(*args) == 1.0 and type(accel.jit(function)(*args)) is float
        return
    check(function, *args)
