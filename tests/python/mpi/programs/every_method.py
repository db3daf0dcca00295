"""Every Pool method over MPI against builtin map, run under the accel.mpi launcher."""
import collections
import itertools
import operator
import sys

import accel
import accel.mpi
from accel.pool.mpi_pool import MpiPool

Point = collections.namedtuple("Point", "x y")  # defined in __main__: pickled by value


def square(x):
    return x * x


def power(x, y):
    return x ** y


def described(x, *, prefix):
    return f"{prefix}{x}"


if __name__ == "__main__":
    assert accel.mpi.rank() == 0 and accel.mpi.size() == 3, (accel.mpi.rank(), accel.mpi.size())
    items = list(range(-50, 150))
    pairs = [(x % 7, y % 5) for x, y in zip(items, reversed(items))]
    with accel.Pool() as pool:
        assert isinstance(pool, MpiPool) and "ranks=2" in repr(pool), repr(pool)
        assert pool.map(square, items) == list(map(square, items))
        for chunksize in (1, 7, 1000):
            assert pool.map(square, items, chunksize=chunksize) == list(map(square, items))
        assert pool.map(square, items, progress=True) == list(map(square, items))
        assert pool.starmap(power, pairs) == list(itertools.starmap(power, pairs))
        assert pool.starmap_async(power, pairs).get(60) == list(itertools.starmap(power, pairs))
        assert list(pool.imap(square, iter(items))) == list(map(square, items))
        assert list(pool.imap(square, iter(items), chunksize=9)) == list(map(square, items))
        assert sorted(pool.imap_unordered(square, items)) == sorted(map(square, items))
        assert pool.apply(power, (3, 4)) == 81
        assert pool.apply(described, (5,), {"prefix": "n="}) == "n=5"
        seen = []
        result = pool.map_async(square, items, callback=seen.append)
        assert result.get(60) == list(map(square, items)) and seen == [list(map(square, items))]
        asyncs = [pool.apply_async(power, (x, 2)) for x in range(20)]
        assert [r.get(60) for r in asyncs] == [x ** 2 for x in range(20)]
        assert pool.map(lambda p: p.x + p.y, [Point(1, 2), Point(3, 4)]) == [3, 7]
        offset = 10
        assert pool.map(lambda x: x + offset, range(5)) == [10, 11, 12, 13, 14]  # a closure
        assert pool.map(operator.neg, range(5)) == [0, -1, -2, -3, -4]
        assert pool.map(square, []) == [] and list(pool.imap(square, [])) == []
        # Workers are the other ranks.
        ranks = set(pool.map(lambda _: __import__("accel.mpi").mpi.rank(), range(200), chunksize=1))
        assert ranks <= {1, 2} and ranks, ranks
    # Two pools share the ranks; ending one leaves the other working.
    first, second = accel.Pool(), accel.Pool()
    pending = first.map_async(square, range(30))
    second.terminate()
    assert pending.get(60) == list(map(square, range(30)))
    first.close()
    first.join()
    try:
        first.map(square, [1])
    except ValueError as exc:
        assert "not running" in str(exc)
    else:
        sys.exit("a closed pool accepted a call")
    print("ok")
