"""``accel.overload``: Python implementations of functions for compiled code, as numba's.

    @accel.overload(np.clip)
    def clip(a, a_min, a_max):          # called with the argument *types* when compiling
        if isinstance(a, accel.types.Array):
            def implementation(a, a_min, a_max):
                out = np.empty_like(a)
                ...
                return out
            return implementation       # compiled with the caller, like a plain callee
        return None                     # these types: not this overload's

A call to the overloaded object in compiled code asks the overload for an implementation
for the call's argument types (accel.types objects, numba's classes and names), then
compiles that implementation along with the caller, as it compiles any plain function
the caller calls. An overload is found by identity, whatever name reached the object, and
takes precedence over accel's own implementation of the same function, so users can
replace it. accel's own library of NumPy functions (python/accel/numpy_library/) is
written the same way.
"""
import types

from ._errors import CompileTypeError

_overloads = {}  # id(target) -> Overload, the user's
_library = {}    # id(target) -> Overload, accel's own (numpy_library), below the user's
_library_loaded = False


class Overload:
    """One overloaded object and its typing function (numba's ``@overload`` function)."""

    def __init__(self, target, typing_function):
        self.target = target
        self.typing_function = typing_function
        self.name = _display_name(target)

    def implementation(self, arg_types, keyword_types):
        """The Python function to compile for a call with these accel.types, or a
        CompileTypeError saying that this overload has none for them."""
        implementation = self.typing_function(*arg_types, **keyword_types)
        if implementation is None:
            shown = ", ".join([str(t) for t in arg_types] + [f"{k}={t}" for k, t in keyword_types.items()])
            raise CompileTypeError(f"{self.name}({shown}) is not supported in compiled code: its overload "
                                   f"({self.typing_function.__qualname__}) has no implementation for these types.")
        from . import _core
        if isinstance(implementation, _core.Dispatcher):
            implementation = implementation.py_func
        if not isinstance(implementation, types.FunctionType):
            raise TypeError(f"the overload of {self.name} ({self.typing_function.__qualname__}) must return a "
                            f"Python function or None, not {type(implementation).__name__}")
        return implementation


def overload(function, jit_options=None, **options):
    """Decorator: ``typing_function(*argument_types)`` gives the implementation compiled
    code runs for a call to ``function`` with those types (or None). As numba's
    ``numba.extending.overload``; ``jit_options`` and the other keywords are accepted for
    compatibility (the implementation compiles with its caller's options)."""
    unknown = set(options) - _NUMBA_OVERLOAD_OPTIONS
    if unknown:
        raise TypeError(f"accel.overload() got an unexpected keyword argument '{sorted(unknown)[0]}'")
    if options.get("target", "cpu") not in ("cpu", "generic"):
        raise NotImplementedError(f"accel.overload(target={options['target']!r}): accel compiles for the CPU only")
    return _registration(_overloads, function)


# numba's keywords of @overload; none changes what accel compiles.
_NUMBA_OVERLOAD_OPTIONS = frozenset(("strict", "inline", "prefer_literal", "target"))


def library_overload(target):
    """accel's own implementation of ``target`` (python/accel/numpy_library/): a user's
    overload of the same object takes precedence, whichever was registered first."""
    return _registration(_library, target)


def _registration(registry, target):
    if not callable(target):
        raise TypeError(f"accel.overload expects the function to overload, not {type(target).__name__}")

    def register(typing_function):
        if not callable(typing_function):
            raise TypeError(f"accel.overload({_display_name(target)}) decorates a function, not "
                            f"{type(typing_function).__name__}")
        registry[id(target)] = Overload(target, typing_function)
        return typing_function

    return register


def overload_of(value):
    """The Overload registered for this object (the user's first), or None."""
    found = _overloads.get(id(value))
    if found is None and (getattr(value, "__module__", None) or "").startswith(_LIBRARY_TARGETS):
        found = _library_registry().get(id(value))
    return found if found is not None and found.target is value else None


def operator_overload(target):
    """The Overload of operator.getitem or operator.setitem that an array indexed by an
    array (x[mask], x[indices] = v) compiles to: the user's, else the library's."""
    found = _overloads.get(id(target))
    return found if found is not None else _library_registry()[id(target)]


# accel's library overloads NumPy's objects and its own helpers only; other objects need
# not load it (a kernel of numbers compiles without importing it).
_LIBRARY_TARGETS = ("numpy", "accel.numpy_library")


def _library_registry():
    # Loaded on the first lookup of a NumPy object, so `import accel` never imports NumPy.
    global _library_loaded
    if not _library_loaded:
        _library_loaded = True
        from . import numpy_library  # noqa: F401 - registers accel's implementations
    return _library


def types_from_text(text):
    """accel.types objects for the engine's type text (types/type_text.h): argument type
    codes, "N" for None, "S" for a str, "(a,b)" for tuples, "[a]" for lists."""
    value, end = _read_type(text, 0)
    if end != len(text):
        raise ValueError(f"accel: malformed type text {text!r}")
    return value


def _read_type(text, pos):
    from . import types as accel_types
    from ._signatures import _type_of_code
    if text.startswith("N", pos):
        return accel_types.none, pos + 1
    if text.startswith("S", pos):
        return accel_types.unicode_type, pos + 1
    if text.startswith("[", pos):  # a list: "[item]"
        item, pos = _read_type(text, pos + 1)
        return accel_types.List(item), pos + 1
    if text.startswith("(", pos):
        elements = []
        pos += 1
        while not text.startswith(")", pos):
            element, pos = _read_type(text, pos)
            elements.append(element)
            if text.startswith(",", pos):
                pos += 1
        return accel_types.Tuple(tuple(elements)), pos + 1
    end = pos
    while end < len(text) and text[end].isdigit():
        end += 1
    return _type_of_code(int(text[pos:end])), end


def _display_name(target):
    module = getattr(target, "__module__", None) or ""
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or repr(target)
    return f"np.{name}" if module.partition(".")[0] == "numpy" else (f"{module}.{name}" if module else name)
