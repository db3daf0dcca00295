"""The differential fuzzer's fixed budget (issue #17): 2,000 random programs of the
documented subset agree between CPython and accel.jit (tests/fuzz/run.py; longer runs:
./dev fuzz --n N --seed S). Mismatches it finds become regression tests here."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fuzz"))
import run  # noqa: E402


def test_two_thousand_random_programs_agree_with_cpython():
    problems = run.fuzz(2000, seed=1)
    assert not problems, "\n\n".join(f"program {p['program']} ({p['why']}):\n{p['source']}"
                                     f"arguments {p['arguments']}" for p in problems[:5])
