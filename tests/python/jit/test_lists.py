"""Lists in compiled code (displays, comprehensions, methods, operators, iteration and list
results), each compared with CPython running the same function."""
import math

import numpy as np
import pytest

import accel
from reference import check, outcome, same_value


def primes_below(n):
    # The classic sieve by trial division: the list grows inside the loop that reads it.
    found = []
    for k in range(2, n):
        for p in found:
            if p * p > k:
                found.append(k)
                break
            if k % p == 0:
                break
        else:
            found.append(k)
    return found


def odd_squares(n):
    return [i * i for i in range(n) if i % 2]


def nested_comprehension(n):
    return [(i, j) for i in range(n) for j in range(i) if (i + j) % 3]


def comprehension_over_array(a):
    return [2.0 * v for v in a if v > 0]


def display_and_index(a, i):
    items = [a, a + 1, a * 2]
    items[i] = -a
    return items, items[i], items[-1], len(items)


def methods(x):
    items = [3.0, 1.0, 2.0]
    items.append(x)
    items.insert(1, 10.0)
    items.insert(-100, -1.0)
    items.insert(100, 99.0)
    items.extend([4.0, 5.0])
    items.extend((0.5, 1.5))
    last = items.pop()
    first = items.pop(0)
    middle = items.pop(-3)
    items.remove(2.0)
    return items, last, first, middle, items.index(10.0), items.count(1.0), 1.0 in items, 7.5 not in items


def index_with_bounds(x, start, stop):
    items = [1, 2, 3, 1, 2, 3]
    return items.index(x, start, stop)


def sort_and_reverse(a):
    items = [v for v in a]
    items.sort()
    ascending = items.copy()
    items.sort(reverse=True)
    backwards = list(ascending)
    backwards.reverse()
    return ascending, items, backwards, sorted(a), sorted(a, reverse=True)


def operators(n):
    a = [1, 2]
    b = a + [3]
    c = a * n
    d = n * [0]
    a += [4, 5]
    e = b
    e *= 2
    return a, b, c, d, e, [] + a


def aliasing(n):
    # Two names, one list: changes through either are seen by both, as in CPython.
    a = [0]
    b = a
    for i in range(n):
        b.append(i)
    a[0] = 100
    a += [7]
    return a, b, len(a) == len(b)


def slices(n):
    items = list(range(n))
    return items[1:4], items[::-1], items[::2], items[-3:], items[:-3], items[5:1:-2], items[100:], items[:]


def iteration(n):
    items = [i * 0.5 for i in range(n)]
    total = 0.0
    for i, v in enumerate(items):
        total += i * v
    for v in reversed(items):
        total -= v
    for p, q in zip(items, items[1:]):
        total += p * q
    return total, sum(items), min(items), max(items), any(items), all(items), sum(v * v for v in items)


def grows_while_iterating(n):
    items = [1]
    for v in items:
        if v < n:
            items.append(v * 2)
    return items


def shrinks_while_iterating(n):
    items = list(range(n))
    seen = []
    for v in items:
        seen.append(v)
        items.pop()
    return seen, items


def reversed_while_shrinking(n):
    items = list(range(n))
    seen = []
    for v in reversed(items):
        seen.append(v)
        if items:
            items.pop(0)
    return seen


def stack_of_tuples(n):
    stack = [(0, n)]
    total = 0
    while stack:
        lo, hi = stack.pop()
        if hi - lo <= 1:
            total += lo
            continue
        mid = (lo + hi) // 2
        stack.append((lo, mid))
        stack.append((mid, hi))
    return total


def pairs_in(n):
    pairs = [(i, i * i) for i in range(n)]
    return (2, 4) in pairs, (2, 5) in pairs, pairs.index((3, 9)), pairs.count((1, 1)), pairs[-1]


def truth_and_clear(n):
    items = list(range(n))
    was = bool(len(items))
    items.clear()
    if items:
        return -1
    return 1 if was else 0


def list_of_bools_and_ints(a):
    flags = [v > 0 for v in a]
    counts = [int(v) for v in a]
    return flags, counts, sum(flags)


def numpy_items(a):
    # Items keep the NumPy type they are appended with, as in CPython.
    out = []
    for v in a:
        out.append(v)
    return out


def printed(n):
    print([i * 1.5 for i in range(n)], [(1, 2)], [])


@pytest.mark.parametrize("function,args", [
    (primes_below, (60,)),
    (primes_below, (2,)),
    (odd_squares, (9,)),
    (odd_squares, (0,)),
    (nested_comprehension, (5,)),
    (comprehension_over_array, (np.array([1.0, -2.0, 3.5, 0.0]),)),
    (display_and_index, (2, 0)),
    (display_and_index, (2, -2)),
    (display_and_index, (2, 3)),
    (display_and_index, (2, -4)),
    (methods, (7.5,)),
    (index_with_bounds, (1, 1, 6)),
    (index_with_bounds, (3, -2, 100)),
    (index_with_bounds, (1, 1, 3)),
    (index_with_bounds, (9, 0, 6)),
    (sort_and_reverse, (np.array([3.0, -1.0, 2.5, 0.0, 2.5]),)),
    (sort_and_reverse, (np.array([5, 1, 4], dtype=np.int32),)),
    (operators, (3,)),
    (operators, (0,)),
    (operators, (-1,)),
    (aliasing, (4,)),
    (slices, (10,)),
    (slices, (0,)),
    (iteration, (6,)),
    (iteration, (1,)),
    (grows_while_iterating, (100,)),
    (shrinks_while_iterating, (7,)),
    (reversed_while_shrinking, (6,)),
    (stack_of_tuples, (100,)),
    (pairs_in, (6,)),
    (truth_and_clear, (3,)),
    (truth_and_clear, (0,)),
    (list_of_bools_and_ints, (np.array([1.5, -2.0, 0.0]),)),
    (numpy_items, (np.array([1, 2, 3], dtype=np.int16),)),
    (numpy_items, (np.array([0.5, 2.0], dtype=np.float32),)),
])
def test_lists_match_cpython(function, args):
    check(function, *args)


def pop_empty(n):
    items = [1.0] * n
    items.pop()
    return items.pop()


def pop_out_of_range(i):
    return [1, 2, 3].pop(i)


def index_missing(x):
    return [1.5, 2.5].index(x)


def remove_missing(x):
    items = [1, 2]
    items.remove(x)
    return items


def store_out_of_range(i):
    items = [0, 0]
    items[i] = 1
    return items


def slice_step_zero(n):
    return list(range(n))[::0]


def min_of_empty(n):
    return min([0.5] * n)


@pytest.mark.parametrize("function,args", [
    (pop_empty, (1,)),
    (pop_out_of_range, (3,)),
    (pop_out_of_range, (-4,)),
    (index_missing, (3.0,)),
    (remove_missing, (5,)),
    (store_out_of_range, (2,)),
    (store_out_of_range, (-3,)),
    (display_and_index, (2, 5)),
    (slice_step_zero, (3,)),
    (min_of_empty, (0,)),
])
def test_list_errors_match_cpython(function, args):
    check(function, *args)


def test_printed_lists_match_cpython(capfd):
    accel.jit(printed)(3)
    compiled = capfd.readouterr().out
    printed(3)
    assert compiled == capfd.readouterr().out == "[0.0, 1.5, 3.0] [(1, 2)] []\n"


def test_a_failed_call_leaks_no_list():
    # The conftest fixture counts list blocks too: the lists made before the error go.
    with pytest.raises(IndexError, match="pop from empty list"):
        accel.jit(pop_empty)(1)


def mixed_display(x):
    return [1, x]


def int_appended_to_floats(n):
    items = [0.5]
    items.append(n)
    return items


def numpy_beside_python(a):
    return [np.float32(a), 0.1]


def test_items_take_the_list_item_type():
    # docs/semantics.md: one item type per list; an int put in a list of floats becomes a float.
    assert accel.jit(mixed_display)(2.5) == [1.0, 2.5]
    got = accel.jit(int_appended_to_floats)(3)
    assert got == [0.5, 3.0] and type(got[1]) is float
    assert int_appended_to_floats(3)[1] == 3  # CPython keeps the int
    # Beside a NumPy number, a Python float counts as float64, as np.array takes it.
    got = accel.jit(numpy_beside_python)(1.0)
    assert type(got[1]) is np.float64 and got[1] == 0.1


def float_into_ints(x):
    items = [1, 2]
    items.append(x)
    return items


def never_known(n):
    items = []
    return len(items)


def array_items(a):
    return [a, a]


def mixed_kinds(a):
    return [1, (2, 3)]


def sort_with_key(n):
    items = [3, 1]
    items.sort(key=abs)
    return items


def list_plus_array(a):
    return [1.0] + a


def unknown_method(n):
    items = [1]
    items.frobnicate()
    return items


@pytest.mark.parametrize("function,args,message", [
    (float_into_ints, (2.5,), "a list of int cannot hold a float"),
    (never_known, (1,), "what this list holds is never known"),
    (array_items, (np.zeros(2),), "lists in compiled code hold numbers or tuples of numbers"),
    (mixed_kinds, (np.zeros(2),), "a list holds one type of item"),
    (sort_with_key, (1,), "takes no key="),
    (list_plus_array, (np.zeros(2),), "unsupported operand type"),
    (unknown_method, (1,), "'list' object has no attribute 'frobnicate'"),
])
def test_what_lists_refuse_is_a_clear_compile_error(function, args, message):
    with pytest.raises(accel.CompileError, match=message):
        accel.jit(function)(*args)


def total(items):
    s = 0.0
    for v in items:
        s += v
    return s


def append_range(items, n):
    for i in range(n):
        items.append(i * 0.5)
    return len(items)


def sort_and_return(items):
    items.sort()
    return items


def change_then_raise(items):
    items[0] = 99
    items.append(7)
    raise ValueError("after the change")


def sum_pairs(pairs):
    return [a * b for a, b in pairs]


def reads_only(items):
    return items[-1] + len(items)


def copy_and_change(items):
    other = items.copy()
    other.append(1)
    return other


@pytest.mark.parametrize("function,args", [
    (total, ([1.0, 2.5, 3.0],)),
    (total, ([1, 2, 3],)),
    (append_range, ([1.0, 2.0], 3)),
    (sort_and_return, ([3, 1, 2],)),
    (sort_and_return, ([np.float32(2.5), np.float32(-1.0)],)),
    (change_then_raise, ([1, 2],)),
    (sum_pairs, ([(1, 2.5), (3, 4.0)],)),
    (reads_only, ([True, False],)),
    (copy_and_change, ([5, 6],)),
])
def test_list_arguments_are_reflected_as_in_cpython(function, args):
    # A list argument is the caller's list: what the function changes in it is there
    # afterwards (also when it then raises), and returning it returns the same object.
    import copy
    theirs, mine = copy.deepcopy(args), copy.deepcopy(args)
    expected, _ = outcome(function, theirs)
    got, _ = outcome(accel.jit(function), mine)
    assert got[0] == expected[0] and (got[0] == "value" and same_value(got[1], expected[1]) or got[1:] == expected[1:])
    for m, t in zip(mine, theirs):
        assert same_value(m, t), (m, t)
    if function is sort_and_return:
        items = list(args[0])
        assert accel.jit(function)(items) is items


def test_an_unchanged_list_argument_is_not_rewritten():
    items = [1.0, 2.0]
    before = [id(v) for v in items]
    assert accel.jit(total)(items) == 3.0
    assert [id(v) for v in items] == before  # the same float objects: nothing written back


@pytest.mark.parametrize("argument,message", [
    ([], "argument 1 is an empty list"),
    ([1, 2.5], r"holds an item of type 'float' at \[1\] and one of type 'int' at \[0\]"),
    ([np.zeros(2)], r"holds an item of type 'numpy.ndarray' at \[0\]"),
    ([(1, 2), (1, 2.0)], r"holds an item of type 'tuple' at \[1\]"),
    ([[1]], r"holds an item of type 'list' at \[0\]"),
])
def test_list_arguments_compiled_code_cannot_hold_are_a_clear_type_error(argument, message):
    with pytest.raises(TypeError, match=message):
        accel.jit(total)(argument)


def append_in_prange(n):
    out = []
    for i in accel.prange(n):
        out.append(i)
    return len(out)


def test_a_prange_loop_that_appends_runs_serially():
    compiled = accel.jit(append_in_prange, parallel=True)
    with pytest.warns(accel.ParallelSafetyWarning, match="may write into an array or a list"):
        assert compiled(10000) == 10000


def sort_floats(a):
    items = [v for v in a]
    items.sort()
    return items


def test_nan_sorts_last():
    # docs/semantics.md: list.sort() orders NaN last, as np.sort does (CPython's order
    # with NaN depends on where it stands).
    got = accel.jit(sort_floats)(np.array([2.0, np.nan, 1.0]))
    assert got[:2] == [1.0, 2.0] and math.isnan(got[2])


def private_lists_in_prange(n):
    weights = [0.5, 1.5, 2.5]
    out = np.zeros(n)
    for i in accel.prange(n):
        parts = [i * w for w in weights]
        parts.append(1.0)
        out[i] = sum(parts) + weights[i % 3]
    return out


def aliased_list_in_prange(n):
    shared = [0.0]
    for i in accel.prange(n):
        alias = shared
        alias.append(1.0)
    return len(shared)


def test_a_list_each_iteration_makes_for_itself_runs_in_parallel():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", accel.ParallelSafetyWarning)
        got = accel.jit(private_lists_in_prange, parallel=True)(50_000)
    np.testing.assert_array_equal(got, private_lists_in_prange(50_000))
    # A name bound to a list from outside is not the iteration's own: serial.
    with pytest.warns(accel.ParallelSafetyWarning, match="may write into an array or a list"):
        assert accel.jit(aliased_list_in_prange, parallel=True)(1000) == 1001
