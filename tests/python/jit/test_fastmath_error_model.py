"""numba's fastmath= and error_model= options of @accel.jit.

Each case runs against numba with the same options (that comparison alone is skipped
without numba) and against CPython or NumPy. fastmath lets LLVM reorder float arithmetic,
so its results are compared with a tolerance; the optimized IR is the evidence that the
loops vectorize.
"""
import math
import pickle
import re

import numpy as np
import pytest

import accel

try:
    import numba
except ImportError:  # only the comparisons with numba need it
    numba = None

ALL_FLAGS = ["afn", "arcp", "contract", "ninf", "nnan", "nsz", "reassoc"]


def seed_loop(x):
    y = 0
    for item in x:
        y += item
    return y


def dot_loop(x, y):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * y[i]
    return s


def prange_squares(x):
    s = 0.0
    for i in accel.prange(len(x)):
        s += x[i] * x[i]
    return s


def array_expression(a, b):
    return np.sqrt(a * b + 1.0) / (a + 2.0)


def total(x):
    return x.sum()


def statistics(x):
    return x.sum(), x.mean(), x.var(), x.std(), np.dot(x, x), np.cumsum(x)[-1], x.min(), x.max()


def axis_statistics(m):
    return m.sum(axis=0), m.sum(axis=1), m.mean(axis=1), m.var(axis=0), m.std(axis=1), m.prod(axis=1)


def is_nan(v):
    return math.isnan(v)


def divide(a, b):
    return a / b


def floor_divide(a, b):
    return a // b


def modulo(a, b):
    return a % b


def in_place_floor_divide(a, b):
    a //= b
    return a


def power(a, b):
    return a ** b


def square_root(v):
    return math.sqrt(v)


def logarithm(v):
    return math.log(v)


def prange_floor_divide(x, y):
    s = 0
    for i in accel.prange(len(x)):
        s += x[i] // y[i]
    return s


def twice(v):
    return v * 2.0


def plain_floor_divide(a, b):  # never decorated: compiled with its caller
    return a // b


def calls_plain_floor_divide(a, b):
    return plain_floor_divide(a, b)


def ir_of(f):
    (ir,) = f.inspect_llvm().values()
    return ir


def vector_adds(ir):
    """The flags on the vectorized float64 adds of the IR (empty if nothing vectorized)."""
    return re.findall(r"= fadd ([a-z ]*)<\d+ x double>", ir)


@pytest.fixture(scope="module")
def floats():
    return np.random.default_rng(12).random(100_003)


# --- the options themselves --------------------------------------------------------

@pytest.mark.parametrize("value, flags", [
    (True, ALL_FLAGS), (False, []), (set(), []), ({"reassoc"}, ["reassoc"]),
    (frozenset({"nsz", "arcp"}), ["arcp", "nsz"]), ({"fast"}, ALL_FLAGS), ({"fast", "nnan"}, ALL_FLAGS),
    ({"nnan": True, "ninf": False}, ["nnan"]), ({"fast": True}, ALL_FLAGS),
])
def test_fastmath_values_numba_accepts_become_sorted_flag_names(value, flags):
    f = accel.jit(fastmath=value)(seed_loop)
    assert f._accel_settings["fastmath"] == flags
    assert accel.jit(seed_loop)._accel_settings["fastmath"] == []
    if numba is not None and not isinstance(value, frozenset):  # numba takes the same values
        numba.njit(fastmath=value)(seed_loop)(np.arange(3.0))


@pytest.mark.parametrize("value, error, words", [
    ({"bogus"}, ValueError, "unknown flag 'bogus'"),
    ({"reassoc", "fastest"}, ValueError, "unknown flag 'fastest'"),
    ({"nnan": True, "nope": False}, ValueError, "unknown flag 'nope'"),
    ("fast", TypeError, "not str"),
    (1, TypeError, "not int"),
    (None, TypeError, "not NoneType"),
    (["reassoc"], TypeError, "not list"),
    ({1}, TypeError, "flag names are strings"),
])
def test_bad_fastmath_is_refused_at_decoration_with_the_accepted_names(value, error, words):
    with pytest.raises(error, match=re.escape(words)) as info:
        accel.jit(fastmath=value)
    assert "'fast' (all of them), 'afn', 'arcp', 'contract', 'ninf', 'nnan', 'nsz', 'reassoc'" in str(info.value)
    with pytest.raises(error):
        accel.jit(seed_loop, fastmath=value)


@pytest.mark.parametrize("value, error", [("c", ValueError), ("NumPy", ValueError), ("", ValueError),
                                          (1, TypeError), (None, TypeError)])
def test_bad_error_model_is_refused_at_decoration(value, error):
    with pytest.raises(error, match="'python'.*'numpy'"):
        accel.jit(error_model=value)


def test_settings_reach_the_compiler_and_survive_pickling(floats):
    f = accel.jit(fastmath={"reassoc"}, error_model="numpy")(seed_loop)
    assert f._accel_settings["error_model"] == "numpy"
    assert accel.jit(seed_loop)._accel_settings["error_model"] == "python"
    assert f._accel_settings["inherit"] == []
    assert accel.jit(seed_loop)._accel_settings["inherit"] == ["error_model", "fastmath"]
    f(floats)
    g = pickle.loads(pickle.dumps(f))
    assert g._accel_settings == f._accel_settings
    assert g(floats) == f(floats)


# --- fastmath: the IR -------------------------------------------------------------

def test_float_seed_loop_vectorizes_only_with_reassoc(floats):
    exact, fast, reassoc = accel.jit(seed_loop), accel.jit(fastmath=True)(seed_loop), \
        accel.jit(fastmath={"reassoc"})(seed_loop)
    for f in (exact, fast, reassoc):
        f(floats)
    assert vector_adds(ir_of(exact)) == []
    assert vector_adds(ir_of(fast)) and all(flags == "fast " for flags in vector_adds(ir_of(fast)))
    assert vector_adds(ir_of(reassoc)) and all(flags == "reassoc " for flags in vector_adds(ir_of(reassoc)))
    # No fastmath: Python's order exactly; fastmath: any order, within rounding.
    assert exact(floats) == seed_loop(floats)
    for f in (fast, reassoc):
        assert f(floats) == pytest.approx(math.fsum(floats), rel=1e-12)
        assert f(floats) == pytest.approx(np.sum(floats), rel=1e-12)


def test_dot_product_loop_vectorizes_with_bounds_checks_on(floats):
    y = floats[::-1].copy()
    f = accel.jit(fastmath=True)(dot_loop)
    assert f(floats, y) == pytest.approx(float(np.dot(floats, y)), rel=1e-12)
    ir = ir_of(f)
    assert vector_adds(ir)
    assert re.search(r"= fmul fast <\d+ x double>", ir)
    assert vector_adds(ir_of(_compiled(accel.jit(dot_loop), floats, y))) == []


def _compiled(f, *args):
    f(*args)
    return f


def test_prange_chunks_vectorize(floats):
    f = accel.jit(parallel=True, fastmath=True)(prange_squares)
    assert f(floats) == pytest.approx(float(np.dot(floats, floats)), rel=1e-12)
    ir = ir_of(f)
    chunk = ir[ir.index(".prange("):]  # the outlined chunk function
    assert vector_adds(chunk) and re.search(r"= fmul fast <\d+ x double>", chunk)


def test_array_expressions_and_math_calls_carry_the_flags(floats):
    b = floats[::-1].copy()
    f = accel.jit(fastmath=True)(array_expression)
    np.testing.assert_allclose(f(floats, b), array_expression(floats, b), rtol=1e-14)
    ir = ir_of(f)
    assert re.search(r"= fdiv fast <\d+ x double>", ir)
    assert re.search(r"call fast <\d+ x double> @llvm\.sqrt", ir)
    plain = _compiled(accel.jit(array_expression), floats, b)
    assert not re.search(r"\bfast\b", ir_of(plain))


def test_sums_skip_the_pairwise_routine_only_under_reassoc(floats):
    exact, fast, no_reassoc = (accel.jit(total), accel.jit(fastmath=True)(total),
                               accel.jit(fastmath={"nnan", "ninf", "nsz", "contract"})(total))
    assert exact(floats) == floats.sum()  # NumPy's pairwise sum, bit for bit
    assert no_reassoc(floats) == floats.sum()
    assert fast(floats) == pytest.approx(math.fsum(floats), rel=1e-12)
    assert "accel_rt_pairwise_sum_f64" in ir_of(exact)
    assert "accel_rt_pairwise_sum_f64" not in ir_of(fast)
    assert vector_adds(ir_of(fast))


def test_reductions_agree_with_numpy_and_numba_within_rounding(floats):
    x = floats[:10_001]
    ours = accel.jit(fastmath=True)(statistics)(x)
    expected = statistics(x)
    np.testing.assert_allclose(ours, expected, rtol=1e-12)
    if numba is not None:
        np.testing.assert_allclose(ours, numba.njit(fastmath=True)(statistics)(x), rtol=1e-12)


def test_axis_reductions_agree_with_numpy_within_rounding(floats):
    m = 1.0 + floats[:30_000].reshape(300, 100) / 100
    f = accel.jit(fastmath=True)(axis_statistics)
    for ours, expected in zip(f(m), axis_statistics(m)):
        np.testing.assert_allclose(ours, expected, rtol=1e-12)
    assert "accel_rt_pairwise_sum_f64" not in ir_of(f)


@pytest.mark.parametrize("function, args", [
    (seed_loop, "floats"), (dot_loop, "floats2"), (array_expression, "floats2"),
])
def test_fastmath_results_match_numba_fastmath(function, args, floats):
    arguments = (floats,) if args == "floats" else (floats, floats[::-1].copy())
    ours = accel.jit(fastmath=True)(function)(*arguments)
    np.testing.assert_allclose(ours, function(*arguments), rtol=1e-12)
    if numba is not None:
        np.testing.assert_allclose(ours, numba.njit(fastmath=True)(function)(*arguments), rtol=1e-12)


def test_nan_checks_stay_without_nnan():
    # Only nnan lets LLVM assume there is no NaN; reassoc alone keeps math.isnan exact.
    assert accel.jit(fastmath={"reassoc", "contract", "nsz"})(is_nan)(math.nan) is True
    assert accel.jit(fastmath={"reassoc"})(is_nan)(1.0) is False
    if numba is not None:
        assert numba.njit(fastmath={"reassoc", "contract", "nsz"})(is_nan)(math.nan) is True


# --- what called functions compile with ------------------------------------------

def _multiply_flags(ir):
    return set(re.findall(r"= fmul ([a-z ]*)<\d+ x double>", ir))


def calls_twice(x):
    s = 0.0
    for i in range(len(x)):
        s += twice(x[i])
    return s


def test_a_callee_without_fastmath_of_its_own_takes_the_callers(floats, monkeypatch):
    # numba's rule: an option the callee's decorator left unset comes from the caller;
    # one it set stays. (numba applies it only when the callee is compiled for the caller
    # first; accel compiles a copy of the callee with each caller, so order does not matter.)
    for callee_options, flags in [({}, {"fast "}), ({"fastmath": False}, {""}), ({"fastmath": {"nsz"}}, {"nsz "})]:
        monkeypatch.setitem(globals(), "twice", accel.jit(**callee_options)(_twice))
        caller = accel.jit(fastmath=True)(calls_twice)
        assert caller(floats) == pytest.approx(2 * math.fsum(floats), rel=1e-12)
        assert _multiply_flags(ir_of(caller)) == flags, callee_options
        if numba is not None:
            monkeypatch.setitem(globals(), "twice", numba.njit(**callee_options)(_twice))
            theirs = numba.njit(fastmath=True)(calls_twice)
            assert theirs(floats) == pytest.approx(2 * math.fsum(floats), rel=1e-12)
            numba_flags = {"fast " if "fast" in f else "nsz " if "nsz" in f else "" for f in _multiply_flags(ir_of(theirs))}
            assert numba_flags == flags, callee_options


def _twice(v):
    return v * 2.0


def calls_floor_divide(a, b):
    return floor_divide(a, b)


def test_a_callee_without_an_error_model_of_its_own_takes_the_callers(monkeypatch):
    for callee_options, raises in [({}, False), ({"error_model": "python"}, True), ({"error_model": "numpy"}, False)]:
        jits = [accel.jit] + ([numba.njit] if numba is not None else [])
        for jit in jits:
            monkeypatch.setitem(globals(), "floor_divide", jit(**callee_options)(_floor_divide))
            caller = jit(error_model="numpy")(calls_floor_divide)
            if raises:
                with pytest.raises(ZeroDivisionError):
                    caller(7, 0)
            else:
                assert caller(7, 0) == 0
            assert caller(-7, 2) == -4
    # The callee called on its own keeps its own model (python, the default).
    with pytest.raises(ZeroDivisionError):
        accel.jit(_floor_divide)(7, 0)


def _floor_divide(a, b):
    return a // b


def test_plain_functions_compile_with_the_callers_options():
    assert accel.jit(error_model="numpy")(calls_plain_floor_divide)(7, 0) == 0
    with pytest.raises(ZeroDivisionError):
        accel.jit(calls_plain_floor_divide)(7, 0)


# --- error_model ------------------------------------------------------------------

INTEGER_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
SCALAR_TYPES = INTEGER_TYPES + [np.float32, np.float64]
BY_ZERO = [(1, 0), (0, 0), (-1, 0), (1.0, 0.0), (0.0, 0.0), (-1.0, 0.0), (-1.0, -0.0), (1, 0.0),
           (math.inf, 0.0), (math.nan, 0.0)]


def numpy_reference(function, a, b):
    """What NumPy computes for the operation (Python numbers as int64/float64 scalars)."""
    def as_numpy(v):
        return np.int64(v) if isinstance(v, int) else np.float64(v) if isinstance(v, float) else v
    with np.errstate(all="ignore"):
        return function(as_numpy(a), as_numpy(b))


def same_number(got, expected):
    if math.isnan(expected):
        return math.isnan(got)
    return got == expected and math.copysign(1, got) == math.copysign(1, expected)


def check_numpy_model(function, a, b):
    """error_model="numpy": NumPy's value, the result type accel gives for these
    arguments anyway, and numba's value with the same option."""
    ours = accel.jit(error_model="numpy")(function)(a, b)
    expected = numpy_reference(function, a, b)
    assert same_number(ours, expected), (function.__name__, a, b, ours, expected)
    if isinstance(a, np.generic):
        assert type(ours) is type(expected), (function.__name__, a, b)
    if numba is not None:
        theirs = numba.njit(error_model="numpy")(function)(a, b)
        assert same_number(ours, theirs), (function.__name__, a, b, ours, theirs)
    return ours


@pytest.mark.parametrize("function", [divide, floor_divide, modulo, in_place_floor_divide])
@pytest.mark.parametrize("a, b", BY_ZERO)
def test_numpy_model_python_numbers_by_zero(function, a, b):
    result = check_numpy_model(function, a, b)
    if isinstance(a, int) and isinstance(b, int) and function is not divide:
        assert result == 0 and type(result) is int
    # The default model raises what CPython raises.
    with pytest.raises(ZeroDivisionError):
        function(a, b)
    with pytest.raises(ZeroDivisionError):
        accel.jit(function)(a, b)
    with pytest.raises(ZeroDivisionError):
        accel.jit(error_model="python")(function)(a, b)


@pytest.mark.parametrize("scalar", SCALAR_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("function", [divide, floor_divide, modulo])
def test_numpy_model_numpy_scalars_by_zero(function, scalar):
    numerators = [1, 0, 5] + ([-1, -5] if np.dtype(scalar).kind != "u" else [])
    for n in numerators:
        check_numpy_model(function, scalar(n), scalar(0))
        with pytest.raises(ZeroDivisionError):  # docs/semantics.md #7
            accel.jit(function)(scalar(n), scalar(0))


@pytest.mark.parametrize("function", [divide, floor_divide, modulo])
@pytest.mark.parametrize("a, b", [(7, 2), (-7, 2), (7, -2), (-7.5, 2.0), (7.5, -2.0), (-0.0, 1.0), (1e308, 1e-308)])
def test_numpy_model_leaves_other_divisors_to_python(function, a, b):
    # Only division by zero changes: the rest is still CPython's floor division and modulo.
    got = accel.jit(error_model="numpy")(function)(a, b)
    assert same_number(got, function(a, b)) and type(got) is type(function(a, b))


@pytest.mark.parametrize("a, b", [(0.0, -1.0), (0.0, -2.0), (-0.0, -1.0), (-0.0, -3.0), (-0.0, -2.0), (0.0, -0.5),
                                  (0, -1.0), (0.0, -1)])
def test_numpy_model_zero_to_a_negative_power_is_infinite(a, b):
    with pytest.raises(ZeroDivisionError, match="0.0 cannot be raised to a negative power"):
        accel.jit(power)(a, b)
    ours = accel.jit(error_model="numpy")(power)(a, b)
    assert same_number(ours, numpy_reference(power, a, b)) and math.isinf(ours)
    if numba is not None and not isinstance(b, int):
        # numba gives inf here in both models; for a float to an int power it raises
        # ZeroDivisionError even with error_model="numpy", where accel gives NumPy's inf.
        assert same_number(ours, numba.njit(error_model="numpy")(power)(a, b))


@pytest.mark.parametrize("function, argument", [(square_root, -1.0), (logarithm, 0.0), (logarithm, -1.0)])
def test_error_model_does_not_change_math_functions(function, argument):
    # numba's numpy model changes only division: its math functions return nan/-inf in
    # both models. accel's raise ValueError as CPython's do, in both models.
    for options in ({}, {"error_model": "numpy"}):
        with pytest.raises(ValueError, match="math domain error"):
            accel.jit(**options)(function)(argument)
    if numba is not None:
        python_model = numba.njit(error_model="python")(function)(argument)
        assert same_number(numba.njit(error_model="numpy")(function)(argument), python_model)


def test_numpy_model_in_prange_chunks():
    x = np.arange(1, 100_001)
    y = np.zeros(100_000, dtype=np.int64)
    y[::2] = 3
    assert accel.jit(parallel=True, error_model="numpy")(prange_floor_divide)(x, y) == (x[::2] // 3).sum()
    with pytest.raises(ZeroDivisionError):
        accel.jit(parallel=True)(prange_floor_divide)(x, y)
