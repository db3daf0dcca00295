"""Pickling for the pool's messages: pickle protocol 5 with large buffers out of band.

Buffers of ``OUT_OF_BAND_MIN`` bytes or more (NumPy arrays, bytearrays, ...) are not
copied into the pickle: they are handed to the runtime, which places each in shared
memory. Plain pickle is tried first because it is fast; cloudpickle takes over for what
plain pickle cannot do or would do wrongly (lambdas, closures, anything from ``__main__``,
which a worker cannot import).
"""
import itertools
import pickle

from .calls import arguments

OUT_OF_BAND_MIN = 64 * 1024
_MAIN_MARKER = b"__main__"
_NOTHING = object()


def dumps(obj):
    """``(pickled bytes, [memoryview, ...])`` for ``obj``; the views must be sent with it."""
    buffers = []

    def out_of_band_if_large(pickle_buffer):
        try:
            view = pickle_buffer.raw()
        except BufferError:  # not contiguous: keep it in the pickle
            return True
        if view.nbytes < OUT_OF_BAND_MIN:
            return True
        buffers.append(view)
        return False

    try:
        data = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band_if_large)
        # A reference to __main__ would not resolve in a worker, whose __main__ differs.
        if _MAIN_MARKER not in data:
            return data, buffers
    except Exception:
        pass
    buffers.clear()
    return _cloudpickle().dumps(obj, protocol=5, buffer_callback=out_of_band_if_large), buffers


def dumps_function(obj):
    """Pickles a job's callable (and mode): always cloudpickle, which pickles importable
    functions by reference and the others by value."""
    return _cloudpickle().dumps(obj, protocol=5)


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
