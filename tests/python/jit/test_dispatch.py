"""The dispatcher: lazy specialization, introspection, keywords, pickling, threads."""
import pickle
import threading

import numpy as np

import accel


def add(a, b=1):
    return a + b


def test_one_specialization_per_signature_kept_for_later_calls():
    f = accel.jit(add)
    assert f.signatures == []
    assert f(1, 2) == 3
    assert f(1.5, 2) == 3.5
    assert f(np.float32(1), np.float32(2)) == np.float32(3)
    assert f(1, 2) == 3
    assert f.signatures == [("int", "int"), ("float", "int"), ("float32", "float32")]


def test_many_signatures_of_one_function_match_python():
    f = accel.jit(add)
    values = [1, -2.5, True, np.int8(3), np.uint16(7), np.float32(0.5), np.int64(-4), np.float64(2)]
    for a in values:
        for b in values:
            expected = add(a, b)
            got = f(a, b)
            assert got == expected and type(got) is type(expected), (a, b, got, expected)


def test_py_func_and_wrapper_metadata():
    f = accel.jit(add)
    assert f.py_func is add
    assert f.__name__ == "add" and f.__wrapped__ is add
    assert "accel.jit function add" in repr(f)


def test_inspect_llvm_shows_optimized_ir_per_signature():
    f = accel.jit(add)
    f(1, 2)
    ir = f.inspect_llvm()
    assert list(ir) == ["(int, int)"]
    assert "define" in ir["(int, int)"] and "add" in ir["(int, int)"]


def test_keywords_and_defaults_bind_like_python():
    f = accel.jit(add)
    assert f(5) == 6
    assert f(b=3, a=2) == 5
    assert f(2, b=0.5) == 2.5


def test_pickles_by_source_function():
    f = accel.jit(add)
    f(1, 2)
    g = pickle.loads(pickle.dumps(f))
    assert g(2, 3) == 5 and g.py_func is add


def test_nogil_functions_run_from_many_threads():
    def work(x):
        s = 0.0
        for v in x:
            s += v
        return s
    f = accel.jit(nogil=True)(work)
    data = np.arange(100_000.0)
    results = []

    def run():
        for _ in range(20):
            results.append(f(data))
    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [work(data)] * 80


def test_errors_are_per_thread():
    @accel.jit(nogil=True)
    def div(a, b):
        return a // b
    errors = []

    def run():
        for i in range(200):
            try:
                div(1, 0)
            except ZeroDivisionError as e:
                errors.append(str(e))
            assert div(7, 2) == 3
    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == ["integer division or modulo by zero"] * 600


def one_argument(a):
    return a + 1


def two_arguments(a, b):
    return a * 1000 + b


def test_an_imported_record_for_another_argument_count_is_never_called():
    # Records come from pickles and the cache: one made for two arguments must not
    # answer a one-argument call (it would read a second argument that is not there).
    two = accel.jit(two_arguments)
    assert two(3, 4) == 3004
    one = accel.jit(one_argument)
    for record in accel._core.export_specializations(two):
        accel._core.import_specialization(one, record)
    assert one(3) == 4
    single = accel.jit(one_argument)
    assert single(5) == 6
    other = accel.jit(two_arguments)
    for record in accel._core.export_specializations(single):
        accel._core.import_specialization(other, record)
    assert other(5, 6) == 5006
