"""The differential fuzzer's fixed budget (issue #17): 2,000 random programs of the
documented subset agree between CPython and accel.jit (tests/fuzz/run.py; longer runs:
./dev fuzz --n N --seed S). Mismatches it finds become regression tests here."""
import os
import sys

import numpy as np
import pytest

import accel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fuzz"))
import run  # noqa: E402


def test_two_thousand_random_programs_agree_with_cpython():
    problems = run.fuzz(2000, seed=1)
    assert not problems, "\n\n".join(f"program {p['program']} ({p['why']}):\n{p['source']}"
                                     f"arguments {p['arguments']}" for p in problems[:5])


# Mismatches the fuzzer found, each reduced to its cause and run against CPython.

def doubles_in_place(x):
    x[:] = x * 2.0
    return 1.0


def scaled_plus_call(x):
    # Python computes x * 3.0 before the call writes x; a fused loop read x after it.
    return float((x * 3.0 + doubles_in_place(x)).max())


def plus_call(x):
    # Here the addition itself comes after the call: it sees the doubled x, in both.
    return float((x + doubles_in_place(x)).max())


def masked_store_of_failing_value(a, x):
    # Python evaluates the value before the index: float division, not integer division.
    x[x > 1.0 // a] = 1.0 / a
    return x


def outcome(function, *arguments):
    try:
        return "value", function(*arguments)
    except Exception as error:  # noqa: BLE001 - compared with CPython's
        return type(error).__name__, str(error)


@pytest.mark.parametrize("function", [scaled_plus_call, plus_call])
def test_an_array_expression_reads_its_arrays_in_pythons_order_around_calls(function):
    x, y = np.arange(4.0), np.arange(4.0)
    assert accel.jit(function)(y) == function(x)
    assert np.array_equal(y, x)


def test_a_masked_store_evaluates_its_value_before_its_index():
    expected = outcome(masked_store_of_failing_value, 0, np.arange(3.0))
    assert expected == ("ZeroDivisionError", "float division by zero")
    assert outcome(accel.jit(masked_store_of_failing_value), 0, np.arange(3.0)) == expected
