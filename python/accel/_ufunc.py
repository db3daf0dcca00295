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
import copyreg
import functools
import inspect
import threading

import numpy as np

from . import _core, _export, _jit, _ufunc_layout
from ._errors import CompileError, CompileTypeError, name_notebook_cells

__all__ = ["vectorize", "guvectorize", "DUFunc", "GUFunc"]

# Loops compiled from source in this process (not linked from a pickle): tests count them.
loop_compilations = 0

# numba's identities and NumPy's codes for them.
_IDENTITIES = {0: 0, 1: 1, None: -1, "reorderable": -2}
_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float32", "float64")
_DTYPES_TEXT = "bool, int8-int64, uint8-uint64, float32 and float64"
# What NumPy raises when no loop takes the call's dtypes: _UFuncNoLoopError while the
# ufunc has no loop, a plain TypeError from its type resolution once it has some, a
# UFuncTypeError when an output cannot take the loop's result. As numba's DUFunc does, a
# TypeError makes a DUFunc compile the loop for the call's dtypes, unless it has it: then
# the call is made again and raises NumPy's error.
_NoLoopError = TypeError

# numba's ufunc options (its UFuncTargetOptions) that accel.jit takes as they are.
_KERNEL_OPTIONS = ("boundscheck", "fastmath")
_ACCEPTED = "identity, target='cpu', cache=False, nopython=True, forceobj=False, boundscheck, fastmath"


# --- options ------------------------------------------------------------------------

def _identity_code(identity):
    try:
        return _IDENTITIES[identity]
    except (KeyError, TypeError):
        raise ValueError(f"Invalid identity value {identity!r}: numba's identities are 0, 1, "
                         "None and 'reorderable'") from None


def _kernel_options(decorator, options):
    """The accel.jit options of a kernel, from numba's vectorize/guvectorize options."""
    target = options.pop("target", "cpu")
    if target != "cpu":
        if target in ("parallel", "cuda", "gpu"):
            raise NotImplementedError(f"accel.{decorator}(target={target!r}) is not available: accel "
                                      "compiles ufunc loops for the CPU (target='cpu'); NumPy runs them "
                                      "on the calling thread")
        raise ValueError(f"Unsupported target: {target!r}; accel.{decorator} compiles for target='cpu'")
    if options.pop("cache", False):
        raise NotImplementedError(f"accel.{decorator}(cache=True) is not implemented yet: the loops "
                                  "compile at decoration or first call (cache=False works)")
    if options.pop("forceobj", False) or not options.pop("nopython", True):
        raise NotImplementedError(f"accel.{decorator} compiles without Python objects: object mode "
                                  "(forceobj=True, nopython=False) is not available")
    if options.pop("writable_args", ()):
        raise NotImplementedError(f"accel.{decorator}(writable_args=...) is not implemented yet")
    # numba compiles ufunc kernels with NumPy's error model: 1.0 / 0.0 is inf (NumPy warns).
    kernel = {"error_model": "numpy"}
    for name in list(options):
        if name not in _KERNEL_OPTIONS:
            raise TypeError(f"accel.{decorator}() got an unexpected keyword argument {name!r}; "
                            f"it takes {_ACCEPTED}, as numba's does")
        kernel[name] = options.pop(name)
    return kernel


def _kernel(function, decorator, options):
    if isinstance(function, _core.Dispatcher):
        function = function.py_func
    if not callable(function):
        raise TypeError(f"accel.{decorator} decorates a function, not {type(function).__name__}")
    return _jit.jit(**options)(function)


# --- compiling loops ----------------------------------------------------------------

def _compile_loop(kernel, layout):
    """One compiled loop for the layout (see src/bindings/ufunc_bindings.h)."""
    global loop_compilations
    exporter = _export.Exporter(kernel.py_func, kernel._accel_settings, kernel)
    try:
        loop = _core.compile_ufunc_loop(exporter, 0, layout)
    except CompileError as error:
        raise name_notebook_cells(error)
    loop_compilations += 1
    return loop


def _linked_loops(kernel, records):
    """The loops of a pickled ufunc: linked from their object code where this CPU can
    run it, compiled from source where it cannot."""
    loops = []
    for record in records:
        loop = _core.ufunc_loop_from_record(record)
        loops.append(loop if loop is not None else _compile_loop(kernel, record[0]))
    return loops


def _nargs(function):
    code = function.__code__
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_kwonlyargcount:
        raise CompileTypeError(f"{function.__qualname__}() is a ufunc kernel: it takes one parameter "
                               "per operand, without *args, **kwargs or keyword-only parameters")
    return code.co_argcount


def _elementwise_layout(input_dtypes, output_dtype):
    operands = [(d, (), False, False) for d in input_dtypes] + [(output_dtype, (), False, False)]
    return (len(input_dtypes), False, tuple(operands))


def _dtype_of(value):
    """The dtype name a loop for this operand is compiled for (numba's choice for Python
    scalars: int is int64, float is float64)."""
    if isinstance(value, (np.ndarray, np.generic)):
        dtype = value.dtype
    elif isinstance(value, bool):
        return "bool"
    elif isinstance(value, int):
        return "int64"
    elif isinstance(value, float):
        return "float64"
    else:
        dtype = np.asarray(value).dtype
    return dtype.name


def _check_dtypes(name, dtypes):
    for position, dtype in enumerate(dtypes, 1):
        if dtype not in _DTYPES:
            raise TypeError(f"{name}() has no loop for operands of dtypes ({', '.join(dtypes)}), and accel "
                            f"compiles loops for {_DTYPES_TEXT} only: operand {position} is {dtype}. "
                            "Convert it first (x.astype(np.float64)).")


def _make_ufunc(kernel, nin, nout, identity, core_layout, loops):
    function = kernel.py_func
    return _core.make_ufunc(function.__name__, function.__doc__ or "", nin, nout, _identity_code(identity),
                            core_layout.text if core_layout else "", loops)


# --- signatures (numba's type objects and strings: accel.types, accel._signatures) ----

def _parse_signatures(value, decorator):
    try:
        from . import _signatures
    except ImportError:
        raise NotImplementedError(f"accel.{decorator} with signatures needs accel.types, which is "
                                  "not in this build yet: leave the signatures out and the loops "
                                  "compile at the first call") from None
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, tuple):
        value = list(value)
    return _signatures.parse(list(value))


def _number_dtype(t, where):
    from . import types
    if isinstance(t, types.Complex):
        raise TypeError(f"{where} is {t}: complex numbers are not supported yet in compiled code")
    if not isinstance(t, types.Number):
        return None
    return t.name  # numba's names of numbers are NumPy's dtype names


def _vectorize_layout(signature, nin, name):
    from . import types
    if len(signature.args) != nin:
        raise TypeError(f"signature {signature} has {len(signature.args)} argument types, but {name}() "
                        f"takes {nin} arguments")
    inputs = []
    for position, t in enumerate(signature.args, 1):
        dtype = _number_dtype(t, f"signature {signature}: argument {position}")
        if dtype is None:
            raise TypeError(f"signature {signature}: argument {position} is {t}, but a vectorize kernel "
                            "takes numbers (one element of each input); for arrays use @accel.guvectorize")
        inputs.append(dtype)
    output = None
    if signature.return_type is not None:
        output = _number_dtype(signature.return_type, f"signature {signature}: the return type")
        if output is None or isinstance(signature.return_type, types.NoneType):
            raise TypeError(f"signature {signature}: a vectorize kernel returns a number, not "
                            f"{signature.return_type}")
    return _elementwise_layout(inputs, output)


def _guvectorize_layout(signature, core_layout, name):
    from . import types
    operands = core_layout.operands
    nin = len(core_layout.inputs)
    if len(signature.args) != len(operands):
        raise TypeError(f"signature {signature} has {len(signature.args)} argument types, but the layout "
                        f"{core_layout.text!r} has {len(operands)} operands ({nin} inputs, then the outputs)")
    if signature.return_type is not None and not isinstance(signature.return_type, types.NoneType):
        raise TypeError(f"signature {signature}: a guvectorize kernel returns nothing (void); it writes "
                        "its outputs into the output arrays")
    described = []
    for k, (t, dims) in enumerate(zip(signature.args, operands)):
        role = f"input {k + 1}" if k < nin else f"output {k - nin + 1}"
        where = f"signature {signature}: {role}"
        shown = "(" + ",".join(map(str, dims)) + ")"
        if isinstance(t, types.Array):
            dtype = _number_dtype(t.dtype, where)
            if t.ndim != max(len(dims), 1):
                raise TypeError(f"{where} is {t}, but its core dimensions {shown} need an array of "
                                f"{max(len(dims), 1)} dimension(s)")
            described.append((dtype, core_layout.core_dims(k), True, t.readonly))
        else:
            dtype = _number_dtype(t, where)
            if dtype is None:
                raise TypeError(f"{where} is {t}: guvectorize operands are numbers and arrays")
            if dims:
                raise TypeError(f"{where} is the number type {t}, but its core dimensions {shown} need an "
                                f"array such as {t}[{', '.join(':' for _ in dims)}]")
            if k >= nin:
                raise TypeError(f"{where} is the number type {t}: outputs are arrays the kernel writes "
                                f"into; declare {t}[:] and write out[0] = ...")
            described.append((dtype, (), False, False))
    return (nin, True, tuple(described))


def _input_key(layout):
    """What two loops must not share: the input dtypes (a gufunc's: every operand's)."""
    nin, generalized, operands = layout
    return tuple(op[0] for op in (operands if generalized else operands[:nin]))


def _loop_key(loop, nin, generalized):
    dtypes = _core.ufunc_loop_dtypes(loop)
    return dtypes if generalized else dtypes[:nin]


# --- pickling -----------------------------------------------------------------------
# A kernel travels as its cloudpickled dispatcher (the function by value, with its
# source), its loops as records with object code.

def _kernel_payload(kernel):
    import cloudpickle
    return cloudpickle.dumps(kernel)


def _kernel_from_payload(payload):
    import pickle
    return pickle.loads(payload)


def _describe(ufunc, kernel, recipe):
    """numba's DUFunc looks like its function (functools.update_wrapper); so does ours.
    The recipe makes pickle carry the ufunc by value (see _reduce_ufunc)."""
    function = kernel.py_func
    try:
        ufunc.__module__ = function.__module__
        ufunc.__qualname__ = function.__qualname__
        ufunc.__doc__ = function.__doc__
        ufunc.__wrapped__ = function
        ufunc._accel_recipe = recipe
    except AttributeError:  # NumPy < 2.1: ufuncs have no __dict__
        _recipes[id(ufunc)] = (ufunc, recipe)
    _install_ufunc_pickling()
    return ufunc


_recipes = {}  # id -> (ufunc, recipe), where ufuncs take no attributes


class _UFuncRecipe:
    """How to make an accel np.ufunc again in another process."""

    def __init__(self, kernel, identity, core_layout, loops):
        self.kernel = kernel
        self.identity = identity
        self.core_layout = core_layout
        self.loops = loops

    def reduce(self):
        layout = self.core_layout.text if self.core_layout else None
        return (_rebuild_ufunc, (_kernel_payload(self.kernel), self.identity, layout,
                                 [_core.ufunc_loop_record(loop) for loop in self.loops]))


def _rebuild_ufunc(payload, identity, layout_text, records):
    kernel = _kernel_from_payload(payload)
    core_layout = _ufunc_layout.parse(layout_text) if layout_text else None
    return _finish(kernel, identity, core_layout, _linked_loops(kernel, records))


def _finish(kernel, identity, core_layout, loops):
    """The np.ufunc over these loops, looking like the kernel's function."""
    if core_layout:
        nin, nout = len(core_layout.inputs), len(core_layout.outputs)
    else:
        nin, nout = _nargs(kernel.py_func), 1
    ufunc = _make_ufunc(kernel, nin, nout, identity, core_layout, loops)
    return _describe(ufunc, kernel, _UFuncRecipe(kernel, identity, core_layout, list(loops)))


_numpy_ufunc_reduce = None


def _reduce_ufunc(ufunc):
    recipe = getattr(ufunc, "__dict__", {}).get("_accel_recipe")
    if recipe is None and id(ufunc) in _recipes and _recipes[id(ufunc)][0] is ufunc:
        recipe = _recipes[id(ufunc)][1]
    if isinstance(recipe, _UFuncRecipe):
        return recipe.reduce()
    return _numpy_ufunc_reduce(ufunc)


def _install_ufunc_pickling():
    """NumPy pickles a ufunc by name (copyreg); accel's are pickled by value instead, so a
    pool worker receives one defined in __main__ or in a function. Other ufuncs are
    still NumPy's business."""
    global _numpy_ufunc_reduce
    if _numpy_ufunc_reduce is not None:
        return
    _numpy_ufunc_reduce = copyreg.dispatch_table[np.ufunc]
    copyreg.pickle(np.ufunc, _reduce_ufunc)


# --- the dynamic forms --------------------------------------------------------------

class _Dynamic:
    """What DUFunc and GUFunc share: the current np.ufunc, rebuilt with each new loop."""

    def __init__(self, kernel, identity, core_layout, loops=(), frozen=False):
        _identity_code(identity)
        self._dispatcher = kernel
        self._identity = identity
        self._core_layout = core_layout
        self._loops = list(loops)
        self._frozen = frozen
        self._lock = threading.RLock()
        self.ufunc = _finish(kernel, identity, core_layout, self._loops)
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
            key = _input_key(layout)
            if any(_loop_key(loop, layout[0], layout[1]) == key for loop in self._loops):
                return False
            if self._frozen:
                raise RuntimeError(f"compilation disabled for {self!r}")
            loop = _compile_loop(self._dispatcher, layout)
            self._loops.append(loop)
            self.ufunc = _finish(self._dispatcher, self._identity, self._core_layout, self._loops)
            return True

    def _call(self, method, dtypes_for, args, kwargs):
        """ufunc.method(*args, **kwargs); when NumPy finds no loop, compile one for the
        dtypes `dtypes_for()` names and call again."""
        try:
            return getattr(self.ufunc, method)(*args, **kwargs)
        except _NoLoopError as error:
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
        return (_rebuild_dynamic, (type(self), _kernel_payload(self._dispatcher), self._identity,
                                   self._core_layout.text if self._core_layout else None,
                                   [_core.ufunc_loop_record(loop) for loop in self._loops], self._frozen))

    def __repr__(self):
        return f"<accel.{type(self).__name__} {self.__name__!r}>"


def _rebuild_dynamic(cls, payload, identity, layout_text, records, frozen):
    kernel = _kernel_from_payload(payload)
    core_layout = _ufunc_layout.parse(layout_text) if layout_text else None
    return _dynamic(cls, kernel, identity, core_layout, _linked_loops(kernel, records), frozen)


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
        kernel = _kernel(py_func, "vectorize", _kernel_options("vectorize", options))
        _nargs(kernel.py_func)
        super().__init__(kernel, identity, None)

    def _add(self, dtypes):
        _check_dtypes(self.__name__, dtypes)
        return self._add_loop(_elementwise_layout(dtypes, None))

    def add(self, signature):
        """Compile the loop for a signature now ('float64(float64, float64)', ...)."""
        for parsed in _parse_signatures([signature], "vectorize"):
            self._add_loop(_vectorize_layout(parsed, self.ufunc.nin, self.__name__))

    def __call__(self, *args, **kwargs):
        try:
            return self.ufunc(*args, **kwargs)
        except _NoLoopError as error:
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
        return tuple(_dtype_of(a) for a in args[:nin])

    def _reduction(self, method, args, kwargs):
        def dtypes():
            if self.ufunc.nin != 2 or not args:
                return None
            dtype = kwargs.get("dtype")
            name = np.dtype(dtype).name if dtype is not None else _dtype_of(args[0])
            return (name, name)
        return self._call(method, dtypes, args, kwargs)

    def reduce(self, *args, **kwargs):
        return self._reduction("reduce", args, kwargs)

    def accumulate(self, *args, **kwargs):
        return self._reduction("accumulate", args, kwargs)

    def reduceat(self, *args, **kwargs):
        return self._reduction("reduceat", args, kwargs)

    def outer(self, *args, **kwargs):
        return self._call("outer", lambda: tuple(_dtype_of(a) for a in args[:2]) if len(args) >= 2 else None,
                          args, kwargs)

    def at(self, *args, **kwargs):
        def dtypes():
            operands = [args[0]] + list(args[2:3]) if args else []
            return tuple(_dtype_of(a) for a in operands) if len(operands) == self.ufunc.nin else None
        return self._call("at", dtypes, args, kwargs)


class GUFunc(_Dynamic):
    """A generalized ufunc that compiles a loop for each new combination of operand
    dtypes, as numba's GUFunc: ``@accel.guvectorize(layout)`` without signatures. As in
    numba, the outputs must be passed (``f(x, y, out)``) until a loop for the dtypes
    exists: accel cannot know an output's dtype before compiling."""

    def __init__(self, py_func, signature, identity=None, cache=False, targetoptions=None):
        options = dict(targetoptions or {}, cache=cache)
        kernel = _kernel(py_func, "guvectorize", _kernel_options("guvectorize", options))
        core_layout = _ufunc_layout.parse(signature)
        _check_operand_count(kernel.py_func, core_layout)
        super().__init__(kernel, identity, core_layout)

    def _add(self, dtypes):
        _check_dtypes(self.__name__, dtypes)
        core = self._core_layout
        nin = len(core.inputs)
        operands = []
        for k, (dtype, dims) in enumerate(zip(dtypes, core.operands)):
            as_array = bool(dims) or k >= nin  # numba: a "()" output is a 1-element array
            operands.append((dtype, core.core_dims(k), as_array, False))
        return self._add_loop((nin, True, tuple(operands)))

    def add(self, signature):
        """Compile the loop for a signature now ('void(float64[:], float64[:])', ...)."""
        for parsed in _parse_signatures([signature], "guvectorize"):
            self._add_loop(_guvectorize_layout(parsed, self._core_layout, self.__name__))

    def __call__(self, *args, **kwargs):
        core = self._core_layout
        nin, nargs = len(core.inputs), len(core.operands)

        def dtypes():
            operands = list(args)
            out = kwargs.get("out")
            if out is not None:
                operands += list(out) if isinstance(out, tuple) else [out]
            if len(operands) != nargs:
                raise TypeError(
                    f"{self.__name__}() has no loop yet for these dtypes, and compiling one needs every "
                    f"operand, outputs too: call {self.__name__}({', '.join(f'x{i}' for i in range(nin))}, "
                    f"{', '.join(f'out{i}' for i in range(nargs - nin))}) with output arrays, as numba "
                    "requires (out = gufunc(...) works once a loop exists)")
            return tuple(_dtype_of(a) for a in operands)
        return self._call("__call__", dtypes, args, kwargs)


def _check_operand_count(function, core_layout):
    nargs = _nargs(function)
    if nargs != len(core_layout.operands):
        raise TypeError(f"{function.__qualname__}() takes {nargs} arguments, but the layout "
                        f"{core_layout.text!r} has {len(core_layout.operands)} operands: a guvectorize "
                        "kernel takes every input, then every output")


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
    _identity_code(identity)
    kernel_options = _kernel_options("vectorize", options)
    if inspect.isfunction(ftylist_or_function) or isinstance(ftylist_or_function, _core.Dispatcher):
        return _dynamic(DUFunc, _kernel(ftylist_or_function, "vectorize", kernel_options), identity, None)
    signatures = _parse_signatures(ftylist_or_function, "vectorize") if ftylist_or_function else []

    def wrap(function):
        kernel = _kernel(function, "vectorize", kernel_options)
        nin = _nargs(kernel.py_func)
        if not signatures:
            return _dynamic(DUFunc, kernel, identity, None)
        name = kernel.py_func.__qualname__
        layouts = [_vectorize_layout(signature, nin, name) for signature in signatures]
        return _finish(kernel, identity, None, _compile_loops(kernel, layouts))
    return wrap


def _compile_loops(kernel, layouts):
    """One loop per layout, in order; a layout for input types seen before is skipped
    (NumPy would only ever run the first)."""
    loops, seen = [], set()
    for layout in layouts:
        if _input_key(layout) not in seen:
            seen.add(_input_key(layout))
            loops.append(_compile_loop(kernel, layout))
    return loops


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
    _identity_code(identity)
    options.pop("is_dynamic", None)
    kernel_options = _kernel_options("guvectorize", options)
    core_layout = _ufunc_layout.parse(layout)
    parsed = _parse_signatures(signatures, "guvectorize") if signatures else []

    def wrap(function):
        kernel = _kernel(function, "guvectorize", kernel_options)
        _check_operand_count(kernel.py_func, core_layout)
        if not parsed:
            return _dynamic(GUFunc, kernel, identity, core_layout)
        name = kernel.py_func.__qualname__
        layouts = [_guvectorize_layout(signature, core_layout, name) for signature in parsed]
        return _finish(kernel, identity, core_layout, _compile_loops(kernel, layouts))
    return wrap
