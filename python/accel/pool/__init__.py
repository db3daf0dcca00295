"""accel.Pool: a drop-in for multiprocessing.Pool with a C++ runtime (see docs/pool.md)."""
from .async_result import AsyncResult, IMapIterator, MapResult
from .errors import WorkerCrashedError
from .pool import BACKENDS, Pool

__all__ = ["Pool", "WorkerCrashedError", "RemoteTraceback", "AsyncResult", "MapResult",
           "IMapIterator", "BACKENDS"]


def __getattr__(name):
    if name == "RemoteTraceback":  # multiprocessing.pool's, imported on first use
        from multiprocessing.pool import RemoteTraceback
        return RemoteTraceback
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
