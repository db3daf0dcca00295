"""accel.overload: numba's @overload, checked against the overloaded function run by
CPython or NumPy."""
import subprocess
import sys
import textwrap

import numpy as np
import numpy as xp
import pytest

import accel
from accel import _cache, _overload, types
from reference import check


@pytest.fixture
def registered():
    """Registers overloads for one test only: the registry is the process's."""
    before = dict(_overload._overloads)
    yield accel.overload
    _overload._overloads.clear()
    _overload._overloads.update(before)


def clamp(a, lo, hi):
    return np.minimum(np.maximum(a, lo), hi)


def register_clamp(overload, seen=None):
    @overload(clamp)
    def typing(a, lo, hi):
        if seen is not None:
            seen.append((a, lo, hi))
        if isinstance(a, types.Array) and a.ndim == 1:
            def clamp_array(a, lo, hi):
                out = np.empty_like(a)
                for i in range(a.size):
                    out[i] = min(max(a[i], lo), hi)
                return out
            return clamp_array
        if isinstance(a, types.Float):
            def clamp_number(a, lo, hi):
                return min(max(a, lo), hi)
            return clamp_number
        return None
    return typing


def test_the_implementation_is_chosen_by_the_argument_types(registered):
    seen = []
    register_clamp(registered, seen)

    def both(x, lo):
        return clamp(x, lo, 0.5), clamp(1.0, lo, 0.5)

    x = np.linspace(0.0, 1.0, 11)
    got = accel.jit(both)(x, 0.2)
    expected = both(x, 0.2)
    np.testing.assert_array_equal(got[0], expected[0])
    assert got[1] == expected[1]
    assert (types.Array(types.float64, 1, "C"), types.float64, types.float64) in seen
    assert (types.float64, types.float64, types.float64) in seen


def test_no_implementation_for_the_types_is_a_compile_error_at_the_call(registered):
    register_clamp(registered)

    @accel.jit
    def ints(n):
        return clamp(n, 1, 2)

    with pytest.raises(accel.CompileTypeError) as raised:
        ints(3)
    message = str(raised.value)
    assert "clamp(int64, int64, int64) is not supported in compiled code" in message
    assert "return clamp(n, 1, 2)" in message  # the call is shown


def test_a_typing_function_must_return_a_function(registered):
    @registered(clamp)
    def typing(a, lo, hi):
        return 42

    with pytest.raises(TypeError, match="must return a Python function or None, not int"):
        accel.jit(lambda x: clamp(x, 0.0, 1.0))(0.5)


def test_keywords_reach_the_typing_function_and_the_implementation(registered):
    def scaled(x, factor=2.0):
        return x * factor

    @registered(scaled)
    def typing(x, factor=None):
        def implementation(x, factor=2.0):
            return x * factor
        return implementation

    check(lambda x: scaled(x) + scaled(x, factor=3.0), 1.5)


def test_a_numpy_function_accel_lacks_is_overloaded_by_identity_under_any_name(registered):
    assert not hasattr(accel, "sinc")

    @registered(np.sinc)
    def typing(x):
        if isinstance(x, types.Array):
            def sinc(x):
                out = np.empty_like(x)
                for i in range(x.size):
                    v = np.pi * x[i]
                    out[i] = 1.0 if v == 0.0 else np.sin(v) / v
                return out
            return sinc

    x = np.linspace(-2.0, 2.0, 9)
    np.testing.assert_allclose(accel.jit(lambda x: np.sinc(x))(x), np.sinc(x), rtol=1e-15)
    np.testing.assert_allclose(accel.jit(lambda x: xp.sinc(x))(x), np.sinc(x), rtol=1e-15)


def test_a_users_overload_replaces_accels_own(registered):
    @registered(np.sqrt)
    def typing(x):
        def non_negative_sqrt(x):
            return np.float64(0.0) if x < 0 else x ** 0.5
        return non_negative_sqrt

    assert accel.jit(lambda x: np.sqrt(x))(-4.0) == 0.0
    assert accel.jit(lambda x: np.sqrt(x))(16.0) == 4.0


def test_an_implementation_may_call_the_overloaded_function_for_other_types(registered):
    def total(x):
        return float(np.sum(x))

    @registered(total)
    def typing(x):
        if isinstance(x, types.Array) and x.ndim == 2:
            def rows(x):
                s = 0.0
                for i in range(x.shape[0]):
                    s += total(x[i])
                return s
            return rows
        if isinstance(x, types.Array):
            def flat(x):
                s = 0.0
                for v in x:
                    s += v
                return s
            return flat

    x = np.arange(12.0).reshape(3, 4)
    assert accel.jit(lambda x: total(x))(x) == total(x)


def test_numbas_extending_names():
    from accel.extending import overload, register_jitable
    assert overload is accel.overload

    @register_jitable
    def twice(x):
        return 2 * x

    assert twice(4) == 8  # still a Python function
    check(lambda x: twice(x) + 1, 20)
    assert register_jitable(inline="always")(twice) is twice


def test_refused_targets_and_typing_functions():
    with pytest.raises(TypeError, match="expects the function to overload"):
        accel.overload(3)
    with pytest.raises(TypeError, match="decorates a function"):
        accel.overload(clamp)(None)
    with pytest.raises(TypeError, match="unexpected keyword argument 'fastest'"):
        accel.overload(clamp, fastest=True)
    with pytest.raises(NotImplementedError, match="CPU only"):
        accel.overload(clamp, target="cuda")
    accel.overload(clamp, jit_options={"fastmath": True}, strict=False, inline="never", prefer_literal=True)


def test_an_overload_index_belongs_to_its_compilation(registered):
    # Overloads are numbered per compilation; a type made in one must not carry its
    # number into another (the second caller's clamp is number 0, the first's number 1).
    register_clamp(registered)

    @registered(np.sinc)
    def typing(x):
        def one(x):
            return 1.0
        return one

    both = accel.jit(lambda x: np.sinc(x) + clamp(x, 0.0, 0.5))
    alone = accel.jit(lambda x: clamp(x, 0.0, 0.5))
    assert both(0.75) == 1.5
    assert alone(0.75) == 0.5


def test_the_cache_key_follows_the_typing_function(registered):
    def caller(x):
        return clamp(x, 0.0, 1.0)

    key = lambda: _cache.cache_key(caller, (), (0,))
    plain = key()
    register_clamp(registered)
    first = key()

    @registered(clamp)
    def other(a, lo, hi):
        def implementation(a, lo, hi):
            return lo
        return implementation

    assert len({plain, first, key()}) == 3


def test_an_overload_in_a_users_module_as_numba_code_writes_it(tmp_path):
    (tmp_path / "kernels.py").write_text(textwrap.dedent("""
        import numpy as np
        from accel import njit
        from accel.extending import overload

        @overload(np.sinc)
        def _sinc(x):
            def impl(x):
                v = np.pi * x
                return 1.0 if v == 0.0 else np.sin(v) / v
            return impl

        @njit
        def sinc_sum(n):
            s = 0.0
            for i in range(n):
                s += np.sinc(i / 10.0)
            return s
    """))
    script = "import kernels, numpy as np; print(repr(float(kernels.sinc_sum(50))), repr(float(np.sinc(np.arange(50) / 10.0).sum())))"
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    got, expected = map(float, out.stdout.split())
    assert got == pytest.approx(expected, rel=1e-14)


def label_length(text, n):
    return len(text) + n


def test_a_string_argument_reaches_the_typing_function_as_unicode_type(registered):
    seen = []

    @registered(label_length)
    def _typing(text, n):
        seen.append(text)
        return (lambda text, n: n) if text == types.unicode_type else None

    @accel.jit
    def caller(n):
        return label_length("abc", n)

    assert caller(4) == 4 and seen == [types.unicode_type]
