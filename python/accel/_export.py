"""What accel._core compiles from: one record per function, made when compiling reaches it.

Names are resolved as Python resolves them when the function runs: a local (a parameter
or anything the body assigns, as CPython's compiler decided in ``__code__``) is never
looked up; other names are the closure's, then the module's, then builtins. What a name
holds is recognized by identity, so ``from accel import prange``, ``import numpy as
xp`` and ``mylib.prange = accel.prange`` all mean the same thing to the compiler.
"""
import ast
import builtins
import importlib
import operator
import sys
import types
import weakref

from . import _core, _inner, _overload, _source

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# Modules whose objects the engine knows by their qualified name ("numpy.sqrt").
_KNOWN_MODULES = ("builtins", "math", "numpy", "numpy.random", "accel", "accel.numpy_library.lapack")
# Packages whose Python functions are never compiled as user code.
_LIBRARIES = ("numpy", "accel")
# ... but for accel's NumPy written in Python, compiled like the user's functions.
_COMPILED_LIBRARY = "accel.numpy_library"


def is_library_function(module):
    """Whether a Python function of this module is the engine's to implement (NumPy's,
    accel's own), not to compile."""
    return module.partition(".")[0] in _LIBRARIES and not module.startswith(_COMPILED_LIBRARY)

# What each registered jitted function is compiled from: its source, kept when it was
# decorated (or shipped with a pickle), so later edits of the file do not change it.
sources = weakref.WeakKeyDictionary()  # py_func -> _source.Source, filled by accel._jit
_known_objects = {}  # id -> (object, qualified name), for the known modules loaded so far
_known_loaded = set()


def known_name(value):
    """The engine's name for a builtin, math, NumPy or accel object ("numpy.sqrt"), or None."""
    if len(_known_loaded) < len(_KNOWN_MODULES):
        _learn_known_modules()
    entry = _known_objects.get(id(value))
    if entry is not None and entry[0] is value:
        return entry[1]
    numba = sys.modules.get("numba")
    if numba is not None and value is getattr(numba, "prange", None):
        return "accel.prange"  # numba code often keeps `from numba import prange`
    return None


def _learn_known_modules():
    """Adds the known modules imported since the last look. Only imported ones: importing
    numpy.random costs ~10 ms, and a function that uses it has imported it by now."""
    for module_name in _KNOWN_MODULES:
        module = sys.modules.get(module_name)
        if module is None or module_name in _known_loaded:
            continue
        _known_loaded.add(module_name)
        for name in sorted(vars(module)):
            if name.startswith("_"):
                continue
            value = getattr(module, name)
            if isinstance(value, (bool, int, float, types.ModuleType)) or value is None:
                continue  # constants are frozen by value, modules are described as modules
            # An object under several names (np.abs is np.absolute) takes the one its own
            # __name__ gives, which the engine knows.
            own = getattr(value, "__name__", None)
            if own != name and own is not None and getattr(module, own, None) is value:
                name = own
            _known_objects.setdefault(id(value), (value, f"{module_name}.{name}"))
    if "accel" in _known_loaded:
        from . import _jit
        _known_objects[id(_jit.prange)] = (_jit.prange, "accel.prange")


def constant(value):
    """The descriptor of a value frozen into compiled code, or None if it is no constant."""
    if type(value).__module__ == "numpy" and getattr(value, "dtype", None) is not None \
            and value.dtype.kind in "iuf" and value.dtype.itemsize in (1, 2, 4, 8) and value.dtype.name != "float16":
        # np.float64(2.0) is a float too, but a NumPy scalar: it keeps its type (not weak).
        return ("number", value.dtype.name, value.item())
    if value is None:  # np.newaxis
        return ("none",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        if _INT64_MIN <= value <= _INT64_MAX:
            return ("int", value)
        return ("unsupported", "int that does not fit in 64 bits")
    if isinstance(value, float):
        return ("float", value)
    return None


# Exception classes compiled code may raise, by class path: the dispatcher asks
# exception_class for the class when compiled code raises one.
_exception_classes = {}


def exception_path(cls):
    """The class path the engine and runtime know an exception class by: the class and its
    bases, most derived first, as "module:qualname" joined by "|" (object left out)."""
    path = "|".join(f"{c.__module__}:{c.__qualname__}" for c in cls.__mro__ if c is not object)
    _exception_classes[path] = cls
    return path


def exception_class(path):
    """The class of a class path: one this process exported, else found by its module and
    qualified name (code compiled elsewhere: a pickled function, the cache)."""
    cls = _exception_classes.get(path)
    if cls is None:
        module, _, qualname = path.partition("|")[0].partition(":")
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        _exception_classes[path] = cls
    return cls


def callee_settings(own, caller):
    """A jitted callee's settings when this caller calls it: the options its decorator
    left unset (numba's rule: fastmath, error_model) are the caller's. Each caller gets
    its own copy of the callee, so this never depends on which was compiled first."""
    inherit = own.get("inherit", ())
    if not inherit:
        return own
    settings = dict(own)
    for name in inherit:
        settings[name] = caller[name]
    return settings


def free_names(definition, code):
    """Names the body reads that are not locals, and the dotted chains (``np.random.rand``)
    on them: what must be resolved outside the function. Decorators and annotations are
    not part of the body (they ran when the function was defined)."""
    local = set(code.co_varnames) | set(code.co_cellvars)
    names, chains = set(), set()

    def visit(node):
        if isinstance(node, ast.AnnAssign):
            for child in (node.target, node.value):
                if child is not None:
                    visit(child)
            return
        if isinstance(node, ast.Attribute):
            parts = []
            base = node
            while isinstance(base, ast.Attribute):
                parts.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id not in local:
                parts.reverse()
                for end in range(1, len(parts) + 1):
                    chains.add((base.id, tuple(parts[:end])))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            names.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for statement in definition.body:
        visit(statement)
    return names, chains


def scope(function):
    """Names visible to the function from outside: closure cells, then globals, then builtins."""
    visible = dict(vars(builtins))
    visible.update(function.__globals__)
    if function.__closure__:
        for name, cell in zip(function.__code__.co_freevars, function.__closure__):
            try:
                visible[name] = cell.cell_contents
            except ValueError:  # an empty cell: the name is not bound yet
                visible.pop(name, None)
    return visible


class Exporter:
    """Gives accel._core each function's record when compiling first reaches it.

    ``load(0)`` is the jitted function; a callee gets its index when a caller names it,
    and its source is read and parsed only if inference reaches a call to it.
    """

    def __init__(self, function, settings, dispatcher=None):
        self.functions = []  # index -> (function, settings, its dispatcher or None)
        self.index = {}
        # overload index -> (Overload, the settings its implementations take); the first
        # two are reserved for x[array] and x[array] = v (frontend/program.h), found when
        # a subscript first needs them, since looking them up imports NumPy.
        self.overloads = [(operator.getitem, settings), (operator.setitem, settings)]
        self.index_of(function, settings, dispatcher)

    def index_of(self, function, settings, dispatcher=None):
        key = (function, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(settings.items())))
        if key not in self.index:
            self.index[key] = len(self.functions)
            self.functions.append((function, settings, dispatcher))
        return self.index[key]

    def resolve_overload(self, index, args, keywords):
        """The function index of the implementation overload `index` gives for a call with
        these argument types (the engine's type text); a CompileTypeError if it has none."""
        found, settings = self.overloads[index]
        if not isinstance(found, _overload.Overload):
            found = _overload.operator_overload(found)
        arg_types = [_overload.types_from_text(text) for text in args]
        keyword_types = {name: _overload.types_from_text(text) for name, text in keywords.items()}
        return self.index_of(found.implementation(arg_types, keyword_types), settings)

    def choose(self, index, codes):
        """Which of function index's signatures a call from compiled code with these
        argument codes takes: numba's rules, as for a call from Python (TypeError if none)."""
        resolver = _core.signature_resolver(self.functions[index][2])
        chosen = tuple(resolver.resolve(tuple(codes)))
        return next(i for i, (_, entry_codes) in enumerate(resolver.entries) if tuple(entry_codes) == chosen)

    def _signatures(self, dispatcher):
        resolver = _core.signature_resolver(dispatcher) if dispatcher is not None else None
        if resolver is None:
            return None
        from ._signatures import declared_return_of
        return [(tuple(codes), declared_return_of(signature)) for signature, codes in resolver.entries]

    def load(self, index):
        function, settings, dispatcher = self.functions[index]
        if isinstance(function, _inner.InnerFunction):
            tree, inner = _inner.lifted_body(function)
            return self._record(tree, function.code, function.enclosing, function.syntax, function.name,
                                function.defaults, {**function.siblings, **inner}, function.captured,
                                settings, None)
        syntax = _source.syntax(function, sources.get(function))
        tree, inner = _inner.lift(syntax.tree, function.__code__, function, syntax)
        return self._record(tree, function.__code__, function, syntax, function.__name__,
                            function.__defaults__ or (), inner, (), settings, dispatcher)

    def _record(self, tree, code, function, syntax, name, given, callees, captured, settings, dispatcher):
        """The record of a definition whose names `function` scopes: `callees` are the
        inner functions it may call by name, `captured` its parameters for what an inner
        function reads from its enclosing one (see _inner.py), after its own."""
        names, chains = free_names(tree, code)
        own = set(callees) | set(captured)
        visible = scope(function)
        resolved = {}
        for free in names - own:
            if free in visible:
                resolved[free] = self.describe(visible[free], settings)
        for root, path in chains:
            if root not in own and root in visible and isinstance(visible[root], types.ModuleType):
                resolved[".".join((root,) + path)] = self._describe_attribute(visible[root], path, settings)
        for callee_name, callee in callees.items():
            resolved[callee_name] = ("function", self.index_of(callee, settings))
        count = code.co_argcount
        defaults = [None] * (count + len(captured))
        for offset, value in enumerate(given):
            defaults[count - len(given) + offset] = (("none",) if value is None else constant(value)
                                                     or ("unsupported", type(value).__name__))
        return (tree, syntax.filename, syntax.first_line, syntax.lines, name,
                resolved, defaults, settings, self._signatures(dispatcher))

    def _describe_attribute(self, module, path, settings):
        value = module
        for depth, attribute in enumerate(path):
            if not isinstance(value, types.ModuleType):
                return ("unsupported", f"attribute of a {type(value).__name__}")
            try:
                value = getattr(value, attribute)
            except AttributeError:
                return ("missing", f"module '{value.__name__}' has no attribute '{attribute}'")
        return self.describe(value, settings)

    def describe(self, value, settings):
        """The engine's descriptor of a value a name holds."""
        from . import types as numba_types
        if isinstance(value, numba_types.Number):
            # numba's `float64(x)` in a body converts as NumPy's scalar type does.
            return ("builtin", f"numpy.{'bool' if isinstance(value, numba_types.Boolean) else value._numpy_name}")
        if isinstance(value, type) and issubclass(value, BaseException):
            return ("exception", exception_path(value))
        found = _overload.overload_of(value)
        if found is not None:  # before accel's own: a user's overload replaces it
            self.overloads.append((found, settings))
            return ("overload", len(self.overloads) - 1, found.name)
        known = known_name(value)
        if known is not None:
            return ("builtin", known)
        frozen = constant(value)
        if frozen:
            return frozen
        if isinstance(value, types.ModuleType):
            return ("module", value.__name__)
        if isinstance(value, _core.Dispatcher):
            return ("function", self.index_of(value.py_func, callee_settings(value._accel_settings, settings),
                                              value))
        module = getattr(value, "__module__", None) or ""
        name = getattr(value, "__qualname__", getattr(value, "__name__", "?"))
        where = f"{module}.{name}" if module else name
        if isinstance(value, types.FunctionType):
            if is_library_function(module):
                # NumPy's own Python functions are the engine's to implement, not to compile.
                return ("builtin", where)
            # A plain Python function is compiled along with its caller, if it calls it.
            return ("function", self.index_of(value, settings))
        if callable(value):
            return ("unsupported", f"{type(value).__name__} ({where})")
        return ("unsupported", type(value).__name__)
