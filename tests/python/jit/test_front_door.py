"""The way into @accel.jit as numba users write it: imports, aliases, decorators, names
resolved as Python resolves them, and source that is proven to be the function's own.
Every result is compared with CPython running the same function."""
import functools
import importlib
import linecache
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import accel
import accel as ac
from accel import jit, njit, prange
from reference import check
import reexports


# --- imports and spellings -------------------------------------------------------------

@jit
def bare_jit(x):
    return x * 2 + 1


@jit(boundscheck=None, nogil=True)
def jit_with_numba_default_options(x):
    return x[0] + x[-1]


@njit
def bare_njit(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


@ac.jit(parallel=True)
def aliased_module_prange(x):
    s = 0.0
    for i in ac.prange(len(x)):
        s += x[i]
    return s


@jit(parallel=True)
def imported_prange(x):
    s = 0.0
    for i in prange(len(x)):
        s += x[i] * 2.0
    return s


@reexports.jit(parallel=True)
def reexported_prange(x):
    s = 0.0
    for i in reexports.prange(len(x)):
        s += reexports.root(x[i]) * reexports.PI
    return s


def reexported_helper(x):
    return reexports.scaled(x, 3) + reexports.xp.sqrt(x)


def test_from_accel_import_jit_and_njit():
    assert bare_jit(20) == 41
    assert bare_njit(10) == sum(i * i for i in range(10))
    x = np.arange(5.0)
    assert jit_with_numba_default_options(x) == 4.0


def test_module_aliases_and_reexports_resolve_to_the_same_objects():
    x = np.arange(1000.0)
    assert aliased_module_prange(x) == x.sum()
    assert imported_prange(x) == (x * 2.0).sum()
    assert reexported_prange(x) == pytest.approx(np.sqrt(x).sum() * np.pi)
    check(reexported_helper, 2.0)


def test_numbas_prange_is_accels_prange():
    numba = pytest.importorskip("numba")

    def uses_numba_prange(x):
        s = 0.0
        for i in numba.prange(len(x)):
            s += x[i]
        return s

    x = np.arange(100.0)
    f = accel.jit(parallel=True)(uses_numba_prange)
    assert f(x) == x.sum()


# --- names resolved with Python's scoping ----------------------------------------------

def min_of(v):  # not compilable: a module-level function named like the local below
    return sorted(v)[0]


def local_shadows_a_global_function(x):
    min_of = x[0]
    for v in x:
        if v < min_of:
            min_of = v
    return min_of


def parameter_shadows_a_global_module(np):
    return np * 2


def test_locals_shadow_globals():
    check(local_shadows_a_global_function, np.array([3.0, -1.0, 2.0]))
    check(parameter_shadows_a_global_module, 21)


def never_called_is_never_compiled(x):
    total = 0
    for v in x:
        total += v
    return total


def uncompilable(x):
    return [y := v for v in x]


def names_an_uncompilable_function_without_calling_it(x):
    return never_called_is_never_compiled(x) + len(x)


def calls_an_uncompilable_function(x):
    return uncompilable(x)


def test_a_callee_compiles_only_when_called():
    check(names_an_uncompilable_function_without_calling_it, np.arange(4))
    f = accel.jit(calls_an_uncompilable_function)
    with pytest.raises(accel.CompileError) as info:
        f(np.arange(3))
    # The error is in the callee's own source, where the unsupported construct is.
    assert info.value.lineno == uncompilable.__code__.co_firstlineno + 1
    assert "walrus" in str(info.value)


def test_missing_module_attribute_is_a_compile_error():
    def uses_missing(x):
        return np.no_such_function(x)

    with pytest.raises(accel.CompileError, match="module 'numpy' has no attribute 'no_such_function'"):
        accel.jit(uses_missing)(1.0)


# --- decorators ------------------------------------------------------------------------

registry = {}


def register(name):
    def add(function):
        registry[name] = function
        return function
    return add


@register("above")
@accel.jit
def registered_above(x):
    return x + 1


@accel.jit
@register("below")
def registered_below(x):
    return x - 1


def test_foreign_decorators_above_and_below():
    assert registered_above(1) == 2 and registry["above"] is registered_above
    assert registered_below(1) == 0 and registry["below"](5) == 4


def forwarding(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)
    return wrapper


def doubling(function):
    @functools.wraps(function)
    def wrapper(x):
        return 2 * function(x)
    return wrapper


@accel.jit
@forwarding
def wrapped_by_a_forwarder(x):
    return x + 1


@accel.jit
@doubling
def wrapped_by_a_compilable_wrapper(x):
    return x + 1


def test_a_wrapper_is_compiled_itself_never_its_wrapped_function():
    assert wrapped_by_a_compilable_wrapper(3) == 8  # the wrapper's 2 * (3 + 1), not 4
    with pytest.raises(accel.CompileError) as info:
        wrapped_by_a_forwarder(3)
    assert any("__wrapped__" in note for note in info.value.__notes__)


# --- lambdas, nested and indented definitions -------------------------------------------

def test_lambdas_compile():
    assert accel.jit(lambda x: x * x + 1)(3) == 10
    pair = (accel.jit(lambda a: a + 1), accel.jit(lambda a: a - 1))
    assert pair[0](1) == 2 and pair[1](1) == 0
    spread = accel.jit(
        lambda x, y=2:
            x ** y)
    assert spread(3) == 9 and spread(2, 3) == 8


class Holder:
    @staticmethod
    @accel.jit
    def in_a_class(x):
        """A docstring that goes on
at column 0, which textwrap.dedent cannot take away.
"""
        return x


def only_a_docstring(x):
    """Its code ends on the def line,
    before the definition does."""


def test_definitions_in_a_class_with_a_column_zero_string():
    assert Holder.in_a_class(5) == 5
    check(only_a_docstring, 1)


# --- source that is the function's own ---------------------------------------------------

def write_module(tmp_path, name, text):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name), path
    finally:
        sys.path.remove(str(tmp_path))


def test_an_edit_after_decoration_does_not_change_what_compiles(tmp_path):
    module, path = write_module(tmp_path, "edited_after_decoration", """
        import accel

        @accel.jit
        def f(x):
            return x + 1
        """)
    path.write_text("import accel\n\n\n\n@accel.jit\ndef f(x):\n    return x + 100\n")
    assert module.f(1) == module.f.py_func(1) == 2


def test_a_callee_edited_after_import_asks_for_a_reimport(tmp_path):
    module, path = write_module(tmp_path, "callee_edited", """
        import accel

        def helper(x):
            return x + 1

        @accel.jit
        def f(x):
            return helper(x)
        """)
    path.write_text("import accel\n\n# moved\ndef helper(x):\n    return x + 100\n")
    with pytest.raises(accel.CompileError, match="edited after it was imported.*Re-import") as info:
        module.f(1)
    assert info.value.filename == str(path)


def test_source_that_no_longer_parses_is_a_located_compile_error(tmp_path):
    module, path = write_module(tmp_path, "broken_later", """
        def g(x):
            return x * 3
        """)
    path.write_text("\ndef g(x:\n    return x *\n")
    with pytest.raises(accel.CompileError) as info:
        accel.jit(module.g)(1)
    assert info.value.filename == str(path) and info.value.lineno == 2


def test_exec_without_source_fails_at_decoration():
    namespace = {}
    exec(compile("def f(x):\n    return x\n", "<generated>", "exec"), namespace)
    with pytest.raises(accel.CompileError, match="cannot read the source of f"):
        accel.jit(namespace["f"])


def test_exec_with_source_in_linecache_works_like_a_notebook_cell():
    name = "<accel-test-cell-1>"
    text = "def f(x):\n    return x * 3\n"
    linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    namespace = {}
    exec(compile(text, name, "exec"), namespace)
    assert accel.jit(namespace["f"])(2) == 6


def test_python_dash_c_fails_at_decoration_with_a_clear_error():
    program = "import accel\n@accel.jit\ndef f(x):\n    return x\n"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.returncode == 1
    assert "accel._errors.CompileError" in result.stderr or "CompileError" in result.stderr
    assert "cannot read the source of f" in result.stderr


def _raises_then_unreachable(a):
    if a > 0:
        raise ValueError("positive")
    return a
    return abs(a)  # unreachable: CPython drops its instructions, not its names


def test_unreachable_lines_at_the_end_are_not_taken_for_an_edit():
    from reference import check
    check(_raises_then_unreachable, 1.0)
    check(_raises_then_unreachable, -1.0)
