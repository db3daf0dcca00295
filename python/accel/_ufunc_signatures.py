"""Signatures for @accel.vectorize and @accel.guvectorize, numba's strings and type
objects (read by accel._signatures), as loop layouts (src/bindings/ufunc_bindings.h).
"""
from . import _signatures, _ufunc_loops, types


def parse(value):
    """The signatures of vectorize(value): one string, or a list or tuple of signatures
    (numba's; a tuple of *types* inside is one signature of argument types)."""
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, tuple):
        value = list(value)
    return _signatures.parse(list(value))


def _number_dtype(t, where):
    if isinstance(t, types.Complex):
        raise TypeError(f"{where} is {t}: complex numbers are not supported yet in compiled code")
    if not isinstance(t, types.Number):
        return None
    return t.name  # numba's names of numbers are NumPy's dtype names


def vectorize_layout(signature, nin, name):
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
    return _ufunc_loops.elementwise_layout(inputs, output)


def guvectorize_layout(signature, core_layout, name):
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
