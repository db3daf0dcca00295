"""Complex numbers in compiled code (issue #13): Python's complex against CPython, NumPy's
complex64/complex128 scalars and arrays against NumPy, bit for bit, with their errors."""
import cmath
import math

import numpy as np
import pytest

import accel
from accel import complex128, float64


def same(got, expected):
    """Equal values of the same type, NaNs in the same places (a tuple element by element)."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
        return
    assert type(got) is type(expected), (type(got), type(expected))
    if isinstance(expected, np.ndarray):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
        return
    for g, e in ((complex(got).real, complex(expected).real), (complex(got).imag, complex(expected).imag)):
        assert (math.isnan(g) and math.isnan(e)) or (g == e and math.copysign(1, g) == math.copysign(1, e)), (got, expected)


def check(function, *args):
    """function compiled gives what CPython (and NumPy) give running it, or raises the same."""
    compiled = accel.jit(function)
    with np.errstate(all="ignore"):
        try:
            expected = function(*args)
        except Exception as error:  # noqa: BLE001 - the reference's own error
            with pytest.raises(type(error)) as raised:
                compiled(*args)
            assert str(raised.value) == str(error)
            return
    same(compiled(*args), expected)


def arithmetic(a, b):
    return a + b, a - b, a * b, -a, +a, a == b, a != b


def quotient(a, b):
    return a / b


def power(a, b):
    return a ** b


def parts(z):
    return z.real, z.imag, z.conjugate(), abs(z)


PYTHON = [1 + 2j, -3.5j, 2.0 + 0j, 0j, -0.0 - 0j, 1e300 + 1e300j, complex(math.inf, 1), complex(math.nan, 0),
          3e-310 + 1e300j]
NUMPY = [np.complex128(1 - 2j), np.complex128(-0.5 + 4j), np.complex64(2 + 1j), np.complex64(-3j)]
REALS = [2, -1.5, True, np.float32(0.25), np.int32(-3)]


@pytest.mark.parametrize("a", PYTHON + NUMPY)
@pytest.mark.parametrize("b", PYTHON[:4] + NUMPY[:3] + REALS)
def test_arithmetic_and_division_give_cpythons_and_numpys_bits(a, b):
    check(arithmetic, a, b)
    check(arithmetic, b, a)
    for x, y in ((a, b), (b, a)):
        if y == 0 and isinstance(x, np.generic) or isinstance(y, np.generic) and y == 0:
            continue  # a NumPy scalar's zero divisor: semantics #50, tested below
        check(quotient, x, y)


@pytest.mark.parametrize("a", PYTHON[:5] + NUMPY)
@pytest.mark.parametrize("b", [0, 1, 2, 3, 5, -1, -3, 0.5, 1j, 0.5 - 1j, 2 + 0j, 101, np.complex128(-2)])
def test_powers_follow_cpythons_and_numpys_algorithms(a, b):
    check(power, a, b)


def test_python_errors_are_cpythons():
    check(quotient, 1 + 2j, 0j)             # ZeroDivisionError: complex division by zero
    check(quotient, 1 + 2j, 0)
    check(power, 0j, -1)                    # ZeroDivisionError: 0.0 to a negative or complex power
    check(power, 0j, 1j)
    check(power, 1e200 + 1e200j, 3)         # OverflowError: complex exponentiation
    check(parts, 1e308 + 1e308j)            # OverflowError: absolute value too large


def test_a_python_complex_beside_a_float64_is_a_complex128_either_side():
    # CPython: complex + np.float64 is a Python complex (np.float64 is a float), and
    # np.float64 + complex NumPy's complex128; compiled code gives complex128 both ways
    # (docs/semantics.md #49).
    add = accel.jit(lambda a, b: a + b)
    same(add(np.float64(7.0), 1 + 2j), np.float64(7.0) + (1 + 2j))
    assert type((1 + 2j) + np.float64(7.0)) is complex
    same(add(1 + 2j, np.float64(7.0)), np.complex128(8 + 2j))


def test_numpy_scalars_divide_by_zero_as_the_error_model_says():
    # error_model="python" (the default): ZeroDivisionError, as for NumPy's floats
    # (docs/semantics.md #7); "numpy": NumPy's inf and nan.
    for a, b in [(np.complex128(1 + 2j), np.complex128(0)), (np.complex64(1), np.complex64(0))]:
        with pytest.raises(ZeroDivisionError, match="complex division by zero"):
            accel.jit(quotient)(a, b)
        with np.errstate(all="ignore"):
            same(accel.jit(error_model="numpy")(quotient)(a, b), a / b)
    with np.errstate(all="ignore"):
        z = np.array([1 + 2j, 0, 1j])
        same(accel.jit(quotient)(z, np.zeros(3, complex)), z / 0)  # arrays: NumPy's, always


@pytest.mark.parametrize("z", PYTHON + NUMPY + REALS)
def test_parts_conjugate_and_magnitude(z):
    check(parts, z)


def constants(x):
    return 2j * x, complex(x, -1.5), complex(x), complex(), 1j ** 2, complex(True, 2)


@pytest.mark.parametrize("x", [0.5, -3, np.float32(2.5), True])
def test_constants_and_complex_of_reals(x):
    check(constants, x)


def functions(z):
    return np.exp(z), np.log(z), np.sqrt(z), np.sin(z), np.cos(z), np.tan(z), np.sinh(z), np.cosh(z), \
        np.tanh(z), np.abs(z), np.isnan(z), np.isinf(z), np.isfinite(z)


@pytest.mark.parametrize("z", [1 + 2j, -0.5j, np.complex128(3 - 1j), np.complex64(0.25 + 2j), complex(math.inf, 0),
                               complex(0, math.nan)])
def test_numpy_functions_of_complex_numbers(z):
    check(functions, z)


def arrays(z, w):
    return z * w + 1j, z / w, z - 2, np.exp(z), np.abs(z), np.sqrt(z), z == w, abs(z), z.real, z.imag, -z, z ** 2


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_array_expressions_match_numpy(dtype):
    z = np.array([1 + 2j, -3.5j, 2.0, 0j, complex(math.inf, 1), 1e-300 + 1e300j], dtype)
    w = np.array([2 - 1j, 1 + 1j, 0.5j, 0, 1, 3], dtype)
    check(arrays, z, w)
    check(arrays, z[::-2], w[::2])
    check(arrays, z[:0], w[:0])
    check(arrays, z.reshape(2, 3), w[:3])


def reductions(z):
    return z.sum(), np.sum(z), z.mean(), z.prod()


def row_reductions(z):
    return z.sum(axis=0), z.sum(axis=1), z.mean(axis=0), z.mean(axis=1), z.prod(axis=0), z.prod(axis=1)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_sums_means_and_products_are_numpys_bits(dtype):
    # Pairwise sums as NumPy's (parts side by side), the mean divided as complex128,
    # products of rows fused as NumPy's array loops, of a line as its scalar loop.
    rng = np.random.default_rng(9)
    for n in (0, 1, 3, 4, 7, 8, 9, 63, 64, 65, 129, 1000, 10001):
        z = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
        for line in (z, z[::2], z[::-1]):
            if n == 0:
                with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
                    expected = reductions(line)
                same(accel.jit(reductions)(line), expected)
                continue
            check(reductions, line)
    m = (rng.standard_normal((5, 70)) + 1j * rng.standard_normal((5, 70))).astype(dtype)
    check(row_reductions, m)


def long_products(z, w):
    return z * w, z[::2] * w[::2], z * (1 + 2j), z / w


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_long_array_products_are_numpys_bits(dtype):
    rng = np.random.default_rng(10)
    z = (rng.standard_normal(1001) + 1j * rng.standard_normal(1001)).astype(dtype)
    w = (rng.standard_normal(1001) + 1j * rng.standard_normal(1001)).astype(dtype)
    check(long_products, z, w)


def vectorized_dft(x):
    n = x.shape[0]
    out = np.zeros(n, dtype=np.complex128)
    t = np.arange(n)
    for k in range(n):
        out[k] = (x * np.exp(-2j * np.pi * k * t / n)).sum()
    return out


def test_a_vectorized_dft_gives_numpys_bits():
    check(vectorized_dft, np.random.default_rng(11).standard_normal(64))


def mixed_arrays(x, z):
    return x * z, x / z, x + 1j


def test_real_and_complex_arrays_promote_as_numpy():
    x32 = np.arange(4, dtype=np.float32)
    z64 = np.array([1j, 2, 3 + 3j, -1], np.complex64)
    check(mixed_arrays, x32, z64)                     # complex64
    check(mixed_arrays, x32.astype(np.float64), z64)  # complex128
    check(mixed_arrays, np.arange(4, dtype=np.int16), z64)
    check(mixed_arrays, np.arange(4), z64.astype(np.complex128))


def mandelbrot(width, height, max_iter):
    image = np.zeros((height, width), dtype=np.int64)
    for row in range(height):
        for col in range(width):
            c = complex(-2.0 + 3.0 * col / width, -1.5 + 3.0 * row / height)
            z = 0j
            n = 0
            while n < max_iter and abs(z) <= 2.0:
                z = z * z + c
                n += 1
            image[row, col] = n
    return image


def dft(x):
    n = x.shape[0]
    out = np.zeros(n, dtype=np.complex128)
    for k in range(n):
        s = 0j
        for t in range(n):
            s += x[t] * np.exp(-2j * np.pi * k * t / n)
        out[k] = s
    return out


def test_kernels_written_for_numba_give_cpythons_results():
    check(mandelbrot, 40, 30, 60)
    x = np.random.default_rng(5).standard_normal(48)
    check(dft, x)
    np.testing.assert_allclose(accel.jit(dft)(x), np.fft.fft(x), rtol=1e-9, atol=1e-9)


def creation_and_views(n):
    a = np.zeros(n, dtype=np.complex128)
    b = np.full(n, 1j)
    c = np.empty(n, np.complex64)
    c[:] = 2 + 1j
    a[1] = 3 - 1j
    a.imag[0] = 7.0
    d = np.ones(n, a.dtype)
    return a + b, c, a.real.copy(), d


def test_complex_arrays_are_made_written_and_viewed():
    check(creation_and_views, 3)


def test_complex_arguments_and_results_cross_the_boundary_as_their_types():
    identity = accel.jit(lambda z: z)
    for z in PYTHON[:3] + NUMPY:
        same(identity(z), z)
    same(identity(np.array([1j, 2], np.complex64)), np.array([1j, 2], np.complex64))


def test_writes_into_a_complex_argument_reach_the_caller():
    @accel.jit
    def conjugate_in_place(z):
        for i in range(z.shape[0]):
            z[i] = z[i].conjugate()
        z.real[0] = -1.0

    z = np.array([1 + 2j, 3 - 4j], np.complex64)
    conjugate_in_place(z)
    assert z.tolist() == [(-1 - 2j), (3 + 4j)]


def test_signatures_take_complex128():
    scaled = accel.jit(complex128(complex128, float64))(lambda z, x: z * x)
    same(scaled(1 + 2j, 2.0), 2 + 4j)


def test_truth_of_complex_numbers():
    def truth(z):
        return 1 if z else 0

    for z in [0j, 1j, -0.0 + 0j, np.complex128(0), np.complex64(2)]:
        check(truth, z)


def ordered(a, b):
    return a < b


def floor_division(a, b):
    return a // b


def to_float(z):
    return float(z)


def real_only(z):
    return math.sqrt(z)


def reduction(z):
    return z.cumsum()


def formatted(z):
    return f"{z}"


@pytest.mark.parametrize("function,args,cpython_error,message", [
    (ordered, (1j, 2), TypeError, "complex numbers are not ordered"),
    (floor_division, (1j, 2), TypeError, r"unsupported operand type\(s\) for //"),
    (to_float, (1j,), TypeError, r"float\(\) does not take a complex"),
    (real_only, (1j,), TypeError, r"sqrt\(\) does not take a complex"),
    (reduction, (np.ones(2, complex),), None, r"\.cumsum\(\) of a complex array is not supported"),
    (formatted, (1j,), None, "complex numbers cannot be formatted in compiled code yet"),
])
def test_what_python_refuses_or_accel_lacks_is_a_compile_error(function, args, cpython_error, message):
    if cpython_error is not None:
        with pytest.raises(cpython_error):
            function(*args)
    with pytest.raises(accel.CompileError, match=message):
        accel.jit(function)(*args)


def test_cmath_is_refused_naming_the_function():
    def use_cmath(z):
        return cmath.exp(z)

    with pytest.raises(accel.CompileError, match="cmath.exp"):
        accel.jit(use_cmath)(1j)
