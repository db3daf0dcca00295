"""timing.measure: how many calls it makes and what it checks, never how long they took."""
import pytest

from accel.bench.timing import measure


def counting_call():
    calls = []

    def call():
        calls.append(len(calls))
        return len(calls)
    return call, calls


def test_first_call_is_apart_from_the_repeats_and_every_result_is_checked():
    call, calls = counting_call()
    checked = []
    timing = measure(call, 4, checked.append)
    assert len(calls) == 5 and len(timing.samples) == 4
    assert checked == [1, 2, 3, 4, 5]
    assert timing.fastest <= timing.median <= timing.slowest


def test_a_spent_budget_stops_after_one_repeat():
    call, calls = counting_call()
    timing = measure(call, 10, lambda result: None, budget=0.0)
    assert len(calls) == 2 and len(timing.samples) == 1


def test_progress_hears_of_every_call():
    call, _ = counting_call()
    heard = []
    measure(call, 3, lambda result: None, heard.append)
    assert heard == [0, 1, 2, 3]


@pytest.mark.parametrize("repeats", [0, -1])
def test_measure_refuses_no_repeats(repeats):
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        measure(lambda: 0, repeats, check=lambda result: None)
