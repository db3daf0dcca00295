"""One way of computing an experiment's result, and the plan of ways an experiment runs."""
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, ContextManager


@dataclass(frozen=True)
class Way:
    name: str          # as the notebook would write it, e.g. "accel.Pool(2)"
    description: str
    repeats: int       # timed calls after the first one
    # Opens what the way needs (a pool, a compiled function) and yields the call to time;
    # opening is not timed, as the notebook creates its Pool before %timeit.
    session: Callable[[], ContextManager[Callable[[], object]]]


@dataclass
class Plan:
    title: str
    ways: list          # the first way is the baseline: speed-ups and results are relative to it
    notes: list = field(default_factory=list)


@contextmanager
def calling(function, *args):
    """A session with nothing to open: yields ``function(*args)`` as the call."""
    yield lambda: function(*args)
