"""raise, assert and try statements in compiled code, each compared with CPython: the same
exception class, the same message, the same value after a handler ran; and the function
stays usable and leaks no array after any of them."""
import numpy as np
import pytest

import accel
from exception_functions import asserts
from reference import check


class ModuleError(ValueError):
    """A module-level exception class: compiled code raises and catches it by its bases too."""


class Unrelated(Exception):
    pass


def raise_builtin(x):
    if x < 0:
        raise ValueError("x must not be negative")
    if x == 0:
        raise ZeroDivisionError
    if x == 1:
        raise KeyError()
    if x == 2:
        raise RuntimeError("two")
    return x


def raise_module_class(x):
    if x == 0:
        raise ModuleError("zero is not allowed")
    if x == 1:
        raise ModuleError
    if x == 2:
        raise Unrelated("unrelated")
    return x + 1


def catch_runtime_errors(a, i, d):
    try:
        r = int(a[i]) // d
    except IndexError:
        r = -1
    except ZeroDivisionError as error:
        r = -2
    return r


def catch_by_base(x):
    try:
        raise_module_class(x)
        r = 0
    except ValueError:  # ModuleError derives from ValueError
        r = 1
    except Exception:
        r = 2
    return r


def catch_tuple_and_bare(x):
    try:
        if x == 0:
            raise KeyError("k")
        if x == 1:
            raise IndexError("i")
        if x == 2:
            raise TypeError("t")
        r = 10
    except (KeyError, IndexError):
        r = 1
    except:  # noqa: E722 - the bare form is what is tested
        r = 2
    return r


def else_finally(x):
    log = 0
    try:
        if x == 0:
            raise ValueError("zero")
        log += 1
    except ValueError:
        log += 10
    else:
        log += 100
    finally:
        log += 1000
    return log


def finally_reraises(x):
    count = 0
    try:
        count += 1 // x
    finally:
        count += 5
    return count


def reraise_bare(x):
    try:
        return 10 // x
    except ZeroDivisionError:
        raise


def reraise_named(x):
    try:
        raise ModuleError("named")
    except ModuleError as e:
        if x > 0:
            raise e
    return x


def not_caught_by_other_class(x):
    try:
        return 1 // x
    except IndexError:
        return -1


def error_in_handler(x):
    try:
        raise ValueError("first")
    except ValueError:
        raise KeyError("from the handler")


def error_in_else_not_caught(x):
    try:
        y = x
    except ZeroDivisionError:
        y = -1
    else:
        y = 1 // x
    return y


def nested(x):
    r = 0
    try:
        try:
            r = 1 // x
        except IndexError:
            r = -1
        finally:
            r += 100
    except ZeroDivisionError:
        r += 1000
    return r


def catch_in_loop(n):
    caught = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                raise ModuleError("every third")
            caught += i
        except ValueError:
            caught += 100
    return caught


def catch_from_callee(x):
    try:
        return asserts(x)
    except AssertionError:
        return -1


def recursion_caught(n):
    try:
        return deep(n)
    except RecursionError:
        return -1


def deep(n):
    if n == 0:
        return 0
    return 1 + deep(n - 1)


def arrays_in_try(n, i):
    try:
        a = np.zeros(n)
        b = a + 1.0
        r = float(b[i] + (a * 2.0)[i])
    except IndexError:
        r = -1.0
    return r


@pytest.mark.parametrize("function,args", [
    (raise_builtin, (-1,)), (raise_builtin, (0,)), (raise_builtin, (1,)), (raise_builtin, (2,)),
    (raise_builtin, (3,)),
    (raise_module_class, (0,)), (raise_module_class, (1,)), (raise_module_class, (2,)),
    (raise_module_class, (3,)),
    (asserts, (0,)), (asserts, (-7,)), (asserts, (3,)),
    (catch_runtime_errors, (np.arange(3), 1, 1)), (catch_runtime_errors, (np.arange(3), 5, 1)),
    (catch_runtime_errors, (np.arange(3), 1, 0)),
    (catch_by_base, (0,)), (catch_by_base, (2,)), (catch_by_base, (5,)),
    (catch_tuple_and_bare, (0,)), (catch_tuple_and_bare, (1,)), (catch_tuple_and_bare, (2,)),
    (catch_tuple_and_bare, (3,)),
    (else_finally, (0,)), (else_finally, (1,)),
    (finally_reraises, (0,)), (finally_reraises, (1,)),
    (reraise_bare, (0,)), (reraise_bare, (2,)),
    (reraise_named, (0,)), (reraise_named, (1,)),
    (not_caught_by_other_class, (0,)),
    (error_in_handler, (0,)),
    (error_in_else_not_caught, (0,)), (error_in_else_not_caught, (1,)),
    (nested, (0,)), (nested, (1,)),
    (catch_in_loop, (10,)),
    (catch_from_callee, (0,)), (catch_from_callee, (2,)),
    (arrays_in_try, (3, 1)), (arrays_in_try, (3, 7)),
])
def test_like_cpython(function, args):
    check(function, *args)


def test_recursion_error_is_caught():
    assert accel.jit(recursion_caught)(100_000) == -1
    assert accel.jit(recursion_caught)(10) == 10


def test_exception_keeps_its_class_and_args():
    compiled = accel.jit(raise_module_class)
    with pytest.raises(ModuleError) as info:
        compiled(0)
    assert type(info.value) is ModuleError and info.value.args == ("zero is not allowed",)
    with pytest.raises(ModuleError) as info:
        compiled(1)
    assert info.value.args == ()


def test_usable_and_leak_free_after_errors():
    compiled = accel.jit(arrays_in_try)
    start = accel._core.live_array_blocks()
    for i in [7, 1, 9, 0]:
        compiled(5, i)
    assert accel._core.live_array_blocks() == start
    raising = accel.jit(lambda_free_raise)
    for _ in range(3):
        with pytest.raises(IndexError):
            raising(4)
    assert raising(1) == 2.0
    assert accel._core.live_array_blocks() == start


def lambda_free_raise(n):
    a = np.ones(n)
    b = a * 2.0
    if n > 2:
        raise IndexError("after making arrays")
    return b[0]


def bare_raise_outside(x):
    raise


def raises_a_number(x):
    raise 3


def catches_a_number(x):
    try:
        return x
    except 3:
        return 0


def return_in_finally(x):
    try:
        return x
    finally:
        x += 1


def raise_from(x):
    raise ValueError("a") from None


def two_arguments(x):
    raise ValueError("a", x)


@pytest.mark.parametrize("function,reason", [
    (bare_raise_outside, "a bare raise outside an except clause"),
    (raises_a_number, "exceptions must derive from BaseException"),
    (catches_a_number, "do not inherit from BaseException"),
    (return_in_finally, "return inside a try statement with a finally clause"),
    (raise_from, "raise ... from ..."),
    (two_arguments, "one message at most"),
])
def test_refused_with_a_reason(function, reason):
    with pytest.raises(accel.CompileError) as info:
        accel.jit(function)(1)
    assert reason in str(info.value)


def prange_raises(n):
    s = 0
    for i in accel.prange(n):
        if i == 70:
            raise ModuleError("seventy")
        s += i
    return s


def test_raised_in_a_prange_loop():
    # The error of a chunk moves to the calling thread with its class.
    check(prange_raises, 1000, compiled=accel.jit(parallel=True)(prange_raises))
    check(prange_raises, 50, compiled=accel.jit(parallel=True)(prange_raises))


def try_in_prange(n):
    s = 0
    for i in accel.prange(n):
        try:
            s += i
        except ValueError:
            pass
    return s


def test_try_in_prange_is_refused():
    with pytest.raises(accel.CompileError) as info:
        accel.jit(parallel=True)(try_in_prange)(10)
    assert "try statements inside a prange loop" in str(info.value)
