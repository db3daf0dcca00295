"""Inner functions and lambdas bound to a name, called inside compiled code (numba
compiles them): each is compiled as a function of its own that takes what it reads from
the enclosing function at the time of each call, as Python's closure cells give it."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import accel
from reference import check


def scaled_squares(x, a):
    def scale(y):
        return y * a
    square = lambda v: v * v  # noqa: E731 - numba code binds lambdas to names
    total = 0.0
    for v in x:
        total += scale(square(v))
    a = 2.0  # a closure reads the variable when it is called, not when it was defined
    return total + scale(1.0)


def factorial(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)
    return fact(n)


def calls_a_sibling(x, b):
    def shifted(y):
        return y + b
    def doubled(y):  # captures nothing itself, but its callee reads b
        return shifted(y) * 2
    return doubled(x)


def nested_twice(x, c):
    def g(y):
        def h(z):
            return z * c
        return h(y) + 1
    return g(x)


def with_defaults(x):
    def g(y, k=3, neg=False):
        return -y * k if neg else y * k
    return g(x) + g(x, 2) + g(x, k=1) + g(x, neg=True)


def reads_an_array(x):
    n = len(x)
    def at(i):
        return x[i % n]
    s = 0.0
    for i in range(2 * n):
        s += at(i)
    return s


def writes_an_array(x):
    def bump(i):
        x[i] += 1.0
    for i in range(len(x)):
        bump(i)
    return x.sum()


def defined_in_a_loop(n):
    s = 0
    for i in range(n):
        def plus_i(y):
            return y + i
        s += plus_i(1)
    return s


def two_lambdas_on_a_line(x):
    a = lambda v: v + 1; b = lambda v: v * 10  # noqa: E702, E731
    return a(x) + b(x)


def raises_inside(x):
    def checked(y):
        if y < 0:
            raise ValueError("negative")
        return y
    return checked(x)


@pytest.mark.parametrize("function,args", [
    (scaled_squares, (np.arange(4.0), 3.0)), (factorial, (10,)), (calls_a_sibling, (1.0, 2.0)),
    (nested_twice, (2.0, 3.0)), (with_defaults, (2.0,)), (reads_an_array, (np.arange(3.0),)),
    (writes_an_array, (np.arange(3.0),)), (defined_in_a_loop, (4,)), (two_lambdas_on_a_line, (2,)),
    (raises_inside, (1.5,)), (raises_inside, (-1.0,)),
])
def test_like_cpython(function, args):
    check(function, *args)


def assigns_a_captured_name():
    t = 0
    def g():
        nonlocal t
        t += 1
    g()
    return t


def bound_twice(x):
    def g(y):
        return y
    def g(y):  # noqa: F811
        return y * 2
    return g(x)


def stored_in_a_variable(x):
    def g(y):
        return y
    h = g
    return h(x)


def returned(x):
    def g(y):
        return y
    return g


def default_from_a_variable(x):
    k = 2
    def g(y, m=k):
        return y * m
    return g(x)


@pytest.mark.parametrize("function,error,message", [
    (assigns_a_captured_name, accel.CompileError, "nonlocal in inner function g"),
    (bound_twice, accel.CompileError, "inner function g is bound more than once"),
    (stored_in_a_variable, accel.CompileTypeError, "a function g cannot be stored in a variable"),
    (returned, accel.CompileTypeError, "a function g cannot be returned"),
    (default_from_a_variable, accel.CompileError, "a default of inner function g is not a constant"),
])
def test_what_is_not_compiled_is_a_clear_error(function, error, message):
    arguments = () if function is assigns_a_captured_name else (1.0,)
    function(*arguments)  # CPython runs it
    with pytest.raises(error, match=message):
        accel.jit(function)(*arguments)


def test_a_cached_function_with_an_inner_function_hits_in_a_new_process(tmp_path):
    (tmp_path / "kernels.py").write_text(textwrap.dedent("""
        import accel

        @accel.jit(cache=True)
        def f(x, a):
            def scale(y):
                return y * a
            return scale(x)
    """))
    probe = "import kernels; print(kernels.f(2.0, 3.0), len(kernels.f.stats.cache_hits))"
    env = {**os.environ, "ACCEL_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.split() == ["6.0", "0"] and second.stdout.split() == ["6.0", "1"]
