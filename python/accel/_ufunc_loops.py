"""Compiled loops for @accel.vectorize and @accel.guvectorize: the kernel's options,
loop layouts (as src/bindings/ufunc_bindings.h describes them), compiling and linking.
"""
import inspect

import numpy as np

from . import _core, _export, _jit
from ._errors import CompileError, CompileTypeError, name_notebook_cells

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
NoLoopError = TypeError

# numba's ufunc options (its UFuncTargetOptions) that accel.jit takes as they are.
_KERNEL_OPTIONS = ("boundscheck", "fastmath")
_ACCEPTED = "identity, target='cpu', cache=False, nopython=True, forceobj=False, boundscheck, fastmath"


# --- options ------------------------------------------------------------------------

def identity_code(identity):
    try:
        return _IDENTITIES[identity]
    except (KeyError, TypeError):
        raise ValueError(f"Invalid identity value {identity!r}: numba's identities are 0, 1, "
                         "None and 'reorderable'") from None


def kernel_options(decorator, options):
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


def kernel_dispatcher(function, decorator, options):
    """The kernel: an accel.jit dispatcher of the function (numba's _dispatcher)."""
    if isinstance(function, _core.Dispatcher):
        function = function.py_func
    if not callable(function):
        raise TypeError(f"accel.{decorator} decorates a function, not {type(function).__name__}")
    return _jit.jit(**options)(function)


# --- compiling loops ----------------------------------------------------------------

def compile_loop(kernel, layout):
    """One compiled loop for the layout (see src/bindings/ufunc_bindings.h)."""
    global loop_compilations
    exporter = _export.Exporter(kernel.py_func, kernel._accel_settings, kernel)
    try:
        loop = _core.compile_ufunc_loop(exporter, 0, layout)
    except CompileError as error:
        raise name_notebook_cells(error)
    loop_compilations += 1
    return loop


def linked_loops(kernel, records):
    """The loops of a pickled ufunc: linked from their object code where this CPU can
    run it, compiled from source where it cannot."""
    loops = []
    for record in records:
        loop = _core.ufunc_loop_from_record(record)
        loops.append(loop if loop is not None else compile_loop(kernel, record[0]))
    return loops


def nargs(function):
    """The kernel's parameters: one per operand."""
    code = function.__code__
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_kwonlyargcount:
        raise CompileTypeError(f"{function.__qualname__}() is a ufunc kernel: it takes one parameter "
                               "per operand, without *args, **kwargs or keyword-only parameters")
    return code.co_argcount


# --- layouts: (nin, generalized, operands), one operand (dtype, core_dims, as_array,
# readonly) per input then output; see src/bindings/ufunc_bindings.h.

def elementwise_layout(input_dtypes, output_dtype):
    """None as the output dtype: what the kernel returns."""
    operands = [(d, (), False, False) for d in input_dtypes] + [(output_dtype, (), False, False)]
    return (len(input_dtypes), False, tuple(operands))


def dtype_of(value):
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


def check_dtypes(name, dtypes):
    for position, dtype in enumerate(dtypes, 1):
        if dtype not in _DTYPES:
            raise TypeError(f"{name}() has no loop for operands of dtypes ({', '.join(dtypes)}), and accel "
                            f"compiles loops for {_DTYPES_TEXT} only: operand {position} is {dtype}. "
                            "Convert it first (x.astype(np.float64)).")


def input_key(layout):
    """What two loops must not share: the input dtypes (a gufunc's: every operand's)."""
    nin, generalized, operands = layout
    return tuple(op[0] for op in (operands if generalized else operands[:nin]))


def loop_key(loop, nin, generalized):
    dtypes = _core.ufunc_loop_dtypes(loop)
    return dtypes if generalized else dtypes[:nin]


def compile_loops(kernel, layouts):
    """One loop per layout, in order; a layout for input types seen before is skipped
    (NumPy would only ever run the first)."""
    loops, seen = [], set()
    for layout in layouts:
        if input_key(layout) not in seen:
            seen.add(input_key(layout))
            loops.append(compile_loop(kernel, layout))
    return loops


def check_operand_count(function, core_layout):
    count = nargs(function)
    if count != len(core_layout.operands):
        raise TypeError(f"{function.__qualname__}() takes {count} arguments, but the layout "
                        f"{core_layout.text!r} has {len(core_layout.operands)} operands: a guvectorize "
                        "kernel takes every input, then every output")
