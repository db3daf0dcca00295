"""np.array and np.asarray of lists, tuples and arrays in compiled code (issues #14, #15),
each against NumPy: values, dtype and shape, or NumPy's exception."""
import numpy as np
import pytest

import accel
from test_numpy_library import compare


def of_numbers(a, b):
    return np.array([a, b, 3])


def of_a_comprehension(n):
    return np.array([i * 0.5 for i in range(n)])


def of_pairs(n):
    return np.array([(i, i * i) for i in range(n)])


def of_a_tuple(a, b):
    return np.array((a, b))


def of_nested_displays(a):
    return np.array([[1, a], [3, 4], [5, 6]])


def of_tuples_of_tuples(a):
    return np.array(((a, 2.0), (3, 4)))


def with_dtype(a, b):
    return np.array([a, b], dtype=np.int8)


def nested_with_dtype(a):
    return np.array([[a, 1], [2, 3]], dtype=np.float32)


def mixed_numpy_and_python(a):
    return np.array([np.float32(a), 0.1])


def of_bools(a):
    return np.array([a > 0, a < 0, True])


def of_complex(a):
    return np.array([a, 2j])


def of_an_array(x):
    return np.array(x)


def of_an_array_cast(x):
    return np.array(x, dtype=np.float32)


def asarray_of_a_list(a):
    return np.asarray([a, a + 1])


def of_a_list_argument(items):
    return np.array(items)


@pytest.mark.parametrize("function,args", [
    (of_numbers, (1.5, 2)),
    (of_numbers, (1, 2)),
    (of_a_comprehension, (5,)),
    (of_a_comprehension, (0,)),
    (of_pairs, (4,)),
    (of_a_tuple, (1, 2.5)),
    (of_nested_displays, (2,)),
    (of_nested_displays, (2.5,)),
    (of_tuples_of_tuples, (1,)),
    (with_dtype, (1, 2)),
    (with_dtype, (1, 300)),
    (nested_with_dtype, (7,)),
    (mixed_numpy_and_python, (1.0,)),
    (of_bools, (1.0,)),
    (of_complex, (1.5,)),
    (of_an_array, (np.arange(6.0).reshape(2, 3)[:, ::2],)),
    (of_an_array_cast, (np.arange(4),)),
    (asarray_of_a_list, (3,)),
    (of_a_list_argument, ([1.0, 2.0, 4.5],)),
    (of_a_list_argument, ([(1, 2), (3, 4)],)),
])
def test_like_numpy(function, args):
    compare(accel.jit(function), function, *args)


def test_np_array_copies_and_np_asarray_does_not():
    x = np.arange(3.0)

    def copies(x):
        y = np.array(x)
        y[0] = 9.0
        return y

    def shares(x):
        y = np.asarray(x)
        y[0] = 9.0
        return y

    copied = accel.jit(copies)(x)
    assert x[0] == 0.0 and copied[0] == 9.0
    shared = accel.jit(shares)(x)
    assert x[0] == 9.0 and shared[0] == 9.0


def ragged(a):
    return np.array(((1, 2), (3,)))


def of_a_number(a):
    return np.array(a)


def complex_to_float(a):
    return np.array([1j, a], dtype=np.float64)


@pytest.mark.parametrize("function,args,message", [
    (ragged, (1,), "tuples of numbers of one length"),
    (of_a_number, (1.0,), "takes an array, a list or a tuple"),
    (complex_to_float, (1.0,), "can't convert complex to float64"),
])
def test_what_np_array_refuses_is_a_clear_compile_error(function, args, message):
    with pytest.raises(accel.CompileError, match=message):
        accel.jit(function)(*args)
