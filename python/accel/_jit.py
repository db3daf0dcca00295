"""The @accel.jit decorator: the Python side of the compiler.

Python reads the function's source and resolves the names it uses (frozen at compile
time); everything else — inference, code generation, dispatch — is C++ in accel._core.
"""
import functools
import inspect
import types
import weakref

from . import _cache, _core, _export, _signatures, _source
from ._errors import CompileError, CompileTypeError, ParallelSafetyWarning, name_notebook_cells
from ._jit_options import UNSET, check_neutral_options, error_model_name, fastmath_flags, inherited

__all__ = ["jit", "njit", "prange", "CompileError", "CompileTypeError", "ParallelSafetyWarning", "set_num_threads",
           "get_num_threads"]

_core.set_error_classes(CompileError, CompileTypeError, ParallelSafetyWarning)
_core.set_exception_resolver(_export.exception_path, _export.exception_class)

# Signatures compiled from source in this process (not those loaded as object code from
# a pickle), so tests and the pool can see that workers did not compile again.
compilation_count = 0

_WRAPPER_NOTE = ("accel.jit was given a wrapper made by another decorator (it has __wrapped__, as "
                 "functools.wraps sets): accel compiles the wrapper itself, never the function it "
                 "wraps. Put @accel.jit directly above the def, below the other decorator.")


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


def jit(function=None, *, boundscheck=True, nogil=False, parallel=False, nopython=True,
        fastmath=UNSET, error_model=UNSET, **options):
    """Compile a numeric Python function to machine code on its first call.

    One native specialization is made per tuple of argument types and kept for later
    calls. ``boundscheck=False`` removes index checks; ``nogil=True`` releases the GIL
    while compiled code runs; ``parallel=True`` runs ``accel.prange`` loops on threads.
    ``fastmath=True`` (or a set of LLVM flag names) lets LLVM reorder float arithmetic;
    ``error_model="numpy"`` makes division by zero give NumPy's inf, nan or 0.
    ``cache=True`` keeps compiled code on disk for later processes (see _cache.py).
    As numba's, ``jit("float64(float64[:], int64)")`` (or a list of signatures) compiles
    them when it decorates, and then only those (see _signatures.py).
    """
    if "signature_or_function" in options:  # numba's name for the first argument
        function = options.pop("signature_or_function")
    cache = options.pop("cache", False)
    check_neutral_options(options)
    if not nopython:
        raise NotImplementedError("accel.jit always compiles without Python objects; "
                                  "nopython=False (object mode) is not available")
    # numba's boundscheck=None means "the global default", which is on here.
    settings = {"boundscheck": boundscheck is None or bool(boundscheck), "nogil": bool(nogil),
                "parallel": bool(parallel), "fastmath": fastmath_flags(fastmath),
                "error_model": error_model_name(error_model), "inherit": inherited(fastmath, error_model),
                "cache": bool(cache)}
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


def _make_dispatcher(function, settings, source=None, need_source=True):
    if isinstance(function, _core.Dispatcher):
        function = function.py_func
    if not isinstance(function, types.FunctionType):
        raise TypeError(f"accel.jit compiles Python functions, not {type(function).__name__}")
    if source is None and need_source:
        try:
            source = _source.capture(function)  # a function without source fails here, not at its call
        except CompileError as error:
            raise name_notebook_cells(error) from None
    if source is not None:
        _export.sources[function] = source
    hook = _Hook(function, settings)
    dispatcher = _core.Dispatcher(function, hook, function.__code__.co_argcount, settings["nogil"])
    hook.dispatcher = weakref.ref(dispatcher)
    functools.update_wrapper(dispatcher, function)
    dispatcher._accel_settings = settings
    dispatcher.stats = hook.cache.stats
    return dispatcher


def _rebuild(function, settings, specializations=(), shipped_source=None, signatures=None):
    """Unpickles a dispatcher: links the object code compiled in the sending process.

    A record this CPU cannot run (a feature it lacks) is skipped; that signature is
    compiled from source at its first call, as for a function never called before. The
    definition's lines come along, since the receiver may not have them (a notebook cell).
    """
    source = _source.shipped(function, *shipped_source) if shipped_source else None
    dispatcher = _make_dispatcher(function, settings, source, need_source=False)
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
        self.cache = _cache.for_function(function, settings)

    def compile(self, codes, declared_return=None):
        global compilation_count
        if self.cache.load(self.dispatcher(), codes, declared_return):
            return
        exporter = _export.Exporter(self.function, self.settings, self.dispatcher())
        try:
            _core.compile_into(self.dispatcher(), exporter, 0, list(codes), declared_return)
        except CompileError as error:
            if hasattr(self.function, "__wrapped__"):
                error.add_note(_WRAPPER_NOTE)
            raise name_notebook_cells(error)
        compilation_count += 1
        self.cache.store(self.dispatcher(), codes, declared_return)

    def bind(self, args, kwargs):
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return bound.args

    def reduce(self):
        # The machine code travels along (see _rebuild): N workers need not compile N times.
        specializations = _core.export_specializations(self.dispatcher())
        signatures = _signatures.declared(self.dispatcher())  # None unless compiled from them
        return (_rebuild, (self.function, self.settings, specializations, self._shipped_source(), signatures))

    def _shipped_source(self):
        try:
            syntax = _source.syntax(self.function, _export.sources.get(self.function))
        except CompileError:
            return None  # the receiver reports it when it compiles
        return (syntax.first_line, syntax.lines)
