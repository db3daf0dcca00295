"""Which pool a script gets under the launcher, the initializer, and backend="local"."""
import os
import sys

import accel
import accel.mpi
from accel.pool.mpi_pool import MpiPool

def remember(value):
    # Not a global of this script: each function from __main__ travels with its own copy.
    os.environ["ACCEL_TEST_INITIALIZED"] = value


def recall(_):
    return os.environ.get("ACCEL_TEST_INITIALIZED"), accel.mpi.rank()


if __name__ == "__main__":
    ranks = accel.mpi.size()
    if ranks == 1:  # launched with mpiexec -n 1: no worker ranks
        assert not accel.mpi.launched()
        with accel.Pool(2) as pool:
            assert not isinstance(pool, MpiPool) and pool.map(abs, [-1, -2]) == [1, 2]
        try:
            accel.Pool(backend="mpi")
        except RuntimeError as exc:
            assert "no worker ranks" in str(exc) and "mpiexec -n" in str(exc), exc
        else:
            sys.exit("backend='mpi' without worker ranks did not raise")
        print("ok")
        sys.exit(0)
    with accel.Pool(2, backend="local") as pool:
        assert not isinstance(pool, MpiPool)
        assert pool.map(os.getpid, []) == [] and pool.apply(accel.mpi.rank) == 0
    with accel.Pool(initializer=remember, initargs=("set",)) as pool:
        assert isinstance(pool, MpiPool)
        results = pool.map(recall, range(60), chunksize=1)
        assert {value for value, _ in results} == {"set"}, results
    try:
        accel.Pool(maxtasksperchild=3)
    except ValueError as exc:
        assert "maxtasksperchild" in str(exc)
    else:
        sys.exit("maxtasksperchild over MPI did not raise")
    sys.stdout.write("ok\n")
    sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
