"""Compile errors: file, line, column, caret, and what to do instead."""
import numpy as np
import pytest

import accel

GLOBAL_LIST = [1, 2, 3]


def uses_walrus(n):
    total = 0
    for i in range(n):
        total += (k := i)
    return total


def uses_a_set_of_arrays(n):
    return {np.zeros(n)}


def uses_string(n):
    return "hello" * n


def uses_global_list(i):
    return GLOBAL_LIST[i]


def uses_undefined(n):
    return n + undefined_name  # noqa: F821


def mixes_types(n):
    if n > 0:
        x = 1
    else:
        x = (1, 2)
    return x


def returns_two_types(n):
    if n:
        return 1
    return (1, 2)


def float_index(x):
    return x[1.5]


def too_many_indices(x):
    return x[0, 0]


def array_truth(x):
    if x:
        return 1
    return 0


def prints(n):
    print(n, flush=True)
    return n


def lambda_inside(n):
    return (lambda v: v)(n)  # not bound to a name (bound ones compile: test_inner_functions.py)


def test_error_names_file_line_column_and_shows_a_caret():
    f = accel.jit(uses_walrus)
    with pytest.raises(accel.CompileError) as info:
        f(3)
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0].startswith(
        f'File "{__file__}", line {uses_walrus.__code__.co_firstlineno + 3}, column 19, in uses_walrus')
    assert lines[1] == "            total += (k := i)"
    assert lines[2] == "                      ^^^^^^"
    assert "the walrus operator := are not supported" in message
    assert "Assign on a line of its own" in message  # says what to write instead
    assert info.value.lineno == uses_walrus.__code__.co_firstlineno + 3
    assert info.value.col == 19


@pytest.mark.parametrize("function,args,needle", [
    (uses_a_set_of_arrays, (1,), "unhashable type: 'array'"),
    (uses_string, (1,), "unsupported operand type(s) for *: 'str' and 'int'"),
    (uses_global_list, (0,), "global 'GLOBAL_LIST' is a list"),
    (uses_undefined, (1,), "name 'undefined_name' is not defined"),
    (mixes_types, (1,), "variable 'x' holds"),
    (returns_two_types, (1,), "returns a int on one path"),
    (float_index, (np.zeros(3),), "array indices must be integers"),
    (too_many_indices, (np.zeros(3),), "too many indices for array"),
    (array_truth, (np.zeros(3),), "truth value of an array is ambiguous"),
    (prints, (1,), "print() takes sep= and end= in compiled code, not flush="),
    (lambda_inside, (1,), "lambda are not supported"),
])
def test_unsupported_constructs_raise_compile_error(function, args, needle):
    f = accel.jit(function)
    with pytest.raises(accel.CompileError) as info:
        f(*args)
    assert needle in str(info.value)
    assert "^" in str(info.value)


def test_type_errors_are_also_type_error():
    f = accel.jit(mixes_types)
    with pytest.raises(TypeError):
        f(1)


def test_function_keeps_working_after_errors():
    @accel.jit
    def get(x, i):
        return x[i]
    with pytest.raises(accel.CompileError):
        get(np.zeros(3), 1.5)
    with pytest.raises(TypeError):
        get("abc", 1)
    with pytest.raises(IndexError):
        get(np.zeros(3), 3)
    assert get(np.arange(3.0), 2) == 2.0


def test_error_in_a_callee_points_into_the_callee():
    def caller(n):
        return uses_string(n) + 1
    with pytest.raises(accel.CompileError) as info:
        accel.jit(caller)(1)
    assert "in uses_string" in str(info.value)
    assert 'return "hello"' in str(info.value)


def test_numba_options_that_change_nothing_are_accepted_the_rest_refused_by_name():
    # numba's options whose values mean what accel does anyway are accepted ...
    f = accel.jit(looplift=True, forceobj=False, debug=False, target="cpu", inline="always",
                  locals={})(add_one)
    assert f(1) == add_one(1)
    # ... a value asking for what accel does not do is refused, never ignored.
    for option, value, why in [("forceobj", True, "object mode"), ("debug", True, "debug information"),
                               ("target", "cuda", "CPU only"), ("inline", len, "cost-model"),
                               ("locals", {"x": accel.float64}, "local variables")]:
        with pytest.raises(NotImplementedError, match=why):
            accel.jit(**{option: value})
    with pytest.raises(TypeError, match="unexpected keyword"):
        accel.jit(bogus=1)
    with pytest.raises(TypeError):
        accel.jit(42)


def add_one(x):
    return x + 1


def test_wrong_argument_count_raises_type_error_like_python():
    f = accel.jit(uses_a_set_of_arrays)
    with pytest.raises(TypeError, match="missing a required argument|positional"):
        f()
    with pytest.raises(TypeError):
        f(1, 2)
