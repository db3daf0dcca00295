"""The @accel.jit decorator: the Python side of the compiler.

Python reads the function's source and resolves the names it uses (frozen at compile
time); everything else — inference, code generation, dispatch — is C++ in accel._core.
"""
import ast
import builtins
import functools
import inspect
import textwrap
import types
import weakref

import numpy as np

from . import _core
from . import _signatures

__all__ = ["jit", "njit", "prange", "CompileError", "CompileTypeError", "set_num_threads",
           "get_num_threads"]


class CompileError(Exception):
    """A function (or a call signature) that accel cannot compile.

    The message names the file, line and column, shows the source line with a caret
    under the construct, and says what is supported instead. ``filename``, ``lineno``,
    ``col`` and ``reason`` hold the same facts.
    """

    filename = None
    lineno = None
    col = None
    reason = None


class CompileTypeError(CompileError, TypeError):
    """A CompileError about types: ``except TypeError`` catches it too."""


_core.set_error_classes(CompileError, CompileTypeError)

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# Signatures compiled from source in this process (not those loaded as object code from
# a pickle), so tests and the pool can see that workers did not compile again.
compilation_count = 0

# numba options users bring along; each is refused by name rather than ignored.
_NOT_IMPLEMENTED = {"fastmath", "cache", "error_model", "inline", "looplift",
                    "forceobj", "debug", "target", "locals"}


def prange(*args):
    """``range`` whose iterations may run in parallel inside ``@accel.jit(parallel=True)``.

    Everywhere else (plain Python, or a jitted function without ``parallel=True``) it is
    exactly ``range``.
    """
    return range(*args)


def set_num_threads(n):
    """Threads used by prange loops (default: ACCEL_NUM_THREADS, else every core this
    process may use)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"set_num_threads() takes an int, not {type(n).__name__}")
    if n < 1:
        raise ValueError(f"set_num_threads() needs at least 1 thread, got {n}")
    _core.set_num_threads(n)


def get_num_threads():
    """Threads prange loops use now."""
    return _core.get_num_threads()


def jit(function=None, *, boundscheck=True, nogil=False, parallel=False, nopython=True, **options):
    """Compile a numeric Python function to machine code on its first call.

    One native specialization is made per tuple of argument types and kept for later
    calls. ``boundscheck=False`` removes index checks; ``nogil=True`` releases the GIL
    while compiled code runs; ``parallel=True`` runs ``accel.prange`` loops on threads.
    As numba's, ``jit("float64(float64[:], int64)")`` (or a list of signatures) compiles
    them when it decorates, and then only those (see _signatures.py).
    """
    if "signature_or_function" in options:  # numba's name for the first argument
        function = options.pop("signature_or_function")
    for name in options:
        if name in _NOT_IMPLEMENTED:
            raise NotImplementedError(f"accel.jit({name}=...) is not implemented yet")
        raise TypeError(f"accel.jit() got an unexpected keyword argument {name!r}")
    if not nopython:
        raise NotImplementedError("accel.jit always compiles without Python objects; "
                                  "nopython=False (object mode) is not available")
    settings = {"boundscheck": bool(boundscheck), "nogil": bool(nogil), "parallel": bool(parallel)}
    if _signatures.given(function):  # numba's eager form: compile these signatures now
        signatures = _signatures.parse(function)
        return lambda f: _signatures.compile_signatures(_make_dispatcher(f, settings), signatures)
    if function is None:
        return functools.partial(_make_dispatcher, settings=settings)
    if not callable(function):
        raise TypeError(f"accel.jit expects a function, got {type(function).__name__}")
    return _make_dispatcher(function, settings)


def njit(function=None, **options):
    """numba's njit: jit, which always compiles without Python objects."""
    return jit(function, **options)


def _make_dispatcher(function, settings):
    if isinstance(function, _core.Dispatcher):
        function = function.py_func
    if not isinstance(function, types.FunctionType):
        raise TypeError(f"accel.jit compiles Python functions, not {type(function).__name__}")
    hook = _Hook(function, settings)
    dispatcher = _core.Dispatcher(function, hook, function.__code__.co_argcount, settings["nogil"])
    hook.dispatcher = weakref.ref(dispatcher)
    functools.update_wrapper(dispatcher, function)
    dispatcher._accel_settings = settings
    return dispatcher


def _rebuild(function, settings, specializations=(), signatures=None):
    """Unpickles a dispatcher: links the object code compiled in the sending process.

    A record this CPU cannot run (a feature it lacks) is skipped; that signature is
    compiled from source at its first call, as for a function never called before.
    """
    dispatcher = _make_dispatcher(function, settings)
    for record in specializations:
        _core.import_specialization(dispatcher, record)
    if signatures is not None:  # still only these; one whose record was skipped compiles now
        _signatures.compile_signatures(dispatcher, signatures)
    return dispatcher


def compile_for_args(dispatcher, args, kwargs=None):
    """Compile the specialization ``dispatcher(*args, **kwargs)`` would use, without
    calling it (a no-op when it is compiled already).

    Done before pickling a jitted function for other processes, so they receive its
    machine code rather than each compiling it. Raises what the call would raise for
    arguments that do not bind or cannot be compiled.
    """
    if not isinstance(dispatcher, _core.Dispatcher):
        raise TypeError(f"compile_for_args() needs an accel.jit function, not {type(dispatcher).__name__}")
    _core.compile_for_arguments(dispatcher, tuple(args), dict(kwargs) if kwargs else None)


class _Hook:
    """What the C++ dispatcher calls back for: compiling, binding keywords, pickling."""

    def __init__(self, function, settings):
        self.function = function
        self.settings = settings
        self.signature = inspect.signature(function)
        self.dispatcher = None

    def compile(self, codes, declared_return=None):
        global compilation_count
        records = _Exporter().export(self.function, self.settings)
        _core.compile_into(self.dispatcher(), records, 0, list(codes), declared_return)
        compilation_count += 1

    def bind(self, args, kwargs):
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return bound.args

    def reduce(self):
        # The machine code travels along (see _rebuild): N workers need not compile N times.
        specializations = _core.export_specializations(self.dispatcher())
        args = (self.function, self.settings, specializations)
        signatures = _signatures.declared(self.dispatcher())  # None unless compiled from them
        return (_rebuild, args + (signatures,) if signatures else args)


def _constant(value):
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        if _INT64_MIN <= value <= _INT64_MAX:
            return ("int", value)
        return ("unsupported", "int that does not fit in 64 bits")
    if isinstance(value, float):
        return ("float", value)
    return None


class _Exporter:
    """Turns a function and everything it calls into records for accel._core."""

    def __init__(self):
        self.records = []
        self.index = {}

    def export(self, function, settings):
        self._add(function, settings)
        return self.records

    def _add(self, function, settings):
        if function in self.index:
            return self.index[function]
        position = len(self.records)
        self.index[function] = position
        self.records.append(None)
        tree, filename, first_line, lines = _parse(function)
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        scope = _scope(function)
        resolved = {}
        for name in names:
            if name in scope:
                resolved[name] = self._describe(scope[name], settings)
        defaults = [None] * function.__code__.co_argcount
        for offset, value in enumerate(function.__defaults__ or ()):
            defaults[len(defaults) - len(function.__defaults__) + offset] = _constant(value) or (
                "unsupported", type(value).__name__)
        self.records[position] = (tree, filename, first_line, lines, function.__name__,
                                  resolved, defaults, settings["boundscheck"], settings["nogil"],
                                  settings["parallel"])
        return position

    def _describe(self, value, settings):
        constant = _constant(value)
        if constant:
            return constant
        if value is prange:  # before plain functions: prange is one, but a builtin here
            return ("builtin", "accel.prange")
        if isinstance(value, types.ModuleType):
            return ("module", value.__name__)
        if isinstance(value, _core.Dispatcher):
            return ("function", self._add(value.py_func, value._accel_settings))
        if isinstance(value, types.FunctionType):
            # A plain Python function is compiled along with its caller.
            return ("function", self._add(value, settings))
        if isinstance(value, np.ufunc):
            return ("builtin", f"numpy.{value.__name__}")
        if callable(value) and hasattr(value, "__name__"):
            module = getattr(value, "__module__", None) or "builtins"
            return ("builtin", f"{module}.{value.__name__}")
        return ("unsupported", type(value).__name__)


def _scope(function):
    """Names visible to the function: closure cells, then globals, then builtins."""
    scope = dict(vars(builtins))
    scope.update(function.__globals__)
    if function.__closure__:
        for name, cell in zip(function.__code__.co_freevars, function.__closure__):
            try:
                scope[name] = cell.cell_contents
            except ValueError:  # an empty cell: the name is not bound yet
                pass
    return scope


@functools.lru_cache(maxsize=256)
def _parse_source(source, indent, first_line):
    tree = ast.parse(textwrap.dedent(source))
    ast.increment_lineno(tree, first_line - 1)
    if indent:
        for node in ast.walk(tree):
            if hasattr(node, "col_offset"):
                node.col_offset += indent
                node.end_col_offset += indent
    return tree


def _parse(function):
    try:
        lines, first_line = inspect.getsourcelines(function)
    except (OSError, TypeError) as error:
        raise CompileError(f"cannot read the source of {function.__qualname__}: {error}. "
                           "accel.jit compiles functions defined in files or notebooks.") from None
    source = "".join(lines)
    indent = len(lines[0]) - len(lines[0].lstrip())
    module = _parse_source(source, indent, first_line)
    definition = module.body[0] if module.body else None
    filename = inspect.getsourcefile(function) or function.__code__.co_filename
    if not isinstance(definition, ast.FunctionDef):
        raise CompileError(f'File "{filename}", line {first_line}: accel.jit compiles functions '
                           "defined with def; lambdas are not supported. Define the function "
                           "with def instead.")
    return definition, filename, first_line, [line.rstrip("\r\n") for line in lines]
