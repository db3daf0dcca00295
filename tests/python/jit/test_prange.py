"""prange and parallel=True: results equal to the serial loop (CPython running it)."""
import threading

import numpy as np
import pytest

import accel
from accel import prange
from reference import check


def parallel(function):
    return accel.jit(parallel=True)(function)


def int_sum(x):
    s = 0
    for i in accel.prange(len(x)):
        s += x[i]
    return s


def float_sum_and_product(x):
    s = 0.0
    p = 1.0
    for i in accel.prange(len(x)):
        s += x[i]
        p *= 1.0 + x[i] / 1000.0
    return s, p


def minimum_maximum(x):
    lo = x[0]
    hi = x[0]
    for i in accel.prange(len(x)):
        lo = min(lo, x[i])
        hi = max(x[i], hi)
    return lo, hi


def subtract(x):
    s = 100
    for i in accel.prange(len(x)):
        s -= x[i]
    return s


def fill_squares(out):
    for i in accel.prange(len(out)):
        v = i * i
        out[i] = v


def fill_rows(out):
    for i in accel.prange(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = i * 100 + j


def stepped(start, stop, step, out):
    total = 0
    for i in accel.prange(start, stop, step):
        total += i
        out[i] = i
    return total


def nested_prange(out):
    for i in accel.prange(out.shape[0]):
        for j in accel.prange(out.shape[1]):
            out[i, j] = i - j


def last_value(n):
    v = -1
    for i in accel.prange(n):
        v = i * 2
    return v


def out_of_bounds(x, k):
    s = 0.0
    for i in accel.prange(len(x)):
        s += x[i * k]
    return s


def divides(x):
    s = 0
    for i in accel.prange(len(x)):
        s += 100 // int(x[i])
    return s


@pytest.mark.parametrize("n", [0, 1, 7, 1000, 100_003])
def test_reductions_match_the_serial_loop(n):
    ints = np.arange(n, dtype=np.int64) % 97 - 40
    if n == 0:  # one type per variable: the empty sum is np.int64(0), see docs/semantics.md #2
        assert parallel(int_sum)(ints) == 0 and parallel(subtract)(ints) == 100
        return
    check(int_sum, ints, compiled=parallel(int_sum))
    check(subtract, ints, compiled=parallel(subtract))
    if n:
        check(minimum_maximum, ints.astype(np.float64), compiled=parallel(minimum_maximum))
        check(minimum_maximum, ints.astype(np.int32), compiled=parallel(minimum_maximum))


def test_float_reductions_agree_up_to_summation_order():
    x = np.random.default_rng(1).random(100_001)
    got = parallel(float_sum_and_product)(x)
    expected = float_sum_and_product(x)
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_array_fills_and_nested_loops():
    check(fill_squares, np.zeros(1001, dtype=np.int64), compiled=parallel(fill_squares))
    check(fill_rows, np.zeros((37, 11)), compiled=parallel(fill_rows))
    check(nested_prange, np.zeros((9, 13), dtype=np.int32), compiled=parallel(nested_prange))


@pytest.mark.parametrize("start,stop,step", [(0, 50, 3), (49, -1, -1), (49, 0, -7), (10, 10, 1), (5, 50, 45)])
def test_negative_and_non_unit_steps(start, stop, step):
    check(stepped, start, stop, step, np.zeros(50, dtype=np.int64), compiled=parallel(stepped))


def test_private_variables_end_with_the_last_iterations_value():
    check(last_value, 1000, compiled=parallel(last_value))
    check(last_value, 0, compiled=parallel(last_value))


def test_exceptions_inside_surface_once_with_the_serial_message():
    x = np.zeros(1000)
    check(out_of_bounds, x, 2, compiled=parallel(out_of_bounds))
    with_zeros = np.arange(1, 1001)
    with_zeros[[300, 700]] = 0
    check(divides, with_zeros, compiled=parallel(divides))


def test_prange_without_parallel_is_range():
    x = np.arange(100)
    assert accel.jit(int_sum)(x) == int_sum(x) == 4950
    assert list(accel.prange(2, 10, 3)) == [2, 5, 8]


def carried(x):
    for i in accel.prange(1, len(x)):
        x[i] = x[i - 1] + 1


def carried_scalar(x):
    prev = 0.0
    for i in accel.prange(len(x)):
        x[i] = prev
        prev = x[i] + 1


def shared_write(h, x):
    for i in accel.prange(len(x)):
        h[x[i]] += 1


def breaks(x):
    for i in accel.prange(len(x)):
        if x[i] > 0:
            break


def reads_reduction(x):
    s = 0.0
    for i in accel.prange(len(x)):
        s += x[i]
        x[i] = s


@pytest.mark.parametrize("function,args,needle", [
    (carried, (np.zeros(5),), "another iteration may write"),
    (carried_scalar, (np.zeros(5),), "carries a value from one iteration to the next"),
    (shared_write, (np.zeros(5), np.zeros(5, dtype=np.int64)), "two iterations may write the same element"),
    (breaks, (np.zeros(5),), "break out of a prange loop"),
    (reads_reduction, (np.zeros(5),), "reduction variable"),
])
def test_loops_with_dependencies_between_iterations_are_refused(function, args, needle):
    with pytest.raises(accel.CompileError, match=needle):
        parallel(function)(*args)
    accel.jit(function)(*args)  # the same loop runs serially without parallel=True


def test_many_calls_from_several_python_threads():
    f = accel.jit(parallel=True, nogil=True)(int_sum)
    x = np.arange(10_000)
    results = []

    def run():
        for _ in range(50):
            results.append(f(x))
    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [int_sum(x)] * 150


def test_thread_count_setting():
    before = accel.get_num_threads()
    try:
        accel.set_num_threads(1)
        assert accel.get_num_threads() == 1
        assert parallel(int_sum)(np.arange(1000)) == 499500
    finally:
        accel.set_num_threads(before)
    with pytest.raises(ValueError):
        accel.set_num_threads(0)
    with pytest.raises(TypeError):
        accel.set_num_threads(1.5)


def array_expression(a, b, out):
    out[1:-1] = a[:-2] * b[2:] + np.sqrt(np.abs(a[1:-1])) - b[1:-1] ** 2
    return a * b + a / 2 - b ** 2


@pytest.mark.parametrize("n", [10, 200_000])
def test_parallel_array_expressions_equal_numpy(n):
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal(n), rng.standard_normal(n)
    out_expected, out_got = np.zeros(n), np.zeros(n)
    expected = array_expression(a, b, out_expected)
    got = parallel(array_expression)(a, b, out_got)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(out_got, out_expected)


def int_power(a, e):
    return a ** e


def test_errors_in_parallel_array_expressions_surface_once():
    with pytest.raises(ValueError, match="negative integer powers"):
        parallel(int_power)(np.arange(100_000), -1)


def imported_prange(x):
    s = 0
    for i in prange(len(x)):
        s += x[i]
    return s


def test_prange_imported_by_name():
    assert parallel(imported_prange)(np.arange(1000)) == 499500


# --- loops the planner cannot prove safe run serially, never wrong (issue #17) --------

def array_accumulator(x):
    acc = np.zeros(x.shape[1])
    for i in prange(x.shape[0]):
        acc += x[i]
    return acc


def next_from_previous(a, i):
    a[i + 1] = a[i] + 1.0


def writes_through_a_call(a):
    for i in prange(len(a) - 1):
        next_from_previous(a, i)
    return a.sum()


def doubled(a, i):
    return a[i] * 2.0


def reads_through_a_call(a, out):
    for i in prange(len(a)):
        out[i] = doubled(a, i)
    return out.sum()


def writes_through_a_view(x):
    y = x[1:]
    for i in prange(len(y)):
        y[i] = x[i] + 1.0
    return x.sum()


def writes_one_argument_reads_another(out, x):
    for i in prange(len(out) - 1):
        out[i] = x[i + 1] + 1.0
    return out.sum()


def reductions_in_time_steps(steps, x):
    total = 0.0
    for step in range(steps):
        a = b = c = d = e = f = g = h = 0.0
        for i in prange(len(x)):
            a += x[i]
            b += x[i]
            c += x[i]
            d += x[i]
            e += x[i]
            f += x[i]
            g += x[i]
            h += x[i]
        total += a + b + c + d + e + f + g + h
    return total


def last_private(x):
    v = -1.0
    for i in prange(len(x)):
        v = x[i] * 2.0
    return v


def test_an_array_accumulator_runs_serially_with_a_warning():
    x = np.arange(3000.0).reshape(1000, 3)
    with pytest.warns(accel.ParallelSafetyWarning, match="updates the array 'acc' in place"):
        f = parallel(array_accumulator)
        f(x[:1])
    np.testing.assert_array_equal(f(x), array_accumulator(x))


def test_a_call_that_writes_its_array_argument_runs_serially_with_a_warning():
    with pytest.warns(accel.ParallelSafetyWarning, match="may write into an array"):
        f = parallel(writes_through_a_call)
        f(np.zeros(3))
    check(writes_through_a_call, np.zeros(1_000_000), compiled=f)


def test_a_call_that_only_reads_stays_parallel(recwarn):
    check(reads_through_a_call, np.arange(10_000.0), np.zeros(10_000), compiled=parallel(reads_through_a_call))
    assert not [w for w in recwarn if issubclass(w.category, accel.ParallelSafetyWarning)]


def test_arrays_sharing_memory_run_serially():
    check(writes_through_a_view, np.zeros(1_000_000), compiled=parallel(writes_through_a_view))
    f = parallel(writes_one_argument_reads_another)
    shared = np.zeros(1_000_000)
    expected = writes_one_argument_reads_another(shared.copy(), shared.copy())
    assert expected == 999_999.0  # distinct arrays: every element but the last is 1
    assert f(shared, shared) == writes_one_argument_reads_another_serially(np.zeros(1_000_000))
    check(writes_one_argument_reads_another, np.zeros(1000), np.arange(1000.0), compiled=f)


def writes_one_argument_reads_another_serially(x):
    for i in range(len(x) - 1):
        x[i] = x[i + 1] + 1.0
    return x.sum()


def test_a_reduction_prange_inside_a_serial_loop_keeps_the_stack_flat():
    # Each run used to take stack for its partial results (here 1 KiB) and never give
    # it back: 8 MiB of stack lasted some 8000 steps.
    f = parallel(reductions_in_time_steps)
    assert f(30_000, np.ones(64)) == 30_000 * 512.0


def test_private_values_come_back_from_the_last_iteration():
    for n in (1, 7, 10_000):
        check(last_private, np.arange(float(n)), compiled=parallel(last_private))
    assert parallel(last_private)(np.zeros(0)) == -1.0  # np.float64: one type per variable (#2)
