"""The @accel.jit decorator: the Python side of the compiler.

Python reads the function's source and resolves the names it uses (frozen at compile
time); everything else — inference, code generation, dispatch — is C++ in accel._core.
"""
import functools
import inspect
import types
import weakref

from . import _cache, _core, _export, _source
from ._errors import CompileError, CompileTypeError

__all__ = ["jit", "njit", "prange", "CompileError", "CompileTypeError", "set_num_threads", "get_num_threads"]

_core.set_error_classes(CompileError, CompileTypeError)

# Signatures compiled from source in this process (not those loaded as object code from
# a pickle), so tests and the pool can see that workers did not compile again.
compilation_count = 0

# numba options users bring along; each is refused by name rather than ignored.
_NOT_IMPLEMENTED = {"fastmath", "error_model", "inline", "looplift",
                    "forceobj", "debug", "target", "locals", "signature"}

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


def jit(function=None, *, boundscheck=True, nogil=False, parallel=False, cache=False, nopython=True, **options):
    """Compile a numeric Python function to machine code on its first call.

    One native specialization is made per tuple of argument types and kept for later
    calls. ``boundscheck=False`` removes index checks; ``nogil=True`` releases the GIL
    while compiled code runs; ``parallel=True`` runs ``accel.prange`` loops on threads;
    ``cache=True`` keeps compiled code on disk for later processes (accel._cache).
    """
    for name in options:
        if name in _NOT_IMPLEMENTED:
            raise NotImplementedError(f"accel.jit({name}=...) is not implemented yet")
        raise TypeError(f"accel.jit() got an unexpected keyword argument {name!r}")
    if not nopython:
        raise NotImplementedError("accel.jit always compiles without Python objects; "
                                  "nopython=False (object mode) is not available")
    # numba's boundscheck=None means "the global default", which is on here.
    settings = {"boundscheck": boundscheck is None or bool(boundscheck), "nogil": bool(nogil),
                "parallel": bool(parallel), "cache": bool(cache)}
    if function is None:
        return functools.partial(_make_dispatcher, settings=settings)
    if not callable(function):
        raise TypeError(f"accel.jit expects a function, got {type(function).__name__}")
    return _make_dispatcher(function, settings)


njit = jit  # numba's spelling: accel.jit never falls back to Python objects


def _make_dispatcher(function, settings, source=None, need_source=True):
    if isinstance(function, _core.Dispatcher):
        function = function.py_func
    if not isinstance(function, types.FunctionType):
        raise TypeError(f"accel.jit compiles Python functions, not {type(function).__name__}")
    if source is None and need_source:
        source = _source.capture(function)  # a function without source fails here, not at its call
    if source is not None:
        _export.sources[function] = source
    hook = _Hook(function, settings)
    dispatcher = _core.Dispatcher(function, hook, function.__code__.co_argcount, settings["nogil"])
    hook.dispatcher = weakref.ref(dispatcher)
    functools.update_wrapper(dispatcher, function)
    dispatcher._accel_settings = settings
    dispatcher.stats = hook.cache.stats
    return dispatcher


def _rebuild(function, settings, specializations=(), shipped_source=None):
    """Unpickles a dispatcher: links the object code compiled in the sending process.

    A record this CPU cannot run (a feature it lacks) is skipped; that signature is
    compiled from source at its first call, as for a function never called before. The
    definition's lines come along, since the receiver may not have them (a notebook cell).
    """
    source = _source.shipped(function, *shipped_source) if shipped_source else None
    dispatcher = _make_dispatcher(function, settings, source, need_source=False)
    for record in specializations:
        _core.import_specialization(dispatcher, record)
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

    def compile(self, codes):
        global compilation_count
        if self.cache.load(self.dispatcher(), codes):
            return
        exporter = _export.Exporter(self.function, self.settings)
        try:
            _core.compile_into(self.dispatcher(), exporter.load, 0, list(codes))
        except CompileError as error:
            if hasattr(self.function, "__wrapped__"):
                error.add_note(_WRAPPER_NOTE)
            raise
        compilation_count += 1
        self.cache.store(self.dispatcher(), codes)

    def bind(self, args, kwargs):
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return bound.args

    def reduce(self):
        # The machine code travels along (see _rebuild): N workers need not compile N times.
        specializations = _core.export_specializations(self.dispatcher())
        return (_rebuild, (self.function, self.settings, specializations, self._shipped_source()))

    def _shipped_source(self):
        try:
            syntax = _source.syntax(self.function, _export.sources.get(self.function))
        except CompileError:
            return None  # the receiver reports it when it compiles
        return (syntax.first_line, syntax.lines)
