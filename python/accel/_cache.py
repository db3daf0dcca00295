"""``@accel.jit(cache=True)``: each signature's compiled record kept on disk.

An entry is the record a pickled function carries (``_core.export_specializations``:
argument codes, entry symbol, object code, return type, triple, CPU, features) next to
the full key it was compiled under. A later process computes the key again, finds the
entry by a digest of it, checks the whole key and links the object code: no source is
read, no name is exported, nothing is optimized.

The key is made from code objects, not from source text: the function's and that of
every function it may call (plain callees, jitted callees, functions reached as module
attributes, in any file), the frozen values of the names each one reads, the settings,
the argument types, accel's build and the LLVM target. Names are resolved as
``_export`` resolves them (closure, globals, builtins), and for a module every attribute
the code names; a name that is never called is hashed all the same, which costs at most
a needless recompilation.
"""
import collections
import marshal
import os
import sys
import types
import warnings

from . import _core, _export, _overload

try:
    # CPython's own SHA-256, without hashlib's load of OpenSSL (~1-2 ms of a cache hit).
    from _sha256 import sha256  # CPython 3.11
except ImportError:
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        from hashlib import sha256

# Bump when the entry layout or the key's encoding changes.
FORMAT = 1
_MAGIC = b"accel-cache\n"
_HEADER = len(_MAGIC) + 2 + 32  # magic, format (2 bytes), sha256 of the payload
_SUFFIX = ".accelc"
_STALE_TEMPORARY_SECONDS = 3600

# numba's dispatcher.stats: a named tuple of the directory and two Counters keyed by
# signature (here the tuple of type names that Dispatcher.signatures lists).
CompileStats = collections.namedtuple("CompileStats", ("cache_path", "cache_hits", "cache_misses"))


def for_function(function, settings):
    """The cache of one jitted function: on disk with ``cache=True``, else counts only."""
    return FunctionCache(function, settings) if settings.get("cache") else Uncached()


class Uncached:
    """A function without ``cache=True``: every signature compiles, and counts as a miss
    (as numba counts it)."""

    def __init__(self):
        self.stats = CompileStats(None, collections.Counter(), collections.Counter())

    def load(self, dispatcher, codes, declared_return=None):
        self.stats.cache_misses[_core.signature_names(list(codes))] += 1
        return False

    def store(self, dispatcher, codes, declared_return=None):
        pass


class FunctionCache:
    """Entries of one function, one per signature, in the first directory that takes them."""

    def __init__(self, function, settings):
        self.function = function
        self.settings = settings
        self.cell = is_notebook_cell(function.__code__.co_filename)
        self.directories = _directories(function.__code__.co_filename, self.cell)
        self.stats = CompileStats(_probable_directory(self.directories), collections.Counter(),
                                  collections.Counter())
        self._pending = {}  # codes -> key bytes computed by load(), used by store()
        self._warned = False

    def load(self, dispatcher, codes, declared_return=None):
        """Links the entry for ``codes`` (and the declared return type of an eager
        signature) into ``dispatcher``; False (a miss) when there is none that matches,
        or it cannot be read or run here."""
        codes = tuple(codes)
        signature = _core.signature_names(list(codes))
        key = self._key(dispatcher, codes, declared_return)
        if key is None:
            self.stats.cache_misses[signature] += 1
            return False
        name = self.entry_name(codes, key)
        for directory in self.directories:
            record = read_entry(os.path.join(directory, name), key)
            if record is None or record[0] != codes or not _runs_here(record):
                continue
            try:
                linked = _core.import_specialization(dispatcher, record)
            except (ValueError, TypeError, RuntimeError):
                linked = False  # a record LLVM refuses is a miss, like a corrupt file
            if linked:
                self.stats.cache_hits[signature] += 1
                return True
        self.stats.cache_misses[signature] += 1
        self._pending[codes] = key
        return False

    def store(self, dispatcher, codes, declared_return=None):
        """Writes the entry of the signature just compiled (after load() missed it)."""
        codes = tuple(codes)
        key = self._pending.pop(codes, None)
        # A global rebound while compiling would make the code disagree with the key.
        if key is None or key != self._key(dispatcher, codes, declared_return):
            return
        record = next((r for r in _core.export_specializations(dispatcher) if tuple(r[0]) == codes), None)
        if record is None:
            return
        name = self.entry_name(codes, key)
        failures = []
        for directory in self.directories:
            try:
                write_entry(os.path.join(directory, name), key, record)
            except OSError as error:
                failures.append(f"{directory}: {error.strerror or error}")
                continue
            _remove_stale(directory, name)
            if directory != self.stats.cache_path:
                self._update_path(dispatcher, directory)
            return
        self._warn(f"cannot write a cache entry for {self.function.__qualname__} "
                   f"({'; '.join(failures)}); it compiles again in each process. Set "
                   f"ACCEL_CACHE_DIR to a writable directory.", stacklevel=4)

    def _key(self, dispatcher, codes, declared_return):
        try:
            return cache_key(self.function, self.settings, codes, declared_return, dispatcher)
        except Exception as error:  # noqa: BLE001 - a cache that fails must not fail the call
            self._warn(f"cannot make the cache key of {self.function.__qualname__} "
                       f"({type(error).__name__}: {error}); it is compiled without the cache.", stacklevel=5)
            return None

    def _warn(self, message, stacklevel):
        # Once per function, not per signature; stacklevel counts the frames up to the
        # call of the jitted function (through _Hook.compile).
        if not self._warned:
            self._warned = True
            warnings.warn(f"accel.jit(cache=True) {message}", RuntimeWarning, stacklevel=stacklevel)

    def entry_name(self, codes, key):
        """``<file>.<function>-<signature digest>.<key digest>.accelc``. The entries of one
        function and signature share everything before the key digest, which is how a
        new entry finds the stale ones it replaces."""
        code = self.function.__code__
        stem = "cell" if self.cell else os.path.splitext(os.path.basename(code.co_filename))[0]
        qualname = "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "_"
                           for c in self.function.__qualname__)[:100]
        same = sha256(repr((qualname, codes) + _host_target()).encode()).hexdigest()[:16]
        return f"{stem[:60]}.{qualname}-{same}.{sha256(key).hexdigest()[:24]}{_SUFFIX}"

    def _update_path(self, dispatcher, directory):
        self.stats = self.stats._replace(cache_path=directory)
        try:
            dispatcher.stats = self.stats
        except AttributeError:
            pass


# --- Where entries go ---------------------------------------------------------------

def is_notebook_cell(filename):
    """Whether code comes from a notebook cell or another source that is no file of its
    own: IPython names cells /tmp/ipykernel_<pid>/<hash>.py, a name that changes with
    each kernel, so such code is cached under its function's name alone."""
    if filename.startswith("<") or not os.path.isfile(filename):
        return True
    folder = os.path.basename(os.path.dirname(filename))
    return folder.startswith("ipykernel_") and folder[len("ipykernel_"):].isdigit()


def user_cache_dir():
    """``$XDG_CACHE_HOME/accel``, else ``~/.cache/accel``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "accel")


def _mirrored(root, directory):
    # The source directory's absolute path under the root, as numba's NUMBA_CACHE_DIR does:
    # two files of the same name in different folders never share entries.
    drive, path = os.path.splitdrive(os.path.abspath(directory))
    return os.path.join(root, drive.strip(":\\/"), path.lstrip(os.sep))


def _directories(filename, cell):
    """Where to look for and write entries, in order."""
    chosen = os.environ.get("ACCEL_CACHE_DIR")
    root = os.path.abspath(os.path.expanduser(chosen)) if chosen else user_cache_dir()
    if cell:
        return [os.path.join(root, "cells")]
    directory = os.path.dirname(os.path.abspath(filename))
    if chosen:
        return [_mirrored(root, directory)]
    return [os.path.join(directory, "__pycache__"), _mirrored(root, directory)]


def _probable_directory(directories):
    """The first directory a write would probably succeed in (stats.cache_path); the
    write itself decides, and updates it."""
    for directory in directories:
        existing = directory
        while not os.path.isdir(existing):
            parent = os.path.dirname(existing)
            if parent == existing or os.path.exists(existing):
                existing = None
                break
            existing = parent
        if existing is not None and os.access(existing, os.W_OK | os.X_OK):
            return directory
    return directories[-1]


def cache_location():
    """(where entries go, what chose it), for ``python -m accel --info``."""
    chosen = os.environ.get("ACCEL_CACHE_DIR")
    if chosen:
        return os.path.abspath(os.path.expanduser(chosen)), "ACCEL_CACHE_DIR"
    return "__pycache__ beside each source file", "default"


def cell_directory():
    """Where the entries of notebook cells (and other code with no file) go."""
    return _directories("<cell>", True)[0]


# --- Entries ---------------------------------------------------------------------------

def read_entry(path, key):
    """The record stored at ``path`` under ``key``, or None: missing, unreadable,
    truncated, corrupt, another format or another key."""
    contents = entry_contents(path)
    return contents[1] if contents is not None and contents[0] == key else None


def entry_contents(path):
    """(key, record) of the entry at ``path``, or None when it is no intact entry."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    if len(data) < _HEADER or not data.startswith(_MAGIC):
        return None
    header = len(_MAGIC)
    if int.from_bytes(data[header:header + 2], "little") != FORMAT:
        return None
    payload = memoryview(data)[_HEADER:]
    if sha256(payload).digest() != data[header + 2:_HEADER]:
        return None
    try:
        entry = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == FORMAT and isinstance(entry[1], bytes)):
        return None
    record = entry[2]
    if not (isinstance(record, tuple) and len(record) == 7 and isinstance(record[0], tuple)
            and all(isinstance(code, int) for code in record[0]) and isinstance(record[2], bytes)
            and all(isinstance(record[i], str) for i in (1, 3, 4, 5, 6))):
        return None
    return entry[1], record


def write_entry(path, key, record):
    """Writes the entry atomically: a temporary file beside it, then a rename, so a
    reader sees the old entry or the new one, never half of one."""
    record = (tuple(int(code) for code in record[0]), *record[1:])
    payload = marshal.dumps((FORMAT, key, record))
    data = _MAGIC + FORMAT.to_bytes(2, "little") + sha256(payload).digest() + payload
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        with open(temporary, "xb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _remove_stale(directory, name):
    """Removes the entries of the same function and signature under other keys (the
    function or what it depends on was edited since), and temporaries left by a process
    that died while writing."""
    prefix = name[:-len(_SUFFIX)].rpartition(".")[0] + "."
    try:
        names = os.listdir(directory)
    except OSError:
        return
    now = None
    for other in names:
        if not other.startswith(prefix) or other == name:
            continue
        path = os.path.join(directory, other)
        try:
            if other.endswith(_SUFFIX):
                os.unlink(path)
            elif other.endswith(".tmp"):
                import time
                now = now or time.time()
                if now - os.stat(path).st_mtime > _STALE_TEMPORARY_SECONDS:
                    os.unlink(path)
        except OSError:
            pass


# --- The key ----------------------------------------------------------------------------

_target = None


def _host_target():
    global _target
    if _target is None:
        triple, cpu, features = _core.host_target()
        _target = (triple, cpu, ",".join(sorted(features.split(","))))
    return _target


def _runs_here(record):
    """Whether a record was compiled for exactly this target (the key says so too; a
    record that disagrees with its key is not trusted)."""
    return (record[4], record[5], ",".join(sorted(record[6].split(",")))) == _host_target()


_build = None


def _build_stamp():
    """accel's version and the identity of the compiled engine: a rebuilt _core (new code
    generation, a changed runtime ABI) under the same version must not reuse old code."""
    global _build
    if _build is None:
        try:
            status = os.stat(_core.__file__)
            engine = (status.st_size, status.st_mtime_ns)
        except (OSError, AttributeError):
            engine = None
        numpy = sys.modules.get("numpy")
        _build = (_core.__version__, engine, sys.version, sys.implementation.cache_tag,
                  getattr(numpy, "__version__", None))
    return _build


def cache_key(function, settings, codes, declared_return=None, dispatcher=None):
    """The bytes every cache entry of ``function`` for ``codes`` is stored under
    (``dispatcher``: the function's own, for the signatures it was declared with)."""
    out = []
    _encode(("accel-cache-key", FORMAT, _build_stamp(), _host_target(), tuple(codes), declared_return,
             _Graph(function, settings, dispatcher).form), out)
    return b"".join(out)


class _Graph:
    """Every function the jitted one may run, with what each one's names hold.

    Nodes are numbered in the order they are reached (names in sorted order), and a
    function reached again (recursion, a helper called twice) is a reference to its
    number, so the form is the same in every process."""

    def __init__(self, function, settings, dispatcher):
        self.numbers = {}
        self.nodes = []
        self.visit(function, settings, dispatcher)
        self.form = tuple(self.nodes)

    def visit(self, function, settings, dispatcher=None):
        identity = (function, _canonical(settings))
        number = self.numbers.get(identity)
        if number is not None:
            return ("node", number)
        number = self.numbers[identity] = len(self.nodes)
        self.nodes.append(None)
        code = function.__code__
        names = set()
        _collect_names(code, names)
        visible = _export.scope(function)
        resolved = []
        for name in sorted(names | set(code.co_freevars)):
            value = visible.get(name, _ABSENT)
            resolved.append((name, _ABSENT if value is _ABSENT else self.describe(value, settings, names, ())))
        defaults = tuple(self.describe(value, settings, names, ()) for value in function.__defaults__ or ())
        keyword_defaults = tuple((name, self.describe(value, settings, names, ()))
                                 for name, value in sorted((function.__kwdefaults__ or {}).items()))
        self.nodes[number] = ("function", function.__module__, function.__name__, function.__qualname__,
                              settings, _declared_signatures(dispatcher), _code_form(code), defaults,
                              keyword_defaults, tuple(resolved))
        return ("node", number)

    def describe(self, value, settings, names, modules):
        """What the compiler may take from a value: its frozen form, or the function,
        module or object it is. Mirrors _export.Exporter.describe, without its table of
        known objects (a known object is told apart by its type and qualified name)."""
        frozen = _export.constant(value)
        if frozen is not None:
            return ("constant",) + frozen
        found = _overload.overload_of(value)
        if found is not None:
            # Its typing function and the implementations nested in it decide the code.
            typing_function = found.typing_function
            return ("overload", found.name, self.visit(typing_function, settings)
                    if isinstance(typing_function, types.FunctionType) else _name_of(typing_function))
        if isinstance(value, _core.Dispatcher):
            # As the exporter compiles it for this caller: the options its decorator left
            # unset are the caller's, and it takes one of its declared signatures.
            return ("jitted", self.visit(value.py_func, _export.callee_settings(value._accel_settings, settings),
                                         value))
        if isinstance(value, types.FunctionType):
            module = value.__module__ or ""
            if _export.is_library_function(module):
                return ("library", module, value.__qualname__)
            return ("plain", self.visit(value, settings))
        if isinstance(value, types.ModuleType):
            name = value.__name__
            if name.partition(".")[0] in _LIBRARY_MODULES:
                # What numpy, math or accel hold is their version's (in the key); their
                # lazily imported submodules must not make the key depend on what was
                # imported before.
                return ("library module", name)
            if name in modules:
                return ("module", name)
            attributes = []
            for attribute in sorted(names):
                held = _attribute(value, attribute)
                if held is not _ABSENT:
                    attributes.append((attribute, self.describe(held, settings, names, modules + (name,))))
            return ("module", name, tuple(attributes))
        kind = type(value)
        if (kind.__module__ or "").partition(".")[0] == "accel":
            # accel's own objects (numba's type objects, accel.float64) mean what their
            # repr says; other objects' reprs may hold an address.
            return ("accel object", _name_of(kind), repr(value))
        return ("object", _name_of(kind), _name_of(value))


_ABSENT = ("absent",)
_LIBRARY_MODULES = frozenset(("builtins", "math", "numpy", "accel"))


def _attribute(module, name):
    """What ``module.name`` gives, as the exporter's getattr would, or _ABSENT."""
    namespace = vars(module)
    if name in namespace:
        return namespace[name]
    if "__getattr__" not in namespace:
        return _ABSENT
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a deprecated name the code never reads
        try:
            return getattr(module, name)
        except Exception:  # noqa: BLE001 - a module's __getattr__ may raise anything
            return _ABSENT


def _name_of(value):
    try:
        module = getattr(value, "__module__", None)
        qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    except Exception:  # noqa: BLE001 - an object's attributes may raise anything
        return None
    return (module if isinstance(module, str) else None, qualname if isinstance(qualname, str) else None)


def _declared_signatures(dispatcher):
    """The (codes, declared return) of each signature a dispatcher was compiled from, as
    the exporter hands them to the engine; None for a lazily compiled function."""
    resolver = _core.signature_resolver(dispatcher) if dispatcher is not None else None
    if resolver is None:
        return None
    from ._signatures import declared_return_of
    return tuple((tuple(codes), declared_return_of(signature)) for signature, codes in resolver.entries)


def _collect_names(code, names):
    names.update(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _collect_names(const, names)


def _code_form(code):
    """Everything of a code object that compiled code or its messages can depend on,
    but its file name (a notebook cell's changes with each kernel; the entry's place
    stands for the top function's file)."""
    return ("code", code.co_name, getattr(code, "co_qualname", code.co_name), code.co_argcount,
            code.co_posonlyargcount, code.co_kwonlyargcount, code.co_flags, code.co_code,
            tuple(_code_form(c) if isinstance(c, types.CodeType) else c for c in code.co_consts),
            code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars, code.co_firstlineno,
            tuple(code.co_lines()), getattr(code, "co_exceptiontable", b""))


def _canonical(value):
    """A hashable stand-in for a settings dict (whatever keys and values it holds)."""
    out = []
    _encode(value, out)
    return b"".join(out)


def _encode(value, out):
    """A byte encoding of plain data that depends only on the values (marshal's depends
    on reference counts; repr of a set on the hash seed)."""
    if value is None or value is True or value is False or value is Ellipsis:
        out.append(b"c" + repr(value).encode() + b";")
    elif isinstance(value, int):
        out.append(b"i" + int.__repr__(value).encode() + b";")
    elif isinstance(value, float):
        out.append(b"f" + float.__repr__(value).encode() + b";")
    elif isinstance(value, complex):
        out.append(b"j" + complex.__repr__(value).encode() + b";")
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data) + data)
    elif isinstance(value, (bytes, bytearray)):
        out.append(b"b%d:" % len(value) + bytes(value))
    elif isinstance(value, (tuple, list)):
        out.append(b"(" if isinstance(value, tuple) else b"[")
        for item in value:
            _encode(item, out)
        out.append(b")")
    elif isinstance(value, (set, frozenset)):
        out.append(b"{")
        out.extend(sorted(_canonical(item) for item in value))
        out.append(b"}")
    elif isinstance(value, dict):
        out.append(b"<")
        for item in sorted(_canonical(pair) for pair in value.items()):
            out.append(item)
        out.append(b">")
    else:
        # Not plain data (a setting given as an object): its type and repr.
        out.append(b"o")
        _encode((_name_of(type(value)), repr(value)), out)

