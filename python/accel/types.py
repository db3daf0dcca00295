"""Type objects as numba's (``numba.types``), for signatures: ``float64(float64[:], int64)``.

Numbers (``float64``, ``int32``, ``boolean``, ...), arrays by slicing a number type
(``float64[:]`` any layout, ``float64[::1]`` and ``float64[:, ::1]`` C-contiguous,
``float64[::1, :]`` Fortran-contiguous) or ``Array(dtype, ndim, layout, readonly=False)``,
tuples (``UniTuple(int64, 2)``, ``Tuple((int64, float64))``), ``none``/``void``, and
signatures made by calling a type: ``void(float64[:], float64)``.

Types compare and hash by what they describe and print as numba prints them. This module
imports nothing heavy: ``import accel`` stays fast.
"""

__all__ = [
    "Type", "Number", "Boolean", "Integer", "Float", "Complex", "NoneType", "Array",
    "BaseTuple", "UniTuple", "Tuple", "List", "Signature",
    "boolean", "bool_", "b1", "int8", "int16", "int32", "int64", "i1", "i2", "i4", "i8",
    "uint8", "uint16", "uint32", "uint64", "u1", "u2", "u4", "u8", "intp", "uintp", "intc",
    "uintc", "int_", "uint", "long_", "ulong", "longlong", "ulonglong", "short", "ushort",
    "byte", "char", "uchar", "size_t", "ssize_t", "float32", "float64", "f4", "f8", "float_",
    "double", "complex64", "complex128", "c8", "c16", "none", "void", "UnicodeType", "unicode_type",
]


class Type:
    """A type in a signature. Calling one makes a signature with it as the return type:
    ``float64(float64[:], int64)``; calling it with one value converts the value
    (``int32(3.7)`` is ``np.int32(3)``), as numba's do in Python code."""

    __slots__ = ()

    def _key(self):
        raise NotImplementedError

    def __eq__(self, other):
        return isinstance(other, Type) and type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def __repr__(self):
        return self.name

    __str__ = __repr__

    def __call__(self, *args):
        if len(args) == 1 and not isinstance(args[0], Type):
            return self.cast_python_value(args[0])
        for position, arg in enumerate(args, 1):
            if not isinstance(arg, Type):
                raise TypeError(f"{self}(...): argument type {position} is {arg!r}, not a type "
                                "such as float64 or float64[:]")
        return Signature(self, args)

    def cast_python_value(self, value):
        raise TypeError(f"{self} cannot convert a Python value")


class Number(Type):
    """A number type: its numba name, bit width and NumPy scalar type name."""

    __slots__ = ("name", "bitwidth", "_numpy_name")
    _category = ""  # 'b' bool, 'i' signed, 'u' unsigned, 'f' float, 'c' complex

    def __init__(self, name, bitwidth, numpy_name=None):
        self.name = name
        self.bitwidth = bitwidth
        self._numpy_name = numpy_name or name

    def _key(self):
        return self.name

    def __reduce__(self):
        return (_number_named, (self.name,))

    def __getitem__(self, index):
        """``float64[:]``, ``float64[::1]``, ``float64[:, ::1]``: an array of this type."""
        ndim, layout = _layout_of(self, index)
        return Array(self, ndim, layout)

    def cast_python_value(self, value):
        import numpy as np  # only when a value is converted, not at import
        return getattr(np, self._numpy_name)(value)


class Boolean(Number):
    __slots__ = ()
    _category = "b"

    def cast_python_value(self, value):
        return bool(value)


class Integer(Number):
    __slots__ = ("signed",)

    def __init__(self, name, bitwidth, signed):
        super().__init__(name, bitwidth)
        self.signed = signed

    @property
    def _category(self):
        return "i" if self.signed else "u"

    def __reduce__(self):
        return (_number_named, (self.name,))


class Float(Number):
    __slots__ = ()
    _category = "f"


class Complex(Number):
    __slots__ = ()
    _category = "c"


class NoneType(Type):
    """``none`` (also ``void``): what a function without a result returns."""

    __slots__ = ()
    name = "none"

    def _key(self):
        return ()

    def __reduce__(self):
        return (_none, ())


class UnicodeType(Type):
    """``unicode_type``: a str, as an overload's typing function sees a string argument
    (numba's name)."""

    __slots__ = ()
    name = "unicode_type"

    def _key(self):
        return ()

    def __reduce__(self):
        return (_unicode, ())


_LAYOUTS = ("C", "F", "A")


class Array(Type):
    """An array type: ``Array(float64, 2, "C")`` is ``float64[:, ::1]``.

    ``layout`` is "C" (C-contiguous), "F" (Fortran-contiguous) or "A" (any: strided
    arrays too); ``readonly=True`` also accepts read-only arrays."""

    __slots__ = ("dtype", "ndim", "layout", "readonly")

    def __init__(self, dtype, ndim, layout="A", readonly=False):
        if not isinstance(dtype, Number):
            raise TypeError(f"Array(): the dtype must be a number type such as float64, "
                            f"not {dtype!r}")
        if isinstance(ndim, bool) or not isinstance(ndim, int) or ndim < 0:
            raise TypeError(f"Array(): ndim must be a whole number >= 0, not {ndim!r}")
        if layout not in _LAYOUTS:
            raise ValueError(f"Array(): layout must be 'C', 'F' or 'A', not {layout!r}")
        self.dtype = dtype
        self.ndim = ndim
        self.layout = layout
        self.readonly = bool(readonly)

    @property
    def mutable(self):
        return not self.readonly

    @property
    def name(self):
        text = f"array({self.dtype}, {self.ndim}d, {self.layout})"
        return "readonly " + text if self.readonly else text

    def _key(self):
        return (self.dtype, self.ndim, self.layout, self.readonly)

    def __reduce__(self):
        return (Array, self._key())

    def copy(self, dtype=None, ndim=None, layout=None, readonly=None):
        """This array type with some of its parts replaced."""
        return Array(self.dtype if dtype is None else dtype, self.ndim if ndim is None else ndim,
                     self.layout if layout is None else layout,
                     self.readonly if readonly is None else readonly)


class BaseTuple(Type):
    __slots__ = ()

    def __len__(self):
        return len(self.types)

    def __iter__(self):
        return iter(self.types)

    def __getitem__(self, index):
        return self.types[index]

    @property
    def count(self):
        return len(self.types)


class UniTuple(BaseTuple):
    """A tuple of ``count`` values of one type: ``UniTuple(int64, 2)``."""

    __slots__ = ("dtype", "_count")

    def __init__(self, dtype, count):
        if not isinstance(dtype, Type):
            raise TypeError(f"UniTuple(): the element type must be a type, not {dtype!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise TypeError(f"UniTuple(): the count must be a whole number >= 0, not {count!r}")
        self.dtype = dtype
        self._count = count

    @property
    def types(self):
        return (self.dtype,) * self._count

    @property
    def name(self):
        return f"UniTuple({self.dtype} x {self._count})"

    def _key(self):
        return (self.dtype, self._count)

    def __reduce__(self):
        return (UniTuple, self._key())


class Tuple(BaseTuple):
    """A tuple of values of these types: ``Tuple((int64, float64))``. As in numba, a tuple
    of one type throughout is a UniTuple."""

    __slots__ = ("_types",)

    def __new__(cls, types):
        types = tuple(types)
        for t in types:
            if not isinstance(t, Type):
                raise TypeError(f"Tuple(): every element type must be a type, not {t!r}")
        if types and all(t == types[0] for t in types):
            return UniTuple(types[0], len(types))
        self = super().__new__(cls)
        self._types = types
        return self

    @property
    def types(self):
        return self._types

    @property
    def name(self):
        return f"Tuple({', '.join(map(str, self._types))})"

    def _key(self):
        return self._types

    def __reduce__(self):
        return (Tuple, (self._types,))


class List(Type):
    """A list of ``dtype`` items, as an overload's typing function sees a list argument
    (numba's ``types.List``): compiled lists hold numbers or tuples of numbers."""

    __slots__ = ("dtype",)

    def __init__(self, dtype):
        if not isinstance(dtype, Type):
            raise TypeError(f"List(): the item type must be a type, not {dtype!r}")
        self.dtype = dtype

    @property
    def name(self):
        return f"list({self.dtype})"

    def _key(self):
        return (self.dtype,)

    def __reduce__(self):
        return (List, self._key())


class Signature:
    """Argument types and a return type, made by calling the return type:
    ``float64(float64[:], int64)``. ``return_type`` is None for a signature given as
    argument types only (``(float64[:], int64)``): the result is then what the body
    computes."""

    __slots__ = ("return_type", "args")

    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = tuple(args)

    def __eq__(self, other):
        return (isinstance(other, Signature) and self.return_type == other.return_type
                and self.args == other.args)

    def __hash__(self):
        return hash((self.return_type, self.args))

    def __reduce__(self):
        return (Signature, (self.return_type, self.args))

    def __repr__(self):
        args = "(" + ", ".join(map(str, self.args)) + ("," if len(self.args) == 1 else "") + ")"
        return args if self.return_type is None else f"{args} -> {self.return_type}"

    __str__ = __repr__


def _layout_of(dtype, index):
    """(ndim, layout) for ``dtype[index]``: one ``:`` per axis, ``::1`` on the last axis
    for C order or on the first for Fortran order."""
    slices = index if isinstance(index, tuple) else (index,)
    contiguous = []
    for axis, s in enumerate(slices):
        plain = isinstance(s, slice) and s.start is None and s.stop is None
        if not plain or s.step not in (None, 1):
            raise TypeError(
                f"{dtype}[...]: write an array type with ':' per axis and '::1' on the "
                "contiguous one (float64[:], float64[:, ::1] for C order, float64[::1, :] for "
                f"Fortran order), not {_show_index(s)}")
        if s.step == 1:
            contiguous.append(axis)
    ndim = len(slices)
    if not contiguous:
        return ndim, "A"
    if len(contiguous) > 1 or contiguous[0] not in (0, ndim - 1):
        raise TypeError(f"{dtype}[...]: '::1' marks the contiguous axis, the last one (C order) or "
                        "the first one (Fortran order), once")
    return ndim, "C" if contiguous[0] == ndim - 1 else "F"


def _show_index(s):
    if isinstance(s, slice):
        parts = ["" if p is None else repr(p) for p in (s.start, s.stop, s.step)]
        return "'" + ":".join(parts if s.step is not None else parts[:2]) + "'"
    return repr(s)


boolean = bool_ = b1 = Boolean("bool", 8, "bool_")
int8 = i1 = char = Integer("int8", 8, True)
int16 = i2 = short = Integer("int16", 16, True)
int32 = i4 = intc = Integer("int32", 32, True)
int64 = i8 = intp = int_ = long_ = longlong = ssize_t = Integer("int64", 64, True)
uint8 = u1 = byte = uchar = Integer("uint8", 8, False)
uint16 = u2 = ushort = Integer("uint16", 16, False)
uint32 = u4 = uintc = Integer("uint32", 32, False)
uint64 = u8 = uintp = uint = ulong = ulonglong = size_t = Integer("uint64", 64, False)
float32 = f4 = float_ = Float("float32", 32)
float64 = f8 = double = Float("float64", 64)
complex64 = c8 = Complex("complex64", 64)
complex128 = c16 = Complex("complex128", 128)
none = void = NoneType()
unicode_type = UnicodeType()

_NUMBERS = {t.name: t for t in (boolean, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
                                float32, float64, complex64, complex128)}


def _number_named(name):
    return _NUMBERS[name]


def _none():
    return none


def _unicode():
    return unicode_type
