"""Tuples inside compiled code: slicing, indexing at run time, +, in, len, compared with CPython."""
import numpy as np
import pytest

import accel

from reference import check


def slices(a, b, c):
    t = (a, b, c, 4, 5.5)
    return t[1:], t[::-1], t[:3], t[-2:], t[1:4:2], t[10:], len(t[::2])


def run_time_index(i):
    t = (10, 20, 30)
    return t[i]


def concatenated(a, b):
    t = (a, b) + (3, 4.5)
    return t, len(t) + len(() + (1,))


def membership(x):
    return x in (1, 2.5, 3), x not in (1, 2), 2 in (x,)


@pytest.mark.parametrize("function,args", [
    (slices, (1, 2.0, True)),
    (run_time_index, (0,)), (run_time_index, (2,)), (run_time_index, (-1,)), (run_time_index, (-3,)),
    (run_time_index, (3,)), (run_time_index, (-4,)),
    (concatenated, (1, 2.0)),
    (membership, (1,)), (membership, (2.5,)), (membership, (7,)),
])
def test_like_cpython(function, args):
    check(function, *args)


# Tuples passed in from Python (each tuple type is its own specialization).

def first_plus_second(t):
    return t[0] + t[1]


def unpacked(t):
    (a, b), c = t
    return a * b + c


def itself(t):
    return t


def zeros_of(shape):
    return np.zeros(shape)


def total_and_length(t):
    s = 0.0
    for v in t:
        s += v
    return s, len(t)


def pair_of_arrays(t):
    x, y = t
    return (x + y).sum(), x[1:].sum()


def length(t):
    return len(t)


def mixed(t):
    return t[0] and t[1], t[2] * 2j, t[3] * 2


@pytest.mark.parametrize("function,args", [
    (first_plus_second, ((1, 2.5),)), (first_plus_second, ((1, 2),)),
    (first_plus_second, ((np.float32(1.5), np.int8(2)),)),
    (unpacked, (((2, 3.5), 1),)), (itself, ((1, (2.5, True)),)), (itself, ((),)),
    (total_and_length, ((1.0, 2, 3.5),)), (length, ((),)), (length, ((1, 2, 3),)),
    (mixed, ((True, False, 1 + 2j, np.uint8(200)),)),
    (pair_of_arrays, ((np.arange(3.0), np.ones(3)),)),
])
def test_tuple_arguments_like_cpython(function, args):
    check(function, *args)


def test_a_shape_passed_in_as_a_tuple():
    np.testing.assert_array_equal(accel.jit(zeros_of)((2, 3)), np.zeros((2, 3)))


def test_an_array_returned_from_a_tuple_argument_is_a_view_of_it():
    x = np.arange(4.0)
    returned = accel.jit(itself)((x, 1))
    assert returned[1] == 1 and returned[0].base is x
    returned[0][0] = 7.0
    assert x[0] == 7.0


def test_each_tuple_type_compiles_its_own_specialization():
    f = accel.jit(first_plus_second)
    assert f((1, 2)) == 3 and f((1.5, 2)) == 3.5 and f((1, 2, 3)) == 3
    assert f.signatures == [("tuple(int, int)",), ("tuple(float, int)",), ("tuple(int, int, int)",)]


def test_unsupported_tuple_arguments_raise_type_error_naming_the_element():
    f = accel.jit(first_plus_second)
    with pytest.raises(TypeError, match=r"argument 1 \(a tuple\) holds an element of unsupported type 'list' at \[1\]\[0\]"):
        f((1, ([2], 3)))
    from collections import namedtuple
    with pytest.raises(TypeError, match="unsupported type 'Point'"):
        f(namedtuple("Point", "x y")(1, 2))
    with pytest.raises(TypeError, match="at most 256 numbers, arrays and tuples"):
        f(tuple(range(300)))
    assert f((1, 2)) == 3  # still usable
