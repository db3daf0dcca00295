"""Statements and control flow, each compared with CPython."""
import pytest

from reference import check


def classify(x):
    if x < 0:
        return -1
    elif x == 0:
        return 0
    else:
        return 1


def ternary(x):
    return x * 2 if x > 3 else x - 1


def loop_range(a, b, c):
    total = 0
    count = 0
    for i in range(a, b, c):
        total += i
        count += 1
    return total, count


def loop_one_arg(n):
    total = 0
    for i in range(n):
        total = total * 3 + i
    return total


def loop_two_args(a, b):
    s = 0
    for i in range(a, b):
        s += i * i
    return s


def last_loop_value(n):
    i = -1
    for i in range(n):
        pass
    return i


def while_loop(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def break_continue(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        if i > 20:
            break
        total += i
    return total


def for_else(n, stop):
    for i in range(n):
        if i == stop:
            break
    else:
        return -1
    return i


def while_else(n):
    i = 0
    while i < n:
        i += 1
        if i == 5:
            break
    else:
        i = 100
    return i


def nested_loops(n):
    count = 0
    for i in range(n):
        for j in range(i):
            if (i + j) % 2:
                count += 1
            else:
                continue
    return count


def swap(a, b):
    a, b = b, a
    return a, b


def unpack_nested(a, b, c):
    x, (y, z) = a, (b, c)
    t = (x + y, z)
    p, q = t
    return p * q, t


def multiple_targets(n):
    a = b = n
    a += 1
    return a, b


def early_return(x):
    for i in range(10):
        if i * x > 20:
            return i
    return -1


def while_true(n):
    i = 0
    while True:
        i += 1
        if i >= n:
            return i


def no_return(n):
    x = n + 1


def docstring_and_pass(n):
    """A docstring is fine."""
    pass
    return n


def annotated(n: int) -> float:
    x: float = n * 0.5
    return x


@pytest.mark.parametrize("x", [-3, 0, 5, -0.5, 2.5])
def test_if_elif_else(x):
    check(classify, x)
    check(ternary, x)


@pytest.mark.parametrize("a,b,c", [(0, 10, 1), (10, 0, -1), (10, 0, -3), (0, 10, 3), (5, 5, 1),
                                   (0, 10, -1), (-5, 5, 2), (-2**62, 2**62, 2**61), (0, 3, 0)])
def test_range_with_three_arguments(a, b, c):
    check(loop_range, a, b, c)


@pytest.mark.parametrize("n", [0, 1, 7, -3])
def test_range_with_one_and_two_arguments(n):
    check(loop_one_arg, n)
    check(loop_two_args, n, 10)
    check(last_loop_value, n)


def test_while_break_continue_and_else():
    check(while_loop, 27)
    check(break_continue, 40)
    check(for_else, 10, 4)
    check(for_else, 10, 40)
    check(while_else, 3)
    check(while_else, 9)
    check(nested_loops, 9)


def test_tuples_pack_unpack_and_swap():
    check(swap, 1, 2)
    check(swap, 1.5, 2.5)
    check(unpack_nested, 2, 3, 4)
    check(multiple_targets, 3)


def test_several_returns_and_implicit_none():
    check(early_return, 3)
    check(early_return, 0)
    check(while_true, 4)
    check(no_return, 1)
    check(docstring_and_pass, 2)
    check(annotated, 3)
