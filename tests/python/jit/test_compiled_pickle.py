"""A pickled @accel.jit function carries its machine code: a fresh process loads the
object code instead of compiling (accel._jit.compilation_count stays 0 there), unless
its CPU lacks a feature the code was compiled with."""
import json
import os
import pickle
import subprocess
import sys

import cloudpickle
import numpy as np
import pytest

import accel
from accel import _core, _jit

import compiled_pickle_functions as fns

# Runs in a fresh interpreter: unpickles a list of (function, args) — a function may
# come as (rebuild, rebuild_args) to be rebuilt here — calls each and its py_func, and
# prints what it saw as JSON on the last line: per call, whether the results are equal
# and how many signatures the call compiled.
CHILD = r"""
import json, pickle, sys
import numpy as np
sys.path.insert(0, sys.argv[2])
from accel import _jit

def same(a, b):
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-12))
    return type(a) is type(b) and bool(np.isclose(a, b, rtol=1e-12))

with open(sys.argv[1], "rb") as f:
    payload = f.read()
report = {"equal": [], "loaded_signatures": [], "counts": []}
for round in range(int(sys.argv[3])):
    for function, args, extra_args in pickle.loads(payload):
        if isinstance(function, tuple):
            function = function[0](*function[1])
        report["loaded_signatures"].append(len(function.signatures))
        for call_args in [args, *extra_args]:  # extra_args: signatures nobody compiled before
            before = _jit.compilation_count
            got = function(*call_args)
            # Compilations by this call alone: py_func, run next, may call jitted functions too.
            report["counts"].append(_jit.compilation_count - before)
            report["equal"].append(same(got, function.py_func(*call_args)))
print(json.dumps(report))
"""


def run_in_fresh_process(tmp_path, jobs, rounds=1):
    path = tmp_path / "payload.pickle"
    path.write_bytes(cloudpickle.dumps(jobs))
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), os.path.dirname(__file__), str(rounds)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def cases():
    rng = np.random.default_rng(3)
    a = rng.random(1000)
    return [
        (fns.polynomial, (4, 2.5)),
        (fns.polynomial, (np.int32(-3), 5)),
        (fns.scaled, (a, 0.5)),
        (fns.lowest_highest, (rng.integers(-50, 50, 100),)),
        (fns.sum_of_squares, (a,)),
        (fns.parallel_total, (np.arange(10_000),)),
        (fns.dot, (a, a[::-1].copy())),
    ]


def test_unpickled_functions_run_without_compiling(tmp_path):
    jobs = []
    for function, args in cases():
        _jit.compile_for_args(function, args)
        jobs.append((function, args, ()))
    report = run_in_fresh_process(tmp_path, jobs)
    assert report["equal"] == [True] * len(jobs)
    assert all(n >= 1 for n in report["loaded_signatures"])
    assert report["counts"] == [0] * len(jobs)


def test_defaults_bind_in_compile_for_args_and_after_loading(tmp_path):
    a = np.linspace(-1.0, 1.0, 50)
    _jit.compile_for_args(fns.scaled, (a,))  # factor takes its default, a float
    report = run_in_fresh_process(tmp_path, [(fns.scaled, (a,), ())])
    assert report == {"equal": [True], "loaded_signatures": [len(fns.scaled.signatures)], "counts": [0]}


def with_extra_feature(function, feature):
    """The pickle of `function`, as a (rebuild, args) pair, with `feature` added to
    every specialization's CPU features."""
    rebuild, (py_func, settings, records, *rest) = function.__reduce__()
    assert records, "nothing compiled to send"
    records = [record[:6] + (record[6] + "," + feature,) for record in records]
    return (rebuild, (py_func, settings, records, *rest))


def test_code_needing_a_missing_cpu_feature_is_compiled_again(tmp_path):
    args = (6, 1.5)
    _jit.compile_for_args(fns.polynomial, args)
    job = (with_extra_feature(fns.polynomial, "+nonexistent-feature"), args, ())
    report = run_in_fresh_process(tmp_path, [job])
    assert report == {"equal": [True], "loaded_signatures": [0], "counts": [1]}
    # The unedited records load: the edit alone made the difference.
    report = run_in_fresh_process(tmp_path, [(with_extra_feature(fns.polynomial, "-sse2"), args, ())])
    assert report["counts"] == [0]


def test_unpickling_twice_in_one_process(tmp_path):
    a = np.arange(20.0)
    _jit.compile_for_args(fns.sum_of_squares, (a,))
    _jit.compile_for_args(fns.parallel_total, (np.arange(100),))
    jobs = [(fns.sum_of_squares, (a,), ()), (fns.parallel_total, (np.arange(100),), ())]
    report = run_in_fresh_process(tmp_path, jobs, rounds=2)
    assert report["equal"] == [True] * 4
    assert report["counts"] == [0] * 4
    # And here, where the code was compiled: loading links nothing new.
    before = _jit.compilation_count
    payload = cloudpickle.dumps(fns.sum_of_squares)
    first, second = pickle.loads(payload), pickle.loads(payload)
    assert first is not fns.sum_of_squares
    results = first(a), second(a)
    assert _jit.compilation_count == before
    assert results[0] == results[1] == fns.sum_of_squares.py_func(a)


def test_a_new_signature_after_loading_is_compiled(tmp_path):
    _jit.compile_for_args(fns.polynomial, (2, 3))
    job = (fns.polynomial, (2, 3), [(2.5, np.float32(1.5)), (np.uint8(5), True)])
    report = run_in_fresh_process(tmp_path, [job])
    assert report["equal"] == [True, True, True]
    assert report["counts"] == [0, 1, 1]


def test_a_function_never_called_pickles_and_compiles_where_it_runs(tmp_path):
    never_called = accel.jit(fns.square.py_func)
    assert _core.export_specializations(never_called) == []
    report = run_in_fresh_process(tmp_path, [(never_called, (9,), ())])
    assert report == {"equal": [True], "loaded_signatures": [0], "counts": [1]}


def test_compile_for_args_compiles_without_running():
    function = accel.jit(fns.fill.py_func)
    out = np.zeros(5)
    before = _jit.compilation_count
    _jit.compile_for_args(function, (out, 3.0))
    assert _jit.compilation_count == before + 1
    assert len(function.signatures) == 1
    assert not out.any()  # not called
    _jit.compile_for_args(function, [out], {"value": 4.0})  # the same signature: nothing to do
    assert _jit.compilation_count == before + 1
    _jit.compile_for_args(function, (out, 3))
    assert len(function.signatures) == 2
    with pytest.raises(TypeError):
        _jit.compile_for_args(function, (out,))  # binds like a call: `value` is missing
    with pytest.raises(TypeError):
        _jit.compile_for_args(function, ("text", 1))


def test_records_name_the_code_and_the_cpu_it_was_compiled_for():
    _jit.compile_for_args(fns.lowest_highest, (np.arange(3),))
    triple, cpu, features = _core.host_target()
    for codes, entry, object_code, return_type, r_triple, r_cpu, r_features in \
            _core.export_specializations(fns.lowest_highest):
        assert isinstance(codes, tuple) and len(codes) == 1
        assert entry.startswith("accel.") and "lowest_highest" in entry
        assert isinstance(object_code, bytes) and len(object_code) > 100
        assert return_type.startswith("(")  # a tuple
        assert (r_triple, r_cpu, r_features) == (triple, cpu, features)
    assert cpu == _core.host_cpu()
