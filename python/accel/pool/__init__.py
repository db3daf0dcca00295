"""accel.Pool: a drop-in for multiprocessing.Pool with a C++ runtime (see docs/pool.md).

Its names are loaded on first use: ``import accel`` imports ``accel.pool.fork_server``
to start the fork server early, and must not pay for the rest (multiprocessing above
all) in a program that never makes a pool.
"""
__all__ = ["Pool", "WorkerCrashedError", "RemoteTraceback", "AsyncResult", "MapResult",
           "IMapIterator", "BACKENDS"]

_WHERE = {"Pool": "pool", "BACKENDS": "pool", "WorkerCrashedError": "errors",
          "AsyncResult": "async_result", "MapResult": "async_result", "IMapIterator": "async_result"}


def __getattr__(name):
    if name == "RemoteTraceback":  # multiprocessing.pool's, imported on first use
        from multiprocessing.pool import RemoteTraceback
        return RemoteTraceback
    if name in _WHERE:
        import importlib
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
