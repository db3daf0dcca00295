import os

import pytest

import accel


def children_of(pid):
    """Pids whose parent is `pid` (zombies included), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields follow the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def pool_segments(pid):
    return [name for name in os.listdir("/dev/shm") if name.startswith(f"accel.{pid}.")]


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
