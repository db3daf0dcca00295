"""``@accel.vectorize`` and ``@accel.guvectorize``: NumPy ufuncs from compiled kernels,
as numba's.

The kernel is a jitted function (an ``accel.jit`` dispatcher, compiled with NumPy's
error model as numba's ufunc kernels are). For each signature accel._core compiles the
kernel together with NumPy's inner loop around it (src/codegen/ufunc_loop.cpp) and makes
a real ``np.ufunc`` over those loops (src/dispatch/ufunc_object.cpp); NumPy does the rest.

- With signatures, ``vectorize``/``guvectorize`` return that ``np.ufunc`` (numba returns
  its DUFunc/GUFunc wrapper, frozen).
- Without, they return a DUFunc/GUFunc: it calls its current ufunc, and when NumPy finds
  no loop for the inputs' dtypes it compiles one, makes a new ufunc with every loop so
  far, and calls that.

Both pickle by value with their machine code, so pool workers do not compile again.
"""
import functools
import inspect
import threading

import numpy as np

from . import _core, _ufunc_layout
from ._ufunc_loops import (NoLoopError, check_dtypes, check_operand_count, compile_loop, compile_loops, dtype_of,
                           elementwise_layout, identity_code, input_key, kernel_dispatcher, kernel_options,
                           linked_loops, loop_key, nargs)
from ._ufunc_object import finish, kernel_from_payload, kernel_payload
from ._ufunc_signatures import guvectorize_layout, parse as parse_signatures, vectorize_layout

__all__ = ["vectorize", "guvectorize", "DUFunc", "GUFunc"]


# --- the dynamic forms --------------------------------------------------------------

class _Dynamic:
    """What DUFunc and GUFunc share: the current np.ufunc, rebuilt with each new loop."""

    def __init__(self, kernel, identity, core_layout, loops=(), frozen=False):
        identity_code(identity)
        self._dispatcher = kernel
        self._identity = identity
        self._core_layout = core_layout
        self._loops = list(loops)
        self._frozen = frozen
        self._lock = threading.RLock()
        self.ufunc = finish(kernel, identity, core_layout, self._loops)
        functools.update_wrapper(self, kernel.py_func)

    # numba's attributes, from the current ufunc
    nin = property(lambda self: self.ufunc.nin)
    nout = property(lambda self: self.ufunc.nout)
    nargs = property(lambda self: self.ufunc.nargs)
    ntypes = property(lambda self: self.ufunc.ntypes)
    types = property(lambda self: self.ufunc.types)
    identity = property(lambda self: self.ufunc.identity)
    signature = property(lambda self: self.ufunc.signature)

    def disable_compile(self):
        """Stop compiling new loops: a call no loop takes raises NumPy's TypeError."""
        if not self._loops:
            raise RuntimeError(f"{self.__name__} has no loop yet: call it (or add() a signature) first")
        self._frozen = True

    def _add_loop(self, layout):
        """Compiles the loop unless one for the same operand dtypes exists; False when it does."""
        with self._lock:
            key = input_key(layout)
            if any(loop_key(loop, layout[0], layout[1]) == key for loop in self._loops):
                return False
            if self._frozen:
                raise RuntimeError(f"compilation disabled for {self!r}")
            loop = compile_loop(self._dispatcher, layout)
            self._loops.append(loop)
            self.ufunc = finish(self._dispatcher, self._identity, self._core_layout, self._loops)
            return True

    def _call(self, method, dtypes_for, args, kwargs):
        """ufunc.method(*args, **kwargs); when NumPy finds no loop, compile one for the
        dtypes `dtypes_for()` names and call again."""
        try:
            return getattr(self.ufunc, method)(*args, **kwargs)
        except NoLoopError as error:
            if self._frozen:
                raise
            failure = error
        self._compile_for(dtypes_for(), failure)
        return getattr(self.ufunc, method)(*args, **kwargs)

    def _compile_for(self, dtypes, failure):
        """Adds the loop for these dtypes (NumPy's `failure` when they are unknown). When
        the loop exists (another thread added it, or the call failed for another reason,
        such as dtype=) nothing is added and the caller's retry meets NumPy's error."""
        if dtypes is None:
            raise failure
        self._add(dtypes)

    def __reduce__(self):
        return (_rebuild_dynamic, (type(self), kernel_payload(self._dispatcher), self._identity,
                                   self._core_layout.text if self._core_layout else None,
                                   [_core.ufunc_loop_record(loop) for loop in self._loops], self._frozen))

    def __repr__(self):
        return f"<accel.{type(self).__name__} {self.__name__!r}>"


def _rebuild_dynamic(cls, payload, identity, layout_text, records, frozen):
    kernel = kernel_from_payload(payload)
    core_layout = _ufunc_layout.parse(layout_text) if layout_text else None
    return _dynamic(cls, kernel, identity, core_layout, linked_loops(kernel, records), frozen)


class DUFunc(_Dynamic):
    """A ufunc that compiles a loop for each new combination of input dtypes, as numba's
    DUFunc: ``@accel.vectorize`` without signatures.

    A call first runs the current ``np.ufunc`` (``.ufunc``); only when NumPy finds no loop
    that takes the inputs (with its usual safe casting) is one compiled for their dtypes,
    with the output dtype the kernel's result has. ``reduce``, ``accumulate``,
    ``reduceat``, ``outer`` and ``at`` compile the same way.
    """

    def __init__(self, py_func, identity=None, cache=False, targetoptions=None):
        options = dict(targetoptions or {}, cache=cache)
        kernel = kernel_dispatcher(py_func, "vectorize", kernel_options("vectorize", options))
        nargs(kernel.py_func)
        super().__init__(kernel, identity, None)

    def _add(self, dtypes):
        check_dtypes(self.__name__, dtypes)
        return self._add_loop(elementwise_layout(dtypes, None))

    def add(self, signature):
        """Compile the loop for a signature now ('float64(float64, float64)', ...)."""
        for parsed in parse_signatures([signature]):
            self._add_loop(vectorize_layout(parsed, self.ufunc.nin, self.__name__))

    def __call__(self, *args, **kwargs):
        try:
            return self.ufunc(*args, **kwargs)
        except NoLoopError as error:
            if self._frozen:
                raise
            failure = error
        self._compile_for(self._call_dtypes(args, kwargs), failure)
        return self.ufunc(*args, **kwargs)

    def _call_dtypes(self, args, kwargs):
        nin = self.ufunc.nin
        if len(args) < nin:
            return None
        if kwargs.get("dtype") is not None:
            return (np.dtype(kwargs["dtype"]).name,) * nin
        return tuple(dtype_of(a) for a in args[:nin])

    def _reduction(self, method, args, kwargs):
        def dtypes():
            if self.ufunc.nin != 2 or not args:
                return None
            dtype = kwargs.get("dtype")
            name = np.dtype(dtype).name if dtype is not None else dtype_of(args[0])
            return (name, name)
        return self._call(method, dtypes, args, kwargs)

    def reduce(self, *args, **kwargs):
        return self._reduction("reduce", args, kwargs)

    def accumulate(self, *args, **kwargs):
        return self._reduction("accumulate", args, kwargs)

    def reduceat(self, *args, **kwargs):
        return self._reduction("reduceat", args, kwargs)

    def outer(self, *args, **kwargs):
        return self._call("outer", lambda: tuple(dtype_of(a) for a in args[:2]) if len(args) >= 2 else None,
                          args, kwargs)

    def at(self, *args, **kwargs):
        def dtypes():
            operands = [args[0]] + list(args[2:3]) if args else []
            return tuple(dtype_of(a) for a in operands) if len(operands) == self.ufunc.nin else None
        return self._call("at", dtypes, args, kwargs)


class GUFunc(_Dynamic):
    """A generalized ufunc that compiles a loop for each new combination of operand
    dtypes, as numba's GUFunc: ``@accel.guvectorize(layout)`` without signatures. As in
    numba, the outputs must be passed (``f(x, y, out)``) until a loop for the dtypes
    exists: accel cannot know an output's dtype before compiling."""

    def __init__(self, py_func, signature, identity=None, cache=False, targetoptions=None):
        options = dict(targetoptions or {}, cache=cache)
        kernel = kernel_dispatcher(py_func, "guvectorize", kernel_options("guvectorize", options))
        core_layout = _ufunc_layout.parse(signature)
        check_operand_count(kernel.py_func, core_layout)
        super().__init__(kernel, identity, core_layout)

    def _add(self, dtypes):
        check_dtypes(self.__name__, dtypes)
        core = self._core_layout
        nin = len(core.inputs)
        operands = []
        for k, (dtype, dims) in enumerate(zip(dtypes, core.operands)):
            as_array = bool(dims) or k >= nin  # numba: a "()" output is a 1-element array
            operands.append((dtype, core.core_dims(k), as_array, False))
        return self._add_loop((nin, True, tuple(operands)))

    def add(self, signature):
        """Compile the loop for a signature now ('void(float64[:], float64[:])', ...)."""
        for parsed in parse_signatures([signature]):
            self._add_loop(guvectorize_layout(parsed, self._core_layout, self.__name__))

    def __call__(self, *args, **kwargs):
        core = self._core_layout
        nin, count = len(core.inputs), len(core.operands)

        def dtypes():
            operands = list(args)
            out = kwargs.get("out")
            if out is not None:
                operands += list(out) if isinstance(out, tuple) else [out]
            if len(operands) != count:
                raise TypeError(
                    f"{self.__name__}() has no loop yet for these dtypes, and compiling one needs every "
                    f"operand, outputs too: call {self.__name__}({', '.join(f'x{i}' for i in range(nin))}, "
                    f"{', '.join(f'out{i}' for i in range(count - nin))}) with output arrays, as numba "
                    "requires (out = gufunc(...) works once a loop exists)")
            return tuple(dtype_of(a) for a in operands)
        return self._call("__call__", dtypes, args, kwargs)


# --- the decorators -----------------------------------------------------------------

def vectorize(ftylist_or_function=(), **options):
    """``vectorize(signatures=(), *, identity=None, target='cpu', **options)``: a NumPy
    ufunc whose loops run a compiled scalar kernel, as numba's.

    With signatures (``["float64(float64, float64)", "int64(int64, int64)"]``, or numba's
    type objects) the loops are compiled now, one per signature in that order, and a real
    ``np.ufunc`` is returned. Without (``@vectorize`` or ``@vectorize()``), a DUFunc that
    compiles a loop for each new combination of input dtypes. ``identity`` (0, 1,
    'reorderable' or None) is what ``reduce`` starts from; ``boundscheck`` and
    ``fastmath`` go to the kernel's ``accel.jit``.
    """
    identity = options.pop("identity", None)
    identity_code(identity)
    jit_options = kernel_options("vectorize", options)
    if inspect.isfunction(ftylist_or_function) or isinstance(ftylist_or_function, _core.Dispatcher):
        return _dynamic(DUFunc, kernel_dispatcher(ftylist_or_function, "vectorize", jit_options), identity, None)
    signatures = parse_signatures(ftylist_or_function) if ftylist_or_function else []

    def wrap(function):
        kernel = kernel_dispatcher(function, "vectorize", jit_options)
        nin = nargs(kernel.py_func)
        if not signatures:
            return _dynamic(DUFunc, kernel, identity, None)
        name = kernel.py_func.__qualname__
        layouts = [vectorize_layout(signature, nin, name) for signature in signatures]
        return finish(kernel, identity, None, compile_loops(kernel, layouts))
    return wrap


def _dynamic(cls, kernel, identity, core_layout, loops=(), frozen=False):
    """A DUFunc or GUFunc over a kernel that is ready (the public constructors take
    numba's arguments instead)."""
    self = cls.__new__(cls)
    _Dynamic.__init__(self, kernel, identity, core_layout, loops, frozen)
    return self


def guvectorize(*args, **options):
    """``guvectorize(signatures, layout, *, identity=None, target='cpu', **options)``: a
    generalized NumPy ufunc whose loops run a compiled kernel over core dimensions, as
    numba's.

    ``layout`` is NumPy's gufunc signature, ``"(n),()->(n)"`` or ``"(m,n),(n,p)->(m,p)"``.
    The kernel takes every input, then every output, as arrays over their core
    dimensions (numbers for ``()`` inputs declared as numbers), writes the outputs and
    returns nothing. With signatures (``["void(float64[:], float64, float64[:])"]``) a
    real ``np.ufunc`` is returned; with only the layout, a GUFunc that compiles a loop for
    each new combination of operand dtypes (outputs must then be passed, as in numba).
    """
    if len(args) == 1:
        signatures, layout = [], args[0]
    elif len(args) == 2:
        signatures, layout = args
    else:
        raise TypeError("guvectorize() takes the signatures and the layout, or the layout alone: "
                        "guvectorize(['void(float64[:], float64[:])'], '(n)->(n)')")
    identity = options.pop("identity", None)
    identity_code(identity)
    options.pop("is_dynamic", None)
    jit_options = kernel_options("guvectorize", options)
    core_layout = _ufunc_layout.parse(layout)
    parsed = parse_signatures(signatures) if signatures else []

    def wrap(function):
        kernel = kernel_dispatcher(function, "guvectorize", jit_options)
        check_operand_count(kernel.py_func, core_layout)
        if not parsed:
            return _dynamic(GUFunc, kernel, identity, core_layout)
        name = kernel.py_func.__qualname__
        layouts = [guvectorize_layout(signature, core_layout, name) for signature in parsed]
        return finish(kernel, identity, core_layout, compile_loops(kernel, layouts))
    return wrap
