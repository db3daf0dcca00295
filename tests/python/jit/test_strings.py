"""String constants, f-strings, str() and print() in compiled code, compared with CPython
running the same function: the same text, the same output, the same errors."""
import contextlib
import io

import numpy as np
import pytest

import accel
from reference import check


def printed(function, *args):
    """(what function(*args) wrote to sys.stdout, its outcome)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            result = ("value", function(*args))
        except Exception as error:  # noqa: BLE001 - compared with the other run
            result = ("error", type(error), str(error))
    return out.getvalue(), result


def check_output(function, *args):
    expected = printed(function, *args)
    got = printed(accel.jit(function), *args)
    assert got == expected
    return got[0]


def constant():
    return "text with ünïcode"


def formats(x, n):
    return f"{x}|{x:.3f}|{n:5d}|{n}|{n:<6}|{x!r}|{x:e}|{n:,}|{n:x}|{-n:+d}|{x:10.2%}|{n:.2f}"


def formats_numpy(a, b, c):
    return f"{a} {b} {c} {a:.2f} {b:>4} {c!r}"


def formats_others(x, a):
    t = (x, 2, (True, None))
    return f"{t} {a} {a * 2.0} {None} {'inner'} {'s'!r:>5}"


def through_variables(n):
    s = "start"
    for i in range(n):
        s = f"{s}-{i}"
    return s


def str_of(x, n, b):
    return str(x), str(n), str(b), str(), str("s"), str((x, n))


def bad_spec(x):
    return f"{x:d}"


def bad_spec_for_int(n):
    return f"{n:.3q}"


@pytest.mark.parametrize("function,args", [
    (constant, ()),
    (formats, (3.14159, 12345678)), (formats, (-0.0, 0)), (formats, (1e22, -5)), (formats, (float("nan"), 7)),
    (formats, (1e-7, 1)),
    (formats_numpy, (np.float32(1.1), np.int8(-3), np.uint64(2**64 - 1))),
    (formats_numpy, (np.float64(2.5), np.int32(7), np.bool_(True))),
    (formats_others, (0.1, np.arange(4.0))),
    (through_variables, (4,)),
    (str_of, (0.1 + 0.2, -7, True)),
    (bad_spec, (1.5,)), (bad_spec_for_int, (3,)),
])
def test_like_cpython(function, args):
    check(function, *args)


def prints(x, n, a):
    print(x, n, "text", (1, 2.5), None, True)
    print(a)
    print(a.reshape(2, 3) * 1.5)
    print(np.float32(x), np.int16(n), a[1], a > 2)
    print(x, n, sep=", ", end="!\n")
    print()
    print(f"{x:.2f}", end="")
    print("done")


def prints_a_large_array(n):
    print(np.arange(n) * 0.5)
    print(np.zeros((n, 3)))


def prints_in_a_loop(n):
    total = 0
    for i in range(n):
        total += i
        print("step", i, total)
    return total


def prints_and_raises(x):
    print("before")
    if x > 1:
        raise ValueError(f"x is {x}, more than 1")
    print("after")
    return x


def test_print_like_cpython():
    text = check_output(prints, 0.1, 3, np.arange(6))
    assert "[0 1 2 3 4 5]" in text
    check_output(prints_a_large_array, 2000)
    check_output(prints_in_a_loop, 5)
    check_output(prints_and_raises, 2)
    check_output(prints_and_raises, 0)


def test_formatted_messages():
    compiled = accel.jit(prints_and_raises)
    with pytest.raises(ValueError, match="x is 5, more than 1"):
        with contextlib.redirect_stdout(io.StringIO()):
            compiled(5)


def test_no_leaks_and_usable_after_errors():
    start = accel._core.live_array_blocks()
    compiled = accel.jit(through_variables)
    assert compiled(50) == through_variables(50)
    failing = accel.jit(bad_spec)
    for _ in range(3):
        with pytest.raises(ValueError):
            failing(1.5)
    raising = accel.jit(prints_and_raises)
    with contextlib.redirect_stdout(io.StringIO()):
        for x in [5, 0, 7]:
            try:
                raising(x)
            except ValueError:
                pass
    assert accel._core.live_array_blocks() == start


def print_in_prange(n):
    s = 0
    for i in accel.prange(n):
        print(i)
        s += i
    return s


def test_print_in_a_prange_loop_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="not supported inside a prange loop"):
        accel.jit(parallel=True)(print_in_prange)(100)


def print_to_file(x):
    print(x, file=None)


def string_arithmetic(x):
    return "a" + "b"


def dynamic_width(x, w):
    return f"{x:{w}}"


@pytest.mark.parametrize("function,args,reason", [
    (print_to_file, (1,), "print() takes sep= and end="),
    (string_arithmetic, (1,), "unsupported operand type(s) for +: 'str' and 'str'"),
    (dynamic_width, (1, 3), "a format spec with replacement fields"),
])
def test_refused_with_a_reason(function, args, reason):
    with pytest.raises(accel.CompileError) as info:
        accel.jit(function)(*args)
    assert reason in str(info.value)
