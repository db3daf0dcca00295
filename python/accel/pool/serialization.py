"""Pickling for the pool's messages: pickle protocol 5 with large buffers out of band.

Buffers of ``OUT_OF_BAND_MIN`` bytes or more (NumPy arrays, bytearrays, ...) are not
copied into the pickle: they are handed to the runtime, which places each in shared
memory. Plain pickle is tried first because it is fast; cloudpickle takes over for what
plain pickle cannot do or would do wrongly (lambdas, closures, anything from ``__main__``).

cloudpickle is extended in three ways (``_reduce``), each to send what multiprocessing
would send:
- a function or class of ``__main__`` that the main module defines at its top level
  travels as a reference to it, checked in the worker against what its ``__main__``
  (the parent's, imported by the fork server as ``__mp_main__``) defines, with a copy by
  value for a worker that lacks it. By reference, it sees the worker's globals, those an
  initializer set;
- a bound method (a classmethod of an importable class above all) travels as
  ``getattr(its object, its name)``, as plain pickle sends it, not as a copy of its
  function by value;
- a function sent by value whose source is not in a file (a notebook cell, ``-c``)
  carries its lines, so the worker's tracebacks show them.
"""
import io
import itertools
import linecache
import os
import pickle
import sys
import types

from .calls import arguments

OUT_OF_BAND_MIN = 64 * 1024
_MAIN_MARKER = b"__main__"
_NOTHING = object()


def dumps(obj):
    """``(pickled bytes, [memoryview, ...])`` for ``obj``; the views must be sent with it."""
    buffers = []
    out_of_band_if_large = _out_of_band_into(buffers)
    try:
        data = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band_if_large)
        # A reference to __main__ would not resolve in a worker, whose __main__ differs.
        if _MAIN_MARKER not in data:
            return data, buffers
    except Exception:
        pass
    buffers.clear()
    return _cloud_dumps(obj, out_of_band_if_large), buffers


def dumps_result(obj):
    """``dumps`` for what a task returns: the standard pickler only, as multiprocessing,
    so a result it cannot pickle (a lambda) raises MaybeEncodingError there as here. The
    parent's __main__ is the one a result's references to __main__ mean."""
    buffers = []
    return pickle.dumps(obj, protocol=5, buffer_callback=_out_of_band_into(buffers)), buffers


def _out_of_band_into(buffers):
    """A buffer_callback that sends buffers of 64 KiB or more beside the pickle."""
    def out_of_band_if_large(pickle_buffer):
        try:
            view = pickle_buffer.raw()
        except BufferError:  # not contiguous: keep it in the pickle
            return True
        if view.nbytes < OUT_OF_BAND_MIN:
            return True
        buffers.append(view)
        return False

    return out_of_band_if_large

def dumps_function(obj):
    """Pickles a job's callable (and mode): always cloudpickle, which pickles importable
    functions by reference and the others by value."""
    return _cloud_dumps(obj)


def dumps_job(func, mode, items):
    """Pickles a call's function and mode for the workers. A jitted function is first
    compiled here for the first item's argument types, so its machine code travels with
    it and the workers do not each compile it. Returns ``(payload, items)``; ``items``
    may have been peeked at and is handed back whole."""
    if type(func).__name__ == "Dispatcher" and hasattr(func, "_accel_settings"):
        items = iter(items)
        first = next(items, _NOTHING)
        if first is not _NOTHING:
            items = itertools.chain((first,), items)
            _compile_for(func, mode, first)
    return dumps_function((func, mode)), items


def _compile_for(func, mode, item):
    from .. import _jit
    try:
        _jit.compile_for_args(func, *arguments(mode, item))
    except Exception:
        pass  # the workers raise it for each task, as a local call would


def loads(data, buffers=()):
    return pickle.loads(data, buffers=buffers)


def _cloudpickle():
    # Imported on first use: most workers never need it (unpickling what it made imports
    # it by itself), and it is a third of a worker's start-up time.
    import cloudpickle
    return cloudpickle


_pickler = None


def _cloud_dumps(obj, buffer_callback=None):
    global _pickler
    if _pickler is None:
        _pickler = _make_pickler(_cloudpickle())
    out = io.BytesIO()
    _pickler(out, protocol=5, buffer_callback=buffer_callback).dump(obj)
    return out.getvalue()


def _make_pickler(cloudpickle):
    class Pickler(cloudpickle.Pickler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._with_source = set()  # ids of functions whose lines are being attached

        def reducer_override(self, obj):
            reduced = _reduce(self, obj, cloudpickle)
            return reduced if reduced is not None else super().reducer_override(obj)
    return Pickler


def _reduce(pickler, obj, cloudpickle):
    if isinstance(obj, types.MethodType):
        owner, name = obj.__self__, obj.__func__.__name__
        try:
            if getattr(owner, name) == obj:
                return getattr, (owner, name)
        except Exception:
            pass
        return None
    if not isinstance(obj, (types.FunctionType, type)):
        return None
    if getattr(obj, "__module__", None) == "__main__":
        qualname = getattr(obj, "__qualname__", "")
        main = sys.modules.get("__main__")
        if "<" not in qualname and _main_may_be_imported() and _resolve(main, qualname) is obj:
            return _main_object, (qualname, _fingerprint(obj), cloudpickle.dumps(obj, protocol=5))
    if isinstance(obj, types.FunctionType) and id(obj) not in pickler._with_source:
        lines = _unfiled_source(obj, cloudpickle)
        if lines is not None:
            pickler._with_source.add(id(obj))
            return _with_source, (obj.__code__.co_filename, lines, obj)
    return None


def _main_may_be_imported():
    from .fork_server import main_reference  # noqa: PLC0415 (cheap, and only here)
    return main_reference() is not None


def _resolve(module, qualname):
    obj = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _fingerprint(obj):
    """What must be equal for a worker's object of the same name to stand for ``obj``."""
    if isinstance(obj, types.FunctionType):
        code = obj.__code__
        return ("function", code.co_name, code.co_firstlineno, code.co_code)
    members = sorted((name, _fingerprint(value)) for name, value in vars(obj).items()
                     if isinstance(value, types.FunctionType))
    return ("class", obj.__qualname__, tuple(members))


def _main_object(qualname, fingerprint, by_value):
    """In a worker: the object of its ``__main__`` named ``qualname`` if it is the
    parent's (same fingerprint), else the copy sent by value.

    A function found keeps the worker's globals (those an initializer set); the globals
    it reads that the worker's ``__main__`` lacks (assigned under ``if __name__ ==
    "__main__":`` in the parent) are added from the copy, with the parent's values."""
    copy = pickle.loads(by_value)
    found = _resolve(sys.modules.get("__main__"), qualname)
    if found is not None:
        try:
            same = _fingerprint(found) == fingerprint
        except Exception:
            same = False
        if same:
            if isinstance(found, types.FunctionType):
                worker_globals = found.__globals__
                for name, value in copy.__globals__.items():
                    if name not in worker_globals:
                        worker_globals[name] = value
            return found
    return copy


def _unfiled_source(function, cloudpickle):
    """The source lines of a function sent by value whose file does not exist (linecache
    has them from IPython or the like), else None."""
    filename = function.__code__.co_filename
    entry = linecache.cache.get(filename)
    if entry is None or len(entry) != 4 or os.path.exists(filename):
        return None
    try:
        if cloudpickle.cloudpickle._should_pickle_by_reference(function):
            return None
    except Exception:
        pass
    return entry[2]


def _with_source(filename, lines, function):
    """In a worker: registers a function's source lines for tracebacks; the function."""
    if filename not in linecache.cache:
        linecache.cache[filename] = (sum(map(len, lines)), None, list(lines), filename)
    return function
