"""Results of asynchronous calls, filled in by the pool's dispatcher thread.

The names and behaviour follow multiprocessing.pool: AsyncResult (apply_async),
MapResult (map_async, starmap_async) and IMapIterator (imap, imap_unordered).
"""
import collections
import threading
from multiprocessing import TimeoutError


class AsyncResult:
    """The result of ``apply_async``: a single value."""

    def __init__(self, callback=None, error_callback=None):
        self._event = threading.Event()
        self._callback = callback
        self._error_callback = error_callback
        self._value = None
        self._error = None
        self.completed_items = 0

    # -- filled in by the dispatcher ------------------------------------------------
    def _set_total(self, total):
        pass

    def _deliver(self, first, values):
        if self._event.is_set():  # failed already
            return
        self._value = values[0]
        self.completed_items += 1
        self._finish()

    def _fail(self, index, error):
        if self._event.is_set():
            return
        self._error = error
        self._finish()

    def _finish(self):
        try:
            if self._error is None and self._callback is not None:
                self._callback(self._value)
            elif self._error is not None and self._error_callback is not None:
                self._error_callback(self._error)
        finally:
            self._event.set()

    # -- multiprocessing's API --------------------------------------------------------
    def ready(self):
        return self._event.is_set()

    def successful(self):
        if not self.ready():
            raise ValueError(f"{self!r} not ready")
        return self._error is None

    def wait(self, timeout=None):
        self._event.wait(timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self.ready():
            raise TimeoutError
        if self._error is not None:
            raise self._error
        return self._value


ApplyResult = AsyncResult


class MapResult(AsyncResult):
    """The result of ``map_async``/``starmap_async``: a list, in the items' order."""

    def __init__(self, callback=None, error_callback=None):
        super().__init__(callback, error_callback)
        self._value = []
        self._total = None

    def _set_total(self, total):
        self._total = total
        del self._value[total:]
        if len(self._value) < total:
            self._value.extend([None] * (total - len(self._value)))
        if self.completed_items >= total and not self._event.is_set():
            self._finish()

    def _deliver(self, first, values):
        if self._event.is_set():  # failed already
            return
        end = first + len(values)
        if len(self._value) < end:
            self._value.extend([None] * (end - len(self._value)))
        self._value[first:end] = values
        self.completed_items += len(values)
        if self._total is not None and self.completed_items >= self._total:
            self._finish()


class IMapIterator:
    """The iterator of ``imap`` (in order) or ``imap_unordered`` (as they finish)."""

    def __init__(self, ordered):
        self._ordered = ordered
        self._condition = threading.Condition(threading.Lock())
        self._ready = collections.deque() if not ordered else None
        self._by_index = {} if ordered else None
        self._next_index = 0
        self._yielded = 0
        self._total = None
        self._error = None
        self.completed_items = 0

    def _set_total(self, total):
        with self._condition:
            self._total = total
            self._condition.notify_all()

    def _deliver(self, first, values):
        with self._condition:
            if self._ordered:
                for offset, value in enumerate(values):
                    self._by_index[first + offset] = value
            else:
                self._ready.extend(values)
            self.completed_items += len(values)
            self._condition.notify_all()

    def _fail(self, index, error):
        with self._condition:
            if self._error is None:
                self._error = (index, error)
            self._condition.notify_all()

    def ready(self):
        return self._total is not None and self.completed_items >= self._total

    def _take(self):
        """(True, value) when the next value is available, else (False, None); raises the
        job's error once the values before it have been taken."""
        if self._ordered:
            if self._next_index in self._by_index:
                self._next_index += 1
                return True, self._by_index.pop(self._next_index - 1)
            position = self._next_index
        else:
            if self._ready:
                self._yielded += 1
                return True, self._ready.popleft()
            position = self._yielded
        if self._error is not None and (not self._ordered or self._error[0] <= position):
            raise self._error[1]
        if self._total is not None and position >= self._total:
            raise StopIteration
        return False, None

    def next(self, timeout=None):
        with self._condition:
            found, value = self._take()
            if found:
                return value
            self._condition.wait_for(lambda: self._take_possible(), timeout)
            found, value = self._take()
            if found:
                return value
            raise TimeoutError

    def _take_possible(self):
        if self._ordered:
            if self._next_index in self._by_index:
                return True
            position = self._next_index
        else:
            if self._ready:
                return True
            position = self._yielded
        # An ordered iterator raises an error only once it reaches the failed item.
        if self._error is not None and (not self._ordered or self._error[0] <= position):
            return True
        return self._total is not None and position >= self._total

    __next__ = next

    def __iter__(self):
        return self
