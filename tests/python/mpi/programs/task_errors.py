"""Exceptions in tasks re-raise on rank 0 with their type and the remote traceback."""
import sys

import accel
from accel.pool import RemoteTraceback


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def picky(x):
    if x == 13:
        raise KeyError(f"no {x}")
    return x


def hostile(x):
    raise Unpicklable("bad")


def leaves(x):
    if x == 2:
        sys.exit(4)
    return x


def failing_setup():
    raise RuntimeError("initializer failed")


def expect(error_type, call, *text):
    try:
        call()
    except error_type as exc:
        message = str(exc) + str(exc.__cause__)
        for piece in text:
            assert piece in message, (piece, message)
        return exc
    sys.exit(f"{call} did not raise {error_type.__name__}")


if __name__ == "__main__":
    with accel.Pool() as pool:
        error = expect(KeyError, lambda: pool.map(picky, range(40), chunksize=1), "no 13")
        assert isinstance(error.__cause__, RemoteTraceback)
        assert 'in picky' in error.__cause__.tb
        expect(KeyError, lambda: pool.map(picky, range(40), chunksize=8), "no 13")
        for chunksize in (1, None):
            got = []
            try:
                for value in pool.imap(picky, range(40), chunksize=chunksize):
                    got.append(value)
            except KeyError:
                pass
            # As in multiprocessing: the values before the failed chunk, then its error.
            assert got == list(range(len(got))) and len(got) <= 13, got
            assert chunksize is None or len(got) == 13, got
        expect(Exception, lambda: pool.apply(hostile, (1,)), "Unpicklable", "bad")
        crash = expect(accel.WorkerCrashedError, lambda: pool.map(leaves, range(5), chunksize=1),
                       "SystemExit(4)", "item 2")
        assert crash.index == 2 and crash.exitcode == 4, (crash.index, crash.exitcode)
        # The pool still works after errors.
        assert pool.map(picky, range(10)) == list(range(10))
    with accel.Pool(initializer=failing_setup) as pool:
        expect(RuntimeError, lambda: pool.map(picky, range(4)), "initializer failed")
    print("ok")
