"""@accel.vectorize and @accel.guvectorize: numba's decorators, making NumPy ufuncs.

Results are checked against NumPy computing the same thing and, where numba is
installed, against numba's vectorize/guvectorize on the same kernel (only those
comparisons are skipped without numba).
"""
import math
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import warnings

import numpy as np
import pytest

import accel
from accel import _core, _ufunc, _ufunc_loops

def numba_or_skip():
    return pytest.importorskip("numba")


def numba_if_installed():
    try:
        import numba
    except ImportError:
        return None
    return numba


def same_array(got, expected):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


def both(decorate_args, kernel, **options):
    """The kernel vectorized by accel and by numba (None when numba is missing)."""
    mine = accel.vectorize(*decorate_args, **options)(kernel)
    numba = numba_if_installed()
    if numba is None:
        return mine, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mine, numba.vectorize(*decorate_args, **options)(kernel)


def add(x, y):
    "x plus y"
    return x + y


def scale_shift(x, a):
    return x * a + 1.0


# --- signatures: a real np.ufunc -----------------------------------------------------

def test_signatures_give_a_real_ufunc_with_one_loop_each_in_order():
    u, reference = both((["float64(float64, float64)", "int64(int64, int64)"],), add)
    assert isinstance(u, np.ufunc)
    assert u.types == ["dd->d", "ll->l"]
    assert (u.ntypes, u.nin, u.nout, u.nargs, u.identity) == (2, 2, 1, 3, None)
    assert u.__name__ == "add" and u.__doc__ == "x plus y"
    assert u.__module__ == __name__ and u.__wrapped__ is add
    if reference is not None:  # numba's frozen DUFunc says the same
        assert (reference.types, reference.ntypes, reference.identity, reference.__name__, reference.__doc__) == (
            u.types, u.ntypes, u.identity, u.__name__, u.__doc__)


def test_numpy_resolves_dtypes_as_for_its_own_ufuncs():
    u, reference = both((["float64(float64, float64)", "int64(int64, int64)"],), add)
    a32 = np.arange(5, dtype=np.int32)
    cases = [  # operands, the dtype of the loop NumPy picks
        ((np.arange(5.0), np.arange(5.0)), np.float64),
        ((a32, a32), np.float64),                       # no int32 loop: the first that casts safely
        ((np.arange(5, dtype=np.float32), 1.5), np.float64),
        ((np.arange(5), 7), np.float64),
        ((1, 2), np.float64), ((1.5, 2), np.float64), ((np.int32(3), np.int32(4)), np.float64),
        ((True, False), np.float64),
    ]
    for (x, y), dtype in cases:
        got = u(x, y)
        np.testing.assert_array_equal(got, np.add(np.asarray(x, dtype), np.asarray(y, dtype)))
        assert np.asarray(got).dtype == dtype
        if reference is not None:
            assert type(got) is type(reference(x, y))
            same_array(got, reference(x, y))
    # A dtype no loop takes safely is NumPy's TypeError.
    with pytest.raises(TypeError, match="not supported for the input types"):
        u(np.arange(3, dtype=np.complex128), 1)


def test_an_exact_loop_wins_over_an_earlier_one():
    # NumPy 2 picks the loop made for the inputs' exact dtypes first, as for np.add. numba's
    # DUFunc adds its loops after NumPy made the ufunc, so NumPy only searches them in order
    # and int64 arrays run the float64 loop there (docs/jit.md).
    u, reference = both((["float64(float64, float64)", "int64(int64, int64)"],), add)
    big = np.array([2**53 + 1, 1])
    same_array(u(big, big), big + big)
    if reference is not None:
        assert reference(big, big).dtype == np.float64


def test_results_and_dtypes_for_several_signatures():
    def f(x, y):
        return x * y - x
    u, reference = both((["int8(int8, int8)", "uint16(uint16, uint16)", "float32(float32, float32)",
                          "float64(int64, int64)"],), f)
    assert u.types == ["bb->b", "HH->H", "ff->f", "ll->d"]
    rng = np.random.default_rng(5)
    for dtype in (np.int8, np.uint16, np.float32, np.int64):
        x = rng.integers(0, 10, 50).astype(dtype)
        y = rng.integers(0, 10, 50).astype(dtype)
        got = u(x, y)
        expected = (x * y - x).astype(got.dtype)
        same_array(got, expected)
        if reference is not None:
            same_array(got, reference(x, y))
    assert u(np.int64(3), np.int64(4)) == 9.0 and type(u(np.int64(3), np.int64(4))) is np.float64
    exclusive, reference = both((["boolean(boolean, boolean)"],), lambda x, y: x ^ y)
    assert exclusive.types == ["??->?"]
    p, q = np.array([True, True, False, False]), np.array([True, False, True, False])
    same_array(exclusive(p, q), p ^ q)
    if reference is not None:
        same_array(exclusive(p, q), reference(p, q))


def test_declared_return_type_converts_the_result():
    u = accel.vectorize(["int32(float64)"])(lambda x: x * 2.5)
    same_array(u(np.array([1.0, 2.0, -3.0])), np.array([2, 5, -7], dtype=np.int32))


def test_broadcasting_scalars_out_and_where():
    u = accel.vectorize(["float64(float64, float64)"])(scale_shift)
    x = np.arange(12.0).reshape(3, 4)
    a = np.array([[1.0], [2.0], [3.0]])
    same_array(u(x, a), x * a + 1.0)
    same_array(u(x, 2.0), x * 2.0 + 1.0)
    same_array(u(2.0, x), 2.0 * x + 1.0)
    assert u(3.0, 2.0) == 7.0 and type(u(3.0, 2.0)) is np.float64
    out = np.zeros((3, 4))
    assert u(x, a, out=out) is out
    same_array(out, x * a + 1.0)
    masked = np.full((3, 4), -1.0)
    u(x, a, out=masked, where=x > 5)
    same_array(masked, np.where(x > 5, x * a + 1.0, -1.0))
    same_array(u(np.array(2.0), np.array(3.0)), np.float64(7.0))


def test_noncontiguous_and_empty_inputs():
    u = accel.vectorize(["float64(float64, float64)"])(scale_shift)
    x = np.arange(40.0).reshape(5, 8)
    for view in (x[:, ::3], x.T, x[::-1, ::-2], x[1:4, 2:7]):
        same_array(u(view, 3.0), view * 3.0 + 1.0)
        same_array(u(view, view), view * view + 1.0)
    same_array(u(np.array([]), np.array([])), np.array([]))
    same_array(u(np.zeros((0, 3)), 1.0), np.zeros((0, 3)))
    big = np.linspace(-1, 1, 1_000_003)  # NumPy releases the GIL around loops this long
    same_array(u(big, big[::-1]), big * big[::-1] + 1.0)


def test_reduce_accumulate_outer_at_with_and_without_identity():
    with_identity = accel.vectorize(["float64(float64, float64)", "int64(int64, int64)"], identity=0)(add)
    without = accel.vectorize(["float64(float64, float64)"])(add)
    x = np.arange(1.0, 13.0).reshape(3, 4)
    for u in (with_identity, without):
        assert u.reduce(x[0]) == np.add.reduce(x[0])
        same_array(u.reduce(x, axis=0), np.add.reduce(x, axis=0))
        same_array(u.reduce(x, axis=1), np.add.reduce(x, axis=1))
        same_array(u.accumulate(x[0]), np.add.accumulate(x[0]))
        same_array(u.reduceat(x[0], [0, 2]), np.add.reduceat(x[0], [0, 2]))
        same_array(u.outer(x[0], x[1]), np.add.outer(x[0], x[1]))
        target = np.zeros(4)
        u.at(target, [0, 1, 1, 3], 2.0)
        same_array(target, np.array([2.0, 4.0, 0.0, 2.0]))
    assert with_identity.identity == 0 and without.identity is None
    assert with_identity.reduce(np.array([])) == 0.0
    assert with_identity.reduce(np.array([], dtype=np.int64)) == 0
    assert with_identity.reduce(x, axis=None) == x.sum()       # reorderable: several axes
    with pytest.raises(ValueError, match="zero-size array to reduction operation add which has no identity"):
        without.reduce(np.array([]))
    with pytest.raises(ValueError, match="not reorderable"):
        without.reduce(x, axis=None)
    product = accel.vectorize(["float64(float64, float64)"], identity=1)(lambda a, b: a * b)
    assert product.reduce(np.array([])) == 1.0 and product.identity == 1
    reorderable = accel.vectorize(["float64(float64, float64)"], identity="reorderable")(add)
    assert reorderable.identity is None and reorderable.reduce(x, axis=None) == x.sum()
    with pytest.raises(ValueError, match="no identity"):
        reorderable.reduce(np.array([]))


def test_contiguous_loop_is_vectorized():
    u = accel.vectorize(["float64(float64, float64)"])(scale_shift)
    ir = _core.ufunc_loop_ir(u._accel_recipe.loops[0])
    assert " x double>" in ir, "the kernel should be inlined into a loop LLVM vectorizes"


def test_same_input_types_twice_keep_the_first():
    u = accel.vectorize(["float64(float64)", "int64(float64)"])(lambda x: x + 0.5)
    assert u.types == ["d->d"]


# --- without signatures: a DUFunc ----------------------------------------------------

def test_lazy_vectorize_compiles_a_loop_per_new_input_dtypes():
    f = accel.vectorize(add)
    g = accel.vectorize()(add)
    assert isinstance(f, _ufunc.DUFunc) and isinstance(g, _ufunc.DUFunc)
    assert f.types == [] and f.ntypes == 0 and f.__name__ == "add" and f.__doc__ == "x plus y"
    assert repr(f) == "<accel.DUFunc 'add'>"
    before = _ufunc_loops.loop_compilations
    same_array(f(np.arange(4.0), np.ones(4)), np.arange(4.0) + 1)
    assert f.types == ["dd->d"] and _ufunc_loops.loop_compilations == before + 1
    f(np.arange(4.0), 2.5)              # the same dtypes: no new loop
    assert f.ntypes == 1 and _ufunc_loops.loop_compilations == before + 1
    i32 = np.arange(4, dtype=np.int32)
    same_array(f(i32, i32), (i32 + i32).astype(np.float64))  # int32 casts to float64 safely: dd, as numba
    assert f.ntypes == 1
    assert isinstance(f.ufunc, np.ufunc) and f.ufunc.types == f.types

    g = accel.vectorize(add)
    i8 = np.arange(4, dtype=np.int8)
    same_array(g(i8, i8), i8 + i8)
    same_array(g(i32, i32), i32 + i32)        # int32 does not cast to int8: a new loop
    same_array(g(i8, i32), i8 + i32)          # int8 casts to int32: that loop
    same_array(g(np.arange(3.0), 1.0), np.arange(3.0) + 1.0)
    assert g.types == ["bb->b", "ii->i", "dd->d"]


def test_lazy_output_dtype_follows_numpy_promotion_of_the_kernel():
    for dtype in (np.int8, np.int32, np.uint16, np.float32):
        f = accel.vectorize(lambda x, y: x + y)
        a = np.ones(3, dtype=dtype)
        assert f(a, a).dtype == (a + a).dtype  # numba widens int8/int32 sums to int64
    half = accel.vectorize(lambda x: x / 2)
    same_array(half(np.arange(4)), np.arange(4) / 2)
    less = accel.vectorize(lambda x: x > 2)
    same_array(less(np.arange(5)), np.arange(5) > 2)
    assert less.types == ["l->?"]


def test_lazy_scalars_and_python_numbers():
    f = accel.vectorize(add)
    assert f(2, 3) == 5 and type(f(2, 3)) is np.int64       # Python ints as int64 (numba's choice)
    assert f(2.0, 3) == 5.0 and type(f(2.0, 3)) is np.float64
    assert f([1.0, 2.0], 2.0).tolist() == [3.0, 4.0]          # lists become arrays


def test_lazy_methods_compile_too():
    # numba's DUFunc raises NumPy's TypeError for reduce/accumulate/outer before a call
    # compiled a loop; accel compiles one for them as for calls.
    for method, args, expected in [
        ("reduce", (np.arange(5.0),), 10.0),
        ("accumulate", (np.arange(4),), np.array([0, 1, 3, 6])),
        ("reduceat", (np.arange(4.0), [0, 2]), np.array([1.0, 5.0])),
        ("outer", (np.arange(2, dtype=np.int16), np.arange(3, dtype=np.int16)), np.add.outer(np.arange(2, dtype=np.int16), np.arange(3, dtype=np.int16))),
    ]:
        f = accel.vectorize(add)
        got = getattr(f, method)(*args)
        same_array(got, expected)
        assert f.ntypes == 1
    f = accel.vectorize(add)
    target = np.zeros(3, dtype=np.int16)
    f.at(target, [0, 2, 2], np.int16(5))
    same_array(target, np.array([5, 0, 10], dtype=np.int16))
    assert f.types == ["hh->h"]


def test_lazy_vectorize_matches_numba_on_loops_it_picks():
    numba = numba_or_skip()
    mine = accel.vectorize(add)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = numba.vectorize(add)
    calls = [(np.arange(3.0), 1.0), (np.arange(3, dtype=np.float32), np.float32(2)), (np.arange(3), 4),
             (np.arange(3, dtype=np.int8), np.int8(1)), (np.arange(3.0), 1)]
    for x, y in calls:
        np.testing.assert_array_equal(mine(x, y), theirs(x, y))
    # The same loops by input dtypes, in the same order (output dtypes differ: numba's
    # int64 for int sums, NumPy's rule here).
    assert [t.split("->")[0] for t in mine.types] == [t.split("->")[0] for t in theirs.types]


def test_disable_compile_and_add():
    f = accel.vectorize(add)
    with pytest.raises(RuntimeError, match="no loop yet"):
        f.disable_compile()
    f(1, 2)
    f.disable_compile()
    with pytest.raises(TypeError, match="not supported for the input types"):
        f(1.5, 2.5)
    with pytest.raises(RuntimeError, match="compilation disabled"):
        f._add(("float64", "float64"))
    assert f.types == ["ll->l"]


def test_dufunc_add_compiles_a_signature():
    f = accel.vectorize(add)
    f.add("int32(int32, int32)")
    assert f.types == ["ii->i"]


def clip_to(x, limit):
    return limit if x > limit else x


@accel.jit
def jitted_square(x):
    return x * x


def test_kernels_call_plain_and_jitted_functions():
    # As in any accel.jit function: callees compile with the kernel (NumPy's error model
    # included, numba's inherit rule), so the loop still vectorizes them in.
    f = accel.vectorize(lambda x: clip_to(jitted_square(x), 10.0))
    same_array(f(np.arange(5.0)), np.minimum(np.arange(5.0) ** 2, 10.0))
    divide = accel.vectorize(lambda x, y: clip_to(x / y, 1e300))
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        same_array(divide(np.array([1.0]), np.array([0.0])), np.array([1e300]))


def test_lazy_vectorize_refuses_dtypes_it_cannot_compile():
    f = accel.vectorize(add)
    with pytest.raises(TypeError, match=r"operand 1 is complex128"):
        f(np.ones(2, dtype=np.complex128), 1.0)
    with pytest.raises(TypeError, match=r"operand 2 is float16"):
        f(np.ones(2), np.ones(2, dtype=np.float16))
    assert f.ntypes == 0


def test_concurrent_first_calls_compile_each_loop_once():
    f = accel.vectorize(scale_shift)
    before = _ufunc_loops.loop_compilations
    results = []
    threads = [threading.Thread(target=lambda: results.append(f(np.arange(100.0), 2.0))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(np.array_equal(r, np.arange(100.0) * 2 + 1) for r in results)
    assert f.ntypes == 1 and _ufunc_loops.loop_compilations == before + 1


# --- errors in kernels ---------------------------------------------------------------

def sqrt_kernel(x):
    return math.sqrt(x)


@pytest.mark.parametrize("arg", [np.array([4.0, -1.0, 9.0]), -1.0, np.float64(-1.0), np.array(-1.0),
                                 np.full(100_000, -1.0), np.arange(-3.0, 3.0)[::2]])
def test_kernel_errors_are_python_exceptions(arg):
    # CPython's math.sqrt raises here; numba's vectorize returns nan (a warning), NumPy's
    # np.sqrt too: accel keeps the kernel's Python semantics (docs/jit.md).
    f = accel.vectorize(sqrt_kernel)
    with pytest.raises(ValueError, match="math domain error"):
        f(arg)
    assert sys.exc_info() == (None, None, None)
    same_array(f(np.array([4.0, 9.0])), np.array([2.0, 3.0]))  # and the next call works


def test_kernel_errors_in_every_ufunc_method():
    def picky(x, y):
        return math.sqrt(y) + x
    u = accel.vectorize(picky, identity=0)
    bad = np.array([1.0, -1.0, 2.0])
    for call in (lambda: u(bad, bad), lambda: u.reduce(bad), lambda: u.accumulate(bad),
                 lambda: u.reduceat(bad, [0, 2]), lambda: u.outer(bad, bad),
                 lambda: u.at(np.zeros(3), [0, 1, 2], bad), lambda: u(bad, bad, out=np.zeros(3)),
                 lambda: u(bad.astype(np.float32), bad)):
        with pytest.raises(ValueError, match="math domain error"):
            call()
    # Elements NumPy never hands the kernel do not fail it.
    same_array(u(bad, bad, out=np.zeros(3), where=bad > 0), np.array([2.0, 0.0, 2.0 + math.sqrt(2.0)]))


def test_range_errors_and_integer_powers_follow_accel_semantics():
    with pytest.raises(OverflowError, match="math range error"):
        accel.vectorize(lambda x: math.exp(x))(np.array([1000.0]))
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
        accel.vectorize(lambda x, y: x ** y)(np.array([2]), np.array([-1]))


def test_numpy_error_model_gives_inf_nan_and_numpys_warnings():
    # As numba's vectorize: 1.0 / 0.0 is inf with NumPy's RuntimeWarning, int // 0 is 0.
    divide = accel.vectorize(lambda x, y: x / y)
    with pytest.warns(RuntimeWarning, match="divide by zero encountered in <lambda>"):
        got = divide(np.array([1.0, 2.0]), np.array([0.0, 4.0]))
    same_array(got, np.array([np.inf, 0.5]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same_array(accel.vectorize(lambda x, y: x // y)(np.array([7, 7]), np.array([0, 2])), np.array([0, 3]))
        same_array(accel.vectorize(lambda x, y: x % y)(np.array([7, 7]), np.array([0, 2])), np.array([0, 1]))
    square = accel.vectorize(lambda x: x * x)
    with pytest.warns(RuntimeWarning, match="overflow encountered"):
        same_array(square(np.array([1e200, 2.0])), np.array([np.inf, 4.0]))
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        square(np.array([1e200]))


def test_floating_point_warnings_match_numba():
    numba = numba_or_skip()
    kernels = [lambda x, y: x / y, lambda x, y: x % y, lambda x, y: x // y, lambda x, y: np.sqrt(x - y)]
    x, y = np.array([1.0, 0.0, -4.0]), np.array([0.0, 0.0, 1.0])
    for kernel in kernels:
        outcomes = []
        for make in (accel.vectorize(["float64(float64, float64)"]), numba.vectorize(["float64(float64, float64)"])):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = make(kernel)(x, y)
            outcomes.append((result.tolist(), sorted(str(w.message).split(" encountered")[0] for w in caught)))
        np.testing.assert_array_equal(outcomes[0][0], outcomes[1][0])
        assert outcomes[0][1] == outcomes[1][1]


# --- guvectorize --------------------------------------------------------------------

def add_constant(x, k, out):
    for i in range(x.shape[0]):
        out[i] = x[i] + k


def matmul(a, b, out):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            out[i, j] = s


def row_total(x, out):
    s = 0.0
    for v in x:
        s += v
    out[0] = s


def test_guvectorize_scalar_argument_layout():
    u = accel.guvectorize(["void(float64[:], float64, float64[:])", "void(int64[:], int64, int64[:])"],
                          "(n),()->(n)")(add_constant)
    assert isinstance(u, np.ufunc) and u.signature == "(n),()->(n)" and u.types == ["dd->d", "ll->l"]
    x = np.arange(6.0).reshape(2, 3)
    same_array(u(x, 10.0), x + 10.0)
    same_array(u(x, np.array([1.0, 2.0])), x + np.array([[1.0], [2.0]]))      # one k per row
    same_array(u(np.arange(4), np.int64(3)), np.arange(4) + 3)
    out = np.empty((2, 3))
    assert u(x, 1.0, out=out) is out
    same_array(out, x + 1.0)
    same_array(u(x[:, ::2], 1.0), x[:, ::2] + 1.0)                               # strided core axis
    numba = numba_if_installed()
    if numba is not None:
        reference = numba.guvectorize(["void(float64[:], float64, float64[:])", "void(int64[:], int64, int64[:])"],
                                      "(n),()->(n)")(add_constant)
        assert (reference.signature, reference.types, reference.nin, reference.nout) == (
            u.signature, u.types, u.nin, u.nout)
        same_array(u(x, 2.5), reference(x, 2.5))


def test_guvectorize_scalar_core_taken_as_an_array():
    # numba hands a "()" operand declared as an array over as a 1-element array.
    def add_first(x, k, out):
        for i in range(x.shape[0]):
            out[i] = x[i] + k[0] * k.shape[0]
    u = accel.guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),()->(n)")(add_first)
    same_array(u(np.arange(3.0), 2.0), np.arange(3.0) + 2.0)


def test_guvectorize_matmul_layout():
    u = accel.guvectorize(["void(float64[:,:], float64[:,:], float64[:,:])"], "(m,n),(n,p)->(m,p)")(matmul)
    rng = np.random.default_rng(1)
    a, b = rng.random((4, 2, 3)), rng.random((4, 3, 5))
    np.testing.assert_allclose(u(a, b), a @ b, rtol=1e-13)
    np.testing.assert_allclose(u(a[0], b), a[0] @ b, rtol=1e-13)             # broadcast loop dims
    f_order = np.asfortranarray(a[1])
    np.testing.assert_allclose(u(f_order, b[1]), a[1] @ b[1], rtol=1e-13)
    np.testing.assert_allclose(u(a.transpose(0, 2, 1).copy().transpose(0, 2, 1), b), a @ b, rtol=1e-13)
    with pytest.raises(ValueError, match="mismatch in its core dimension 0"):
        u(np.ones((2, 3)), np.ones((2, 3)))
    same_array(u(np.zeros((0, 2, 3)), np.zeros((3, 4))), np.zeros((0, 2, 4)))


def test_guvectorize_reduction_to_a_scalar_output():
    u = accel.guvectorize(["void(float64[:], float64[:])"], "(n)->()")(row_total)
    x = np.arange(12.0).reshape(3, 4)
    same_array(u(x), x.sum(axis=1))
    assert u(np.arange(4.0)) == 6.0 and type(u(np.arange(4.0))) is np.float64
    same_array(u(x, axis=0), x.sum(axis=0))


def test_guvectorize_fixed_size_dimensions():
    def cross(a, b, out):
        out[0] = a[1] * b[2] - a[2] * b[1]
        out[1] = a[2] * b[0] - a[0] * b[2]
        out[2] = a[0] * b[1] - a[1] * b[0]
    u = accel.guvectorize(["void(float64[:], float64[:], float64[:])"], "(3),(3)->(3)")(cross)
    rng = np.random.default_rng(2)
    a, b = rng.random((5, 3)), rng.random((5, 3))
    np.testing.assert_allclose(u(a, b), np.cross(a, b), rtol=1e-14)
    with pytest.raises(ValueError, match="core dimension 0"):
        u(np.ones(4), np.ones(4))


def test_a_loop_must_read_the_core_dimensions_numpy_passes():
    # accel numbers a layout's dimensions itself (_ufunc_layout); make_ufunc checks that
    # NumPy agrees, since the loop reads the sizes at those indices.
    kernel = accel.guvectorize("(n)->()")(row_total)._dispatcher
    wrong = _ufunc_loops.compile_loop(kernel, (1, True, (("float64", (1,), True, False), ("float64", (), True, False))))
    with pytest.raises(SystemError, match="core dimensions unlike NumPy"):
        _core.make_ufunc("total", "", 1, 1, -1, "(n)->()", [wrong])
    right = _ufunc_loops.compile_loop(kernel, (1, True, (("float64", (0,), True, False), ("float64", (), True, False))))
    same_array(_core.make_ufunc("total", "", 1, 1, -1, "(n)->()", [right])(np.ones((2, 3))), np.array([3.0, 3.0]))


def test_lazy_guvectorize_needs_outputs_until_a_loop_exists():
    u = accel.guvectorize("(n),()->(n)")(add_constant)
    assert isinstance(u, _ufunc.GUFunc) and u.types == [] and u.signature == "(n),()->(n)"
    with pytest.raises(TypeError, match=r"call add_constant\(x0, x1, out0\) with output arrays"):
        u(np.arange(3.0), 2.0)
    out = np.empty(3)
    u(np.arange(3.0), 2.0, out)
    same_array(out, np.arange(3.0) + 2.0)
    assert u.types == ["dd->d"]
    same_array(u(np.arange(3.0), 1.0), np.arange(3.0) + 1.0)   # a loop exists: outputs may be left out
    out_i = np.empty(3, dtype=np.int64)
    u(np.arange(3), np.int64(5), out=out_i)   # the float64 loop cannot write int64: a new loop
    same_array(out_i, np.arange(3) + 5)
    assert u.types == ["dd->d", "ll->l"]
    numba = numba_if_installed()
    if numba is not None:
        reference = numba.guvectorize("(n),()->(n)")(add_constant)
        expected = np.empty(3)
        reference(np.arange(3.0), 2.0, expected)
        same_array(u(np.arange(3.0), 2.0), expected)
        with pytest.raises(TypeError, match="Too few arguments"):
            numba.guvectorize("(n),()->(n)")(add_constant)(np.arange(3.0), 2.0)


def test_lazy_guvectorize_scalar_output_is_a_one_element_array():
    u = accel.guvectorize("(n)->()")(row_total)
    out = np.empty(2)
    u(np.arange(6.0).reshape(2, 3), out)
    same_array(out, np.array([3.0, 12.0]))


def test_guvectorize_kernel_errors():
    def out_of_range(x, out):
        out[x.shape[0]] = 1.0
    u = accel.guvectorize("(n)->(n)")(out_of_range)
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        u(np.arange(3.0), np.empty(3))
    assert sys.exc_info() == (None, None, None)


# --- clear errors for what does not fit ----------------------------------------------

@pytest.mark.parametrize("layout, message", [
    ("(n->(n)", "expected ',' or '\\)'"),
    ("(n),(n)", "ends too early"),
    ("->(n)", "at least one input"),
    ("(n)->(m)", "output dimension 'm' appears in no input"),
    ("(n?)->(n)", "flexible dimensions"),
    ("(n)->(n) x", "unexpected 'x'"),
    ("(0)->()", "must be positive"),
    ("(n);(n)", "unexpected ';'"),
])
def test_bad_layouts_are_value_errors(layout, message):
    with pytest.raises(ValueError, match=message):
        accel.guvectorize(layout)


def test_kernel_that_does_not_fit_is_a_compile_type_error():
    with pytest.raises(accel.CompileTypeError, match="returns one number per element"):
        accel.vectorize(lambda x: (x, x))(np.ones(2))
    returns = accel.guvectorize("(n)->(n)")(lambda x, out: 1.0)
    with pytest.raises(accel.CompileTypeError, match="returns nothing"):
        returns(np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="takes 2 arguments, but the layout '\\(n\\),\\(\\)->\\(n\\)' has 3"):
        accel.guvectorize("(n),()->(n)")(lambda x, out: None)


@pytest.mark.parametrize("signature, layout, message", [
    ("void(float64[:], float64)", "(n)->()", "outputs are arrays the kernel writes into"),
    ("float64(float64[:], float64[:])", "(n)->()", "returns nothing"),
    ("void(float64[:,:], float64[:])", "(n)->()", "need an array of 1 dimension"),
    ("void(float64, float64[:])", "(n)->()", "need an array such as float64\\[:\\]"),
    ("void(float64[:])", "(n)->()", "has 1 argument types, but the layout"),
])
def test_bad_guvectorize_signatures_are_type_errors(signature, layout, message):
    with pytest.raises(TypeError, match=message):
        accel.guvectorize([signature], layout)(lambda x, out: None)


@pytest.mark.parametrize("signature, message", [
    ("float64(float64[:])", "a vectorize kernel takes numbers"),
    ("float64(float64, float64)", "has 2 argument types, but .*<lambda>\\(\\) takes 1"),
    ("complex128(complex128)", "complex numbers are not supported"),
    ("float64(x)", "'x' is not a type name"),
])
def test_bad_vectorize_signatures_are_type_errors(signature, message):
    with pytest.raises(TypeError, match=message):
        accel.vectorize([signature])(lambda x: x)


@pytest.mark.parametrize("options, error, message", [
    ({"target": "parallel"}, NotImplementedError, "target='parallel'"),
    ({"target": "cuda"}, NotImplementedError, "target='cuda'"),
    ({"target": "tpu"}, ValueError, "Unsupported target"),
    ({"identity": 2}, ValueError, "Invalid identity value 2"),
    ({"identity": []}, ValueError, "Invalid identity value"),
    ({"cache": True}, NotImplementedError, "cache=True"),
    ({"nopython": False}, NotImplementedError, "object mode"),
    ({"forceobj": True}, NotImplementedError, "object mode"),
    ({"nogil": True}, TypeError, "unexpected keyword argument 'nogil'"),
    ({"error_model": "python"}, TypeError, "unexpected keyword argument 'error_model'"),
])
def test_numba_options_accel_does_not_take_are_refused(options, error, message):
    with pytest.raises(error, match=message):
        accel.vectorize(**options)(add)
    with pytest.raises(error, match=message):
        accel.guvectorize("(n)->(n)", **options)(lambda x, out: None)


def test_options_accel_takes():
    f = accel.vectorize(boundscheck=False, fastmath=True, nopython=True, target="cpu", cache=False)(scale_shift)
    same_array(f(np.arange(3.0), 2.0), np.arange(3.0) * 2.0 + 1.0)
    assert f._dispatcher._accel_settings["fastmath"] and not f._dispatcher._accel_settings["boundscheck"]
    assert f._dispatcher._accel_settings["error_model"] == "numpy"


# --- pickling and pools --------------------------------------------------------------

def test_pickle_round_trips_in_this_process():
    f = accel.vectorize(scale_shift)
    f(np.arange(3.0), 2.0)
    g = pickle.loads(pickle.dumps(f))
    assert isinstance(g, _ufunc.DUFunc) and g.types == ["dd->d"]
    same_array(g(np.arange(3.0), 2.0), f(np.arange(3.0), 2.0))
    gu = accel.guvectorize("(n)->()")(row_total)
    gu(np.arange(3.0), np.empty(()))
    same_array(pickle.loads(pickle.dumps(gu))(np.arange(6.0).reshape(2, 3)), np.array([3.0, 12.0]))
    # NumPy's own ufuncs still pickle by name.
    assert pickle.loads(pickle.dumps(np.add)) is np.add


def test_pickled_ufunc_is_a_ufunc_again():
    u = accel.vectorize(["float64(float64, float64)"], identity=0)(add)
    v = pickle.loads(pickle.dumps(u))
    assert isinstance(v, np.ufunc) and v.types == u.types and v.identity == 0 and v.__name__ == "add"
    same_array(v(np.arange(3.0), 1.0), np.arange(1.0, 4.0))


FRESH_PROCESS = r"""
import pickle, sys
import numpy as np
sys.path.insert(0, sys.argv[2])  # the kernels' module
from accel import _ufunc_loops
with open(sys.argv[1], "rb") as f:
    functions = pickle.load(f)
results = [fn(np.arange(4.0), 3.0) for fn in functions]
print(_ufunc_loops.loop_compilations, [r.tolist() for r in results])
"""


def test_unpickled_ufuncs_link_their_machine_code(tmp_path):
    f = accel.vectorize(scale_shift)
    f(np.arange(3.0), 1.0)
    functions = [f, accel.vectorize(["float64(float64, float64)"])(scale_shift)]
    path = tmp_path / "ufuncs.pickle"
    path.write_bytes(pickle.dumps(functions))
    done = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(path), os.path.dirname(__file__)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    compiled, results = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert compiled == "0", "the loops should arrive as object code, not be compiled again"
    assert eval(results) == [[1.0, 4.0, 7.0, 10.0]] * len(functions)


POOL_SCRIPT = r"""
import math
import numpy as np
import accel

@accel.vectorize(["float64(float64)"])
def root(x):
    return math.sqrt(x) * 2.0

@accel.vectorize
def lazy(x):
    return math.sqrt(x) * 2.0

@accel.guvectorize("(n)->()")
def total(x, out):
    s = 0.0
    for v in x:
        s += v
    out[0] = s

if __name__ == "__main__":
    arrays = [np.arange(4.0) + i for i in range(5)]
    lazy(1.0)
    total(arrays[0], np.empty(()))
    with accel.Pool(2) as pool:
        roots = pool.map(root, arrays)
        lazy_roots = pool.map(lazy, arrays)
        totals = pool.map(total, arrays)
        try:
            pool.map(root, [np.array([-1.0])])
            error = None
        except ValueError as e:
            error = str(e)
    assert all(np.array_equal(r, np.sqrt(a) * 2.0) for r, a in zip(roots, arrays)), roots
    assert all(np.array_equal(r, np.sqrt(a) * 2.0) for r, a in zip(lazy_roots, arrays)), lazy_roots
    assert [float(t) for t in totals] == [a.sum() for a in arrays], totals
    print("ok", error)
"""


def test_pool_maps_ufuncs_defined_in_main(tmp_path):
    # As with numba's DUFunc: a pool worker receives the ufunc by value, with its loops.
    script = tmp_path / "pool_ufuncs.py"
    script.write_text(POOL_SCRIPT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ok math domain error"
