"""Tuples inside compiled code: slicing, indexing at run time, +, in, len, compared with CPython."""
import pytest

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
