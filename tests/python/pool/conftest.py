import os

import pytest

import accel
from pool_helpers import children_of, pool_segments


@pytest.fixture(autouse=True)
def no_leftovers():
    """Every test must leave no worker process (not even a zombie) and no segment."""
    before = set(children_of(os.getpid()))
    yield
    leftover = set(children_of(os.getpid())) - before
    assert not leftover, f"processes left behind: {sorted(leftover)}"
    assert pool_segments(os.getpid()) == []


@pytest.fixture
def pool(no_leftovers):
    with accel.Pool(2) as p:
        yield p
