"""Dicts and sets in compiled code (displays, comprehensions, methods, operators, iteration,
KeyError and results as Python dicts and sets), each compared with CPython running the
same function."""
import warnings

import numpy as np
import pytest

import accel
from reference import check


def histogram(x):
    # From an empty {} with d.get(k, 0) + 1: numba cannot type this without annotations.
    counts = {}
    for v in x:
        counts[v] = counts.get(v, 0) + 1
    return counts


def display_and_items(x):
    d = {1: 2.5, 3: 4.0}
    d[5] = x
    d[1] = -1.0
    total = 0.0
    for k, v in d.items():
        total += k * v
    return d, total, len(d), 3 in d, 4 in d, 4 not in d, bool(d), bool({})


def comprehensions(n):
    squares = {i: i * i for i in range(n) if i % 2}
    residues = {i % 3 for i in range(n)}
    pairs = {(i, j): i - j for i in range(n) for j in range(i) if (i + j) % 2}
    return squares, residues, pairs


def tuple_keys(a, b):
    d = {(1, 2): 1.0}
    d[(3, 4)] = 2.0
    d[a, b] = 3.0
    d[a, b] += 0.5
    return d, d[3, 4], (a, b) in d, (4, 3) in d


def methods(n):
    d = {i: float(i) for i in range(n)}
    first = d.setdefault(0, 99.0)
    added = d.setdefault(100, 7.0)
    popped = d.pop(1)
    fallback = d.pop(1, -1.0)
    del d[2]
    last = d.popitem()
    copy = d.copy()
    copy[0] = 123.0
    d.update({50: 5.0, 0: 0.5})
    cleared = d.copy()
    cleared.clear()
    return d, copy, first, added, popped, fallback, last, cleared, len(cleared)


def filled_by_update(x):
    d = {}
    d.update({1: x, 2: 2.0 * x})
    s = set()
    s |= {3, 4}
    return d, s


def views(n):
    d = {i * 0.5: i for i in range(n)}
    keys = list(d.keys())
    values = list(d.values())
    items = list(d.items())
    total = sum(d.values())
    order = [k for k in d]
    counted = [(i, k) for i, k in enumerate(d)]
    zipped = [(k, v) for k, v in zip(d, d.values())]
    return keys, values, items, total, order, counted, zipped, sorted(d, reverse=True), max(d), min(d.values())


def builtins_that_make_them(n):
    from_pairs = dict(zip(range(n), [i * 1.5 for i in range(n)]))
    copied = dict(from_pairs)
    copied[0] = -1.0
    return from_pairs, copied, set(range(n)), set([1, 1, 2]), set(), set({3, 4}), dict()


def numbers_as_keys(x):
    d = {0.0: 1}
    d[-0.0] += 1          # -0.0 == 0.0: the same key, as in Python
    d[1.0] = 5
    d[1] += 1             # an int finds its float equal
    flags = {True: 1.5}
    flags[1 == 1] = 2.5
    return d, 1 in d, -0.0 in d, flags, x in d


def sets(n):
    a = set()
    for i in range(n):
        a.add(i % 7)
    b = {1, 2, 3, 10}
    a.discard(0)
    a.discard(-5)
    union, common, only_a, either = a | b, a & b, a - b, a ^ b
    c = a.copy()
    c |= {100}
    c &= {1, 2, 100, 200}
    d = a.copy()
    d -= b
    e = a.copy()
    e ^= b
    a.remove(1)
    f = a.copy()
    f.update([1000, 1001])
    return (union, common, only_a, either, c, d, e, a, f, a == a.copy(), a != b, len(a), sum(a), max(b),
            sorted(a), a.union(b), a.intersection(b), a.difference(b))


def popped_from_a_set(n):
    s = set(range(n))
    taken = s.pop()
    return 0 <= taken < n, taken in s, len(s)


def array_keys(x):
    seen = set()
    firsts = {}
    for i in range(len(x)):
        seen.add(x[i])
        firsts.setdefault(x[i], i)
    return seen, firsts


def grouped_sums(keys, values):
    sums = {}
    for k, v in zip(keys, values):
        if k in sums:
            sums[k] += v
        else:
            sums[k] = v
    return sums


def tuple_values(n):
    best = {}
    for i in range(n):
        k = i % 4
        if k not in best or best[k][0] < i * 0.5:
            best[k] = (i * 0.5, i)
    return best


def modified_while_iterated(n):
    d = {1: 1}
    for k in d:
        d[k + n] = 2
    return d


def set_modified_while_iterated():
    s = {1}
    for k in s:
        s.add(k + 1)
    return s


def missing_key(k):
    d = {1: 2.0, 2: 3.0}
    return d[k]


def missing_tuple_key(a):
    d = {(1, 2.5): 1}
    return d[(1, a)]


def augmented_missing(k):
    d = {1: 1}
    d[k] += 1
    return d


def delete_missing(k):
    d = {1: 1}
    del d[k]
    return d


def remove_missing(x):
    s = {1.5}
    s.remove(x)
    return s


def popitem_empty(n):
    d = {i: i for i in range(n)}
    d.popitem()
    return d.popitem()


def pop_empty_set(n):
    s = set(range(n))
    s.pop()
    return s.pop()


def pop_missing(k):
    return {1: 2}.pop(k)


def caught_key_error(k):
    d = {1: 2}
    try:
        return d[k]
    except KeyError as e:
        print(e)
        return -1


@pytest.mark.parametrize("function,args", [
    (histogram, (np.array([1, 2, 2, 3, 3, 3, 7]),)),
    (histogram, (np.array([0.5, -0.5, 0.5]),)),
    (histogram, (np.array([], dtype=np.int64),)),
    (display_and_items, (2.5,)),
    (comprehensions, (7,)),
    (comprehensions, (0,)),
    (tuple_keys, (3, 4)),
    (tuple_keys, (7, 8)),
    (methods, (6,)),
    (views, (5,)),
    (filled_by_update, (1.5,)),
    (builtins_that_make_them, (4,)),
    (numbers_as_keys, (1.0,)),
    (numbers_as_keys, (2.0,)),
    (sets, (20,)),
    (popped_from_a_set, (5,)),
    (array_keys, (np.array([3, 1, 3, 2, 1], dtype=np.int32),)),
    (grouped_sums, (np.array([1, 2, 1, 3]), np.array([0.5, 1.5, 2.5, 3.5]))),
    (tuple_values, (20,)),
])
def test_dicts_and_sets_match_cpython(function, args):
    check(function, *args)


@pytest.mark.parametrize("function,args", [
    (modified_while_iterated, (1,)),
    (set_modified_while_iterated, ()),
    (missing_key, (5,)),
    (missing_tuple_key, (3.5,)),
    (augmented_missing, (2,)),
    (delete_missing, (2,)),
    (remove_missing, (2.5,)),
    (popitem_empty, (1,)),
    (pop_empty_set, (1,)),
    (pop_missing, (3,)),
])
def test_dict_and_set_errors_match_cpython(function, args):
    check(function, *args)


def test_a_key_error_holds_the_key_itself():
    for key in (5, (1, 3.5)):
        function = missing_key if key == 5 else missing_tuple_key
        with pytest.raises(KeyError) as compiled:
            accel.jit(function)(key if key == 5 else 3.5)
        with pytest.raises(KeyError) as expected:
            function(key if key == 5 else 3.5)
        assert compiled.value.args == expected.value.args and type(compiled.value.args[0]) is type(key)


def test_a_key_error_caught_in_compiled_code_prints_as_in_cpython(capfd):
    assert accel.jit(caught_key_error)(7) == caught_key_error(7) == -1
    out = capfd.readouterr().out
    assert out == "7\n7\n"


def test_a_failed_call_leaks_no_dict():
    # The conftest fixture counts dict blocks too: the dicts made before the error go.
    with pytest.raises(KeyError):
        accel.jit(popitem_empty)(1)


def never_stored():
    d = {}
    return len(d)


def get_without_default():
    d = {1: 1}
    return d.get(1)


def float_in_int_keys():
    return 1.5 in {1: 1}


def array_values():
    d = {}
    d[1] = np.zeros(3)
    return d


def list_keys():
    return {[1]: 2}


def two_value_types():
    d = {1: 1}
    d[2] = 2.5
    return d


def unpacked_display():
    d = {1: 2}
    return {**d}


def delete_a_name():
    x = 1
    del x


@pytest.mark.parametrize("function,message", [
    (never_stored, "what this dict holds is never known"),
    (get_without_default, r"d.get\(key\) gives None for a missing key"),
    (float_in_int_keys, "a dict of int keys cannot be used with a float key"),
    (array_values, "dict values in compiled code are numbers or tuples of numbers"),
    (list_keys, "unhashable type: 'list'"),
    (two_value_types, "a dict of int values cannot hold a float"),
    (unpacked_display, r"\*\*-unpacking in a dict display"),
    (delete_a_name, "del is supported in compiled code for items"),
])
def test_what_dicts_refuse_is_a_clear_compile_error(function, message):
    with pytest.raises(accel.CompileError, match=message):
        accel.jit(function)()


def size_of(d):
    return len(d)


def test_a_dict_argument_is_a_clear_type_error():
    with pytest.raises(TypeError, match="unsupported type 'dict'"):
        accel.jit(size_of)({1: 2.0})


def int_key_into_float_keys():
    d = {0.5: 1}
    d[1] = 2
    return d


def test_keys_take_the_dict_key_type():
    # docs/semantics.md: one key type per dict; an int stored into a dict of float keys
    # is stored as a float (CPython keeps the int object), and found by either.
    got = accel.jit(int_key_into_float_keys)()
    assert got == int_key_into_float_keys() and [type(k) for k in got] == [float, float]


def empty_results(n):
    return set(), {}, [], dict(), n


def test_empty_containers_return_empty():
    check(empty_results, 3)


def shared_dict_in_prange(n):
    d = {0: 0}
    for i in accel.prange(n):
        d[i % 3] = i
    return len(d)


def private_dicts_in_prange(n):
    out = np.zeros(n)
    for i in accel.prange(n):
        seen = {0: 0.5}
        seen[i % 5] = 1.0
        out[i] = len(seen) + seen[0]
    return out


def test_a_prange_loop_that_stores_into_a_shared_dict_runs_serially():
    with pytest.warns(accel.ParallelSafetyWarning, match="changes the dict or set 'd'"):
        assert accel.jit(shared_dict_in_prange, parallel=True)(100) == 3


def test_a_dict_each_iteration_makes_for_itself_runs_in_parallel():
    with warnings.catch_warnings():
        warnings.simplefilter("error", accel.ParallelSafetyWarning)
        got = accel.jit(private_dicts_in_prange, parallel=True)(20_000)
    np.testing.assert_array_equal(got, private_dicts_in_prange(20_000))


def signed_zero_and_nan_keys(nan, other_nan):
    d = {-0.0: 1}
    d[nan] = 2
    d[other_nan] = 3
    return d


def test_keys_are_compared_by_value():
    # docs/semantics.md #61: -0.0 is stored as 0.0 (CPython keeps the first key object),
    # and NaNs with the same bits are one key (CPython: one key per NaN object).
    nans = (float("nan"), float("nan"))  # two objects
    got = accel.jit(signed_zero_and_nan_keys)(*nans)
    keys = list(got)
    assert keys[0] == 0.0 and str(keys[0]) == "0.0" and np.isnan(keys[1]) and list(got.values()) == [1, 3]
    expected = signed_zero_and_nan_keys(*nans)
    assert str(list(expected)[0]) == "-0.0" and len(expected) == 3


def set_order(n):
    s = set()
    for i in range(n, 0, -1):
        s.add(i * 7 % 11)
    order = [v for v in s]
    return order, s.pop()


def test_a_set_keeps_insertion_order():
    # docs/semantics.md #62: a set iterates in insertion order and pop() takes the last
    # item added (CPython: by hash).
    order, popped = accel.jit(set_order)(6)
    assert order == [6 * 7 % 11, 5 * 7 % 11, 4 * 7 % 11, 3 * 7 % 11, 2 * 7 % 11, 7 % 11] and popped == 7 % 11


def fresh_result(n):
    return {i: i for i in range(n)}


def test_each_call_returns_a_new_dict():
    # docs/semantics.md #64: a new Python dict per call, in insertion order.
    f = accel.jit(fresh_result)
    a, b = f(3), f(3)
    assert a == b == {0: 0, 1: 1, 2: 2} and a is not b
