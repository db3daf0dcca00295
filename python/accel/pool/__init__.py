"""accel.Pool: a drop-in for multiprocessing.Pool with a C++ runtime (see docs/pool.md)."""
from .async_result import AsyncResult, IMapIterator, MapResult
from .errors import RemoteTraceback, WorkerCrashedError
from .pool import BACKENDS, Pool

__all__ = ["Pool", "WorkerCrashedError", "RemoteTraceback", "AsyncResult", "MapResult",
           "IMapIterator", "BACKENDS"]
