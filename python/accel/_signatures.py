"""numba's eager compilation: ``jit("float64(float64[:], int64)")`` compiles at decoration.

(1) parse: signature strings are read by walking ``ast.parse(text, mode="eval")`` (never
    ``eval``), Signature objects and tuples of types are taken as they are;
(2) compile_signatures: each signature's types become the dispatcher's argument type
    codes and a declared return type, and are compiled now, so errors raise at decoration;
(3) _Resolver: the dispatcher then never compiles again. A call whose argument types are
    not exactly a signature's asks the resolver once which signature takes them, by
    numba's rules (fewest unsafe conversions, then safe ones, then promotions); the C++
    dispatcher remembers the answer as an alias, so later calls with those types go
    straight to machine code, their numbers converted in C++.
"""
import ast

from . import _core
from . import types as _types

__all__ = ["given", "parse", "compile_signatures", "declared"]

# Every name a signature may use, numba's spelling.
_NAMES = {name: getattr(_types, name) for name in _types.__all__
          if isinstance(getattr(_types, name), _types.Type)}
_CONSTRUCTORS = {"Array": _types.Array, "UniTuple": _types.UniTuple, "Tuple": _types.Tuple}
# Prefixes a dotted name may carry: types.float64, numba.types.float64, nb.float64.
_PREFIXES = {"types", "numba", "nb", "accel", "core"}

_ACCEPTED = ("accepted: boolean, int8-int64, uint8-uint64, intp, uintp, float32, float64 "
             "(and numba's other names for these: f8, i8, intc, double, ...), none/void, arrays "
             "as float64[:] (any layout), float64[::1] or float64[:, ::1] (C order), "
             "float64[::1, :] (Fortran order) or Array(float64, 2, 'C', readonly=True), and "
             "tuples as UniTuple(int64, 2) or Tuple((int64, float64))")


def given(value):
    """Whether jit()'s first argument is numba's eager form rather than a function."""
    return isinstance(value, (str, _types.Signature, tuple, list))


def parse(value):
    """The list of signatures ``jit(value)`` declares: a string, a Signature, a tuple of
    argument types, or a list of these. TypeError/ValueError name the bad part."""
    entries = value if isinstance(value, list) else [value]
    if not entries:
        raise TypeError("jit() got an empty list of signatures: give at least one, "
                        "e.g. jit(['float64(float64)'])")
    return [_one(entry) for entry in entries]


def _one(entry):
    if isinstance(entry, str):
        return _parse_text(entry)
    if isinstance(entry, _types.Signature):
        return entry
    if isinstance(entry, tuple):
        for position, t in enumerate(entry, 1):
            if not isinstance(t, _types.Type):
                raise TypeError(f"signature {entry!r}: argument type {position} is {t!r}, "
                                "not a type; " + _ACCEPTED)
        return _types.Signature(None, entry)
    raise TypeError(f"a signature is a string such as 'float64(float64[:], int64)', a signature "
                    f"object such as float64(float64[:], int64), or a tuple of argument types; "
                    f"got {type(entry).__name__}: {entry!r}")


def _parse_text(text):
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ValueError(f"signature {text!r} is not valid: {error.msg}. Write it as numba does: "
                         "'float64(float64[:], int64)', or '(float64[:], int64)' for argument "
                         "types only") from None
    body = tree.body
    reader = _TypeReader(text)
    if isinstance(body, ast.Tuple):
        return _types.Signature(None, tuple(reader.type(e) for e in body.elts))
    if isinstance(body, ast.Call) and not reader.is_constructor(body.func):
        if body.keywords:
            raise TypeError(f"signature {text!r}: keyword arguments are not argument types")
        return _types.Signature(reader.type(body.func), tuple(reader.type(a) for a in body.args))
    t = reader.type(body)
    if text.strip().startswith("("):  # "(float64[:])": one argument type, parenthesized
        return _types.Signature(None, (t,))
    raise TypeError(f"signature {text!r} is a type, not a signature: write "
                    f"'{text.strip()}(argument types)', e.g. '{text.strip()}(float64)'")


class _TypeReader:
    """Reads a type from the ast of a signature string, naming the bad part on failure."""

    def __init__(self, text):
        self.text = text

    def fail(self, node, why):
        raise TypeError(f"signature {self.text!r}: {ast.unparse(node)!r} {why}; {_ACCEPTED}")

    def dotted(self, node):
        """The last name of `a.b.c` when every prefix is a known module name, else None."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(node.id)
        parts.reverse()
        if any(p not in _PREFIXES for p in parts[:-1]):
            return None
        return parts[-1]

    def is_constructor(self, node):
        return self.dotted(node) in _CONSTRUCTORS

    def type(self, node):
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = self.dotted(node)
            if name in _NAMES:
                return _NAMES[name]
            if name in _CONSTRUCTORS:
                self.fail(node, "needs arguments: Array(float64, 1, 'C'), UniTuple(int64, 2), "
                                "Tuple((int64, float64))")
            self.fail(node, "is not a type name")
        if isinstance(node, ast.Subscript):
            dtype = self.type(node.value)
            if not isinstance(dtype, _types.Number):
                self.fail(node, "slices a type that is not a number type")
            index = node.slice
            axes = index.elts if isinstance(index, ast.Tuple) else [index]
            slices = tuple(self.axis(a, node) for a in axes)
            try:
                return dtype[slices if len(slices) > 1 else slices[0]]
            except TypeError as error:
                raise TypeError(f"signature {self.text!r}: {error}") from None
        if isinstance(node, ast.Call):
            name = self.dotted(node.func)
            if name not in _CONSTRUCTORS:
                if name in _NAMES or isinstance(node.func, ast.Subscript):
                    self.fail(node, "is a signature where a type belongs")
                self.fail(node, "is not a type (only Array, UniTuple and Tuple are called)")
            args = [self.value(a) for a in node.args]
            keywords = {k.arg: self.value(k.value) for k in node.keywords}
            try:
                return _CONSTRUCTORS[name](*args, **keywords)
            except (TypeError, ValueError) as error:
                raise TypeError(f"signature {self.text!r}: {error}") from None
        self.fail(node, "is not a type")

    def axis(self, node, subscript):
        if isinstance(node, ast.Slice) and node.lower is None and node.upper is None:
            if node.step is None:
                return slice(None)
            step = node.step
            if isinstance(step, ast.Constant) and type(step.value) is int and step.value == 1:
                return slice(None, None, 1)
        self.fail(subscript, "is not an array type: write ':' per axis and '::1' on the "
                             "contiguous one")

    def value(self, node):
        """An argument of Array/UniTuple/Tuple: a type, a constant, or a tuple of types."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            return tuple(self.type(e) for e in node.elts)
        return self.type(node)


# --- accel's kinds for numba's types ------------------------------------------------
# int64 (intp), float64, complex128 and boolean are Python int, float, complex and bool
# inside compiled code, so their semantics are CPython's and results come back as Python
# scalars, as numba's do; every other number is the NumPy scalar of its type
# (docs/semantics.md).
_PYTHON_KINDS = {"int64": "int", "float64": "float", "complex128": "complex", "bool": "bool"}


def _number_kind(t):
    return _PYTHON_KINDS.get(t.name, t.name)


def _array_code(t):
    if t.ndim > 15:
        raise TypeError(f"{t}: compiled code takes arrays of at most 15 dimensions")
    dtype = "bool_" if t.dtype is _types.boolean else t.dtype.name
    return _core.arg_code(dtype, t.ndim, t.layout, t.readonly)


def _parameter_code(t, signature, position):
    if isinstance(t, _types.Number):
        return _core.arg_code(_number_kind(t))
    if isinstance(t, _types.Array):
        return _array_code(t)
    from ._jit import CompileTypeError
    if isinstance(t, _types.BaseTuple):
        raise CompileTypeError(f"signature {signature}: argument {position} is {t}; tuple "
                               "arguments are not supported yet in signatures (without a signature, "
                               "accel.jit compiles for the tuples a call passes)")
    raise CompileTypeError(f"signature {signature}: argument {position} is {t}, which is not "
                           "an argument type (numbers and arrays are)")


def _declared_return(t):
    """The declared return type as _core.compile_into takes it."""
    if t is None:
        return "inferred"
    if isinstance(t, _types.NoneType):
        return "none"
    if isinstance(t, _types.Number):
        return _core.arg_code(_number_kind(t))
    if isinstance(t, _types.Array):
        return _array_code(t)
    if isinstance(t, _types.BaseTuple):
        return tuple(_declared_return(e) for e in t.types)
    raise TypeError(f"{t} cannot be a return type")


def declared_return_of(signature):
    """A signature's declared return, as _core.compile_into and the exporter's records take it."""
    return _declared_return(signature.return_type)


def compile_signatures(dispatcher, signatures):
    """Compile each signature into the dispatcher now (skipping those it has, as after
    unpickling), and make it pick among them on later calls instead of compiling."""
    function = dispatcher.py_func
    nparams = function.__code__.co_argcount
    entries = []
    for signature in signatures:
        if len(signature.args) != nparams:
            raise TypeError(f"signature {signature} has {len(signature.args)} argument types, but "
                            f"{function.__qualname__}() takes {nparams} arguments")
        codes = tuple(_parameter_code(t, signature, i) for i, t in enumerate(signature.args, 1))
        if any(codes == known for _, known in entries):
            continue  # the same argument types twice: the first one counts, as in numba
        _core.compile_signature(dispatcher, list(codes), _declared_return(signature.return_type))
        entries.append((signature, codes))
    _core.set_signature_resolver(dispatcher, _Resolver(function.__qualname__, entries))
    return dispatcher


def declared(dispatcher):
    """The signatures a dispatcher was compiled from (to pickle it), or None."""
    resolver = _core.signature_resolver(dispatcher)
    return None if resolver is None else [signature for signature, _ in resolver.entries]


# --- choosing a signature for a call (numba's rules) --------------------------------
_EXACT, _PROMOTE, _SAFE, _UNSAFE = range(4)


def _number_conversion(actual, formal):
    """numba's kind of conversion from one number type to another (its typeconv rules)."""
    if actual == formal:
        return _EXACT
    a, f = actual._category, formal._category
    if a == "b":
        return _SAFE
    if f == "b":
        return _UNSAFE
    wider = formal.bitwidth > actual.bitwidth
    if a == f:  # int to int of the same signedness, or float to float
        return _PROMOTE if wider else _UNSAFE
    if a == "u" and f == "i":
        return _SAFE if wider else _UNSAFE
    if f == "f" and a in "iu":
        # float64 takes every int; float32 only int8, int16 and uint8 (numba's table).
        exact = formal.bitwidth == 64 or actual.name in ("int8", "int16", "uint8")
        return _SAFE if exact else _UNSAFE
    return _UNSAFE  # signed to unsigned, float to int


def _normal_layout(t):
    return "C" if t.ndim <= 1 and t.layout == "F" else t.layout


def _conversion(actual, formal, arrays_may_convert):
    if isinstance(actual, _types.Number) and isinstance(formal, _types.Number):
        if isinstance(formal, _types.Complex) or isinstance(actual, _types.Complex):
            # A complex converts to another complex only: its slots hold two doubles
            # either way, where a real number takes one (nor does a complex become real).
            if not (isinstance(formal, _types.Complex) and isinstance(actual, _types.Complex)):
                return None
        return _number_conversion(actual, formal)
    if isinstance(actual, _types.Array) and isinstance(formal, _types.Array):
        if actual.dtype != formal.dtype or actual.ndim != formal.ndim:
            return None
        layout, wanted = _normal_layout(actual), _normal_layout(formal)
        if layout == wanted and actual.readonly == formal.readonly:
            return _EXACT
        # numba first looks for a signature taking the arrays as they are, and converts
        # arrays (to any layout, to read-only) only when none does.
        if (not arrays_may_convert or wanted not in ("A", layout)
                or (actual.readonly and not formal.readonly)):
            return None
        return _SAFE
    return None


def _rating(call, formals, arrays_may_convert):
    counts = [0, 0, 0, 0]
    for actual, formal in zip(call, formals):
        kind = _conversion(actual, formal, arrays_may_convert)
        if kind is None:
            return None
        counts[kind] += 1
    return (counts[_UNSAFE], counts[_SAFE], counts[_PROMOTE])


# accel's kind names (types::name) as numba's types.
_NUMBA_NAMES = {"int": "int64", "float": "float64", "complex": "complex128", "bool": "boolean", "bool_": "boolean"}


def _type_of_code(code):
    kind, ndim, layout, readonly = _core.arg_type(code)
    number = _NAMES[_NUMBA_NAMES.get(kind, kind)]
    return number if not layout else _types.Array(number, ndim, layout, readonly)


def _type_of_value(value):
    """numba's name for a call argument's type, for messages."""
    import numpy as np
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float) and not isinstance(value, np.generic):
        return "float64"
    if isinstance(value, np.generic):
        return "bool" if isinstance(value, np.bool_) else value.dtype.name
    if isinstance(value, np.ndarray):
        layout = "C" if value.flags.c_contiguous else "F" if value.flags.f_contiguous else "A"
        dtype = "bool" if value.dtype == np.bool_ else value.dtype.name
        text = f"array({dtype}, {value.ndim}d, {layout})"
        return text if value.flags.writeable else "readonly " + text
    return type(value).__name__


class _Resolver:
    """What the dispatcher of a function compiled from signatures asks on a call whose
    argument types are not exactly one signature's (once per tuple of types)."""

    def __init__(self, name, entries):
        self.name = name
        self.entries = entries  # [(Signature, argument codes)] in declaration order

    def resolve(self, codes):
        if any(_core.arg_type(code) is None for code in codes):  # a tuple's code (types::kTupleCode)
            names = _core.signature_names(list(codes))
            raise TypeError(self._no_match("(" + ", ".join(names) + ")",
                                           " (signatures take numbers and arrays, not tuples)"))
        call = [_type_of_code(code) for code in codes]
        for arrays_may_convert in (False, True):
            rated = []
            for entry in self.entries:
                rating = _rating(call, entry[0].args, arrays_may_convert)
                if rating is not None:
                    rated.append((rating, entry))
            if rated:
                best = min(rating for rating, _ in rated)
                winners = [entry for rating, entry in rated if rating == best]
                if len(winners) > 1:
                    raise TypeError(
                        f"{self.name}{_show(call)} matches several compiled signatures equally "
                        f"well:\n{self._list(winners)}\nPass arguments of exactly one of these "
                        "types (np.int64(x), float(x), ...), or remove a signature.")
                return winners[0][1]
        raise TypeError(self._no_match(_show(call)))

    def refuse(self, args, index):
        shown = "(" + ", ".join(_type_of_value(a) for a in args) + ")"
        why = (f" (argument {index + 1} is a {type(args[index]).__name__}, which compiled code "
               "does not take)")
        raise TypeError(self._no_match(shown, why))

    def _no_match(self, shown, why=""):
        return (f"No matching definition: {self.name}{shown} matches none of its compiled "
                f"signatures{why}:\n{self._list(self.entries)}\n"
                "A function compiled from signatures does not compile new ones. Numbers convert "
                "to any number parameter (a Python int to float64, ...); an array needs its "
                "dtype and ndim, and a layout the parameter accepts (float64[:] takes any, "
                "float64[::1] only C-contiguous arrays). Add a signature, or convert the argument.")

    @staticmethod
    def _list(entries):
        return "\n".join(f"    {signature}" for signature, _ in entries)


def _show(call):
    return "(" + ", ".join(map(str, call)) + ")"
