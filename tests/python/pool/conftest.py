import os

import pytest

import accel
from pool_helpers import pool_segments, workers_of


@pytest.fixture(autouse=True)
def no_leftovers():
    """Every test must leave no worker process (not even a zombie) and no segment. The
    process's fork server stays: it is shared by every pool of the process."""
    before = set(workers_of(os.getpid()))
    yield
    leftover = set(workers_of(os.getpid())) - before
    assert not leftover, f"processes left behind: {sorted(leftover)}"
    assert pool_segments(os.getpid()) == []


@pytest.fixture
def pool(no_leftovers):
    with accel.Pool(2) as p:
        yield p
