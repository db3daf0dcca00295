"""enumerate, zip, reversed, loops over tuples, and sum/min/max/any/all over generator
expressions and other iterables, each compared with CPython."""
import numpy as np
import pytest

import accel
from reference import check


def enumerate_array(a):
    total = 0.0
    for i, v in enumerate(a):
        total += i * v
    return total


def enumerate_start(a, start):
    total = 0
    last = -1
    for i, v in enumerate(a, start):
        total += i
        last = i
    for i, w in enumerate(range(3), start=-2):
        total += i * w
    return total, last


def enumerate_rows(m):
    total = 0.0
    for i, row in enumerate(m):
        total += i * row.sum()
    return total


def zip_many(a, b, n):
    total = 0.0
    count = 0
    for x, y, z, w in zip(a, b, range(n), (1, 2, 3, 4, 5)):
        total += x * y - z + w
        count += 1
    return total, count


def zip_one_and_none(a):
    count = 0
    for (x,) in zip(a):
        count += 1
    for _ in zip():
        count += 100
    return count


def reversed_range(a, b, c):
    out = 0
    for i in reversed(range(a, b, c)):
        out = out * 3 + i
    return out


def reversed_array_and_tuple(a):
    out = 0.0
    for v in reversed(a):
        out = out * 2 + v
    for t in reversed((1, 2, 3)):
        out = out * 10 + t
    return out


def over_tuples(a, b):
    total = 0
    for v in (a, b, 7):
        total = total * 10 + v
    for p, q in ((1, 2), (3, 4)):
        total += p * q
    return total


def nested_composition(a):
    total = 0.0
    for k, (i, v) in enumerate(zip(range(10), reversed(a)), 1):
        total += k * i * v
    return total


def break_and_else(a, stop):
    found = -1
    for i, v in enumerate(a):
        if v == stop:
            found = i
            break
    else:
        found = -100
    return found


def assigns_what_it_iterates(a):
    total = 0.0
    for i, v in enumerate(a):
        a = a * 2.0  # the loop goes on over the array it started with, as in Python
        total += v
    return total


def sum_of_squares(n):
    return sum(i * i for i in range(n))


def sum_nested_filtered(n):
    return sum(i * j for i in range(n) if i % 2 for j in range(i) if j > 1)


def sum_with_start(a):
    return sum(a), sum(a, 0.5), sum((x for x in a), 10), sum(range(0)), sum(v > 2 for v in a)


def min_max_generators(a, n):
    return max(x * x for x in a), min(abs(x - 2.5) for x in a), min(range(3, n)), max(reversed(range(n)))


def min_of_empty(n):
    return min(i for i in range(n))


def max_of_empty(n):
    return max(range(n))


def any_all(a, t):
    return any(v > t for v in a), all(v > t for v in a), any(a), all(a), any(range(0)), all(range(0))


def generator_over_enumerate(a):
    return sum(i * v for i, v in enumerate(a)), sum(x * y for x, y in zip(a, a))


def generator_sees_enclosing(a, k):
    return sum(v * k for v in a if v != k)


def generator_target_shadows(n):
    i = 100
    s = sum(i for i in range(n))
    return s, i  # the generator's i is its own, as in Python 3


@pytest.mark.parametrize("function,args", [
    (enumerate_array, (np.arange(5.0),)),
    (enumerate_start, (np.arange(4), 10)), (enumerate_start, (np.arange(4), -3)),
    (enumerate_rows, (np.arange(12.0).reshape(3, 4),)),
    (zip_many, (np.arange(6.0), np.ones(4), 10)), (zip_many, (np.arange(6.0), np.ones(7), 2)),
    (zip_one_and_none, (np.arange(3),)),
    (reversed_range, (0, 10, 1)), (reversed_range, (2, 20, 3)), (reversed_range, (10, -5, -4)),
    (reversed_range, (5, 5, 1)), (reversed_range, (1, 5, 0)),
    (reversed_array_and_tuple, (np.arange(4.0),)),
    (over_tuples, (1, 2)),
    (nested_composition, (np.arange(5.0),)),
    (break_and_else, (np.arange(5), 3)), (break_and_else, (np.arange(5), 9)),
    (assigns_what_it_iterates, (np.arange(4.0),)),
    (sum_of_squares, (10,)), (sum_of_squares, (0,)),
    (sum_nested_filtered, (9,)),
    (sum_with_start, (np.arange(5.0),)),
    (min_max_generators, (np.arange(5.0), 8)),
    (min_of_empty, (0,)), (max_of_empty, (0,)), (min_of_empty, (3,)),
    (any_all, (np.arange(4.0), 1.5)), (any_all, (np.arange(4.0), -1.0)), (any_all, (np.zeros(2), 0.0)),
    (generator_over_enumerate, (np.arange(4.0),)),
    (generator_sees_enclosing, (np.arange(5.0), 2.0)),
    (generator_target_shadows, (5,)),
])
def test_like_cpython(function, args):
    check(function, *args)


def test_no_leaks():
    start = accel._core.live_array_blocks()
    compiled = accel.jit(assigns_what_it_iterates)
    for _ in range(3):
        compiled(np.arange(10.0))
    assert accel._core.live_array_blocks() == start


def mixed_tuple_loop(x):
    total = 0.0
    for v in (1, 2.5):
        total += v
    return total


def test_tuple_items_take_one_type():
    # docs/semantics.md #35: the loop variable is a float on every item.
    assert accel.jit(mixed_tuple_loop)(0) == mixed_tuple_loop(0) == 3.5


def reversed_enumerate(a):
    for i, v in reversed(enumerate(a)):
        pass


def enumerate_of_number(n):
    for i, v in enumerate(n):
        pass


def enumerate_of_generator(n):
    for i, v in enumerate(j for j in range(n)):
        pass


def tuple_of_array_and_number(a):
    for v in (a, 1):
        pass


def stores_a_generator(n):
    g = (i for i in range(n))
    return sum(g)


@pytest.mark.parametrize("function,args,reason", [
    (reversed_enumerate, (np.arange(3),), "'enumerate' object is not reversible"),
    (enumerate_of_number, (3,), "not int"),
    (enumerate_of_generator, (3,), "enumerate() of a generator expression"),
    (tuple_of_array_and_number, (np.arange(3),), "would give its variable two types"),
    (stores_a_generator, (3,), "cannot be stored in a variable"),
])
def test_refused_with_a_reason(function, args, reason):
    with pytest.raises(accel.CompileError) as info:
        accel.jit(function)(*args)
    assert reason in str(info.value)
