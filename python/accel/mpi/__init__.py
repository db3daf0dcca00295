"""accel on many machines: the same ``accel.Pool`` over MPI (see docs/mpi.md).

Launch a script with ``mpiexec -n N python -m accel.mpi script.py [args...]``: rank 0
runs the script, ranks 1..N-1 serve as the pool's workers, and ``accel.Pool()`` uses
them. Importing this module does not load MPI; mpi4py is imported only when MPI is used.
"""
import os

__all__ = ["rank", "size", "worker_count", "launched"]

# Set by the launcher (python -m accel.mpi) on rank 0.
_comm = None
_coordinator = None

# Environment variables through which the common launchers (Hydra/MPICH, Open MPI,
# PMIx, Slurm's PMI) give a process its rank.
_LAUNCHER_RANK_VARIABLES = ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK")

LAUNCH_HINT = "mpiexec -n 3 python -m accel.mpi your_script.py"


def _world():
    """COMM_WORLD when this process was started by an MPI launcher, else None (then
    MPI is not even initialized: a laptop run needs no MPI)."""
    if _comm is not None:
        return _comm
    if not any(name in os.environ for name in _LAUNCHER_RANK_VARIABLES):
        return None
    from mpi4py import MPI
    return MPI.COMM_WORLD


def rank():
    """This process's rank in the MPI job (0 outside MPI)."""
    world = _world()
    return 0 if world is None else world.Get_rank()


def size():
    """The number of ranks in the MPI job, rank 0 included (1 outside MPI)."""
    world = _world()
    return 1 if world is None else world.Get_size()


def launched():
    """True on rank 0 of a job started with ``python -m accel.mpi`` that has worker
    ranks: there, ``accel.Pool()`` runs its tasks on them."""
    return _comm is not None and _comm.Get_size() > 1


def worker_count():
    """The worker ranks an MPI pool uses (0 outside the launcher)."""
    return _comm.Get_size() - 1 if _comm is not None else 0


def shared_coordinator():
    """Rank 0's one MPI runtime, started with the first MPI pool."""
    global _coordinator
    if _coordinator is None:
        if not launched():
            raise RuntimeError(_why_no_workers())
        from .coordinator import Coordinator
        _coordinator = Coordinator(_comm)
    return _coordinator


def _why_no_workers():
    if _comm is not None:
        return ("accel.Pool(backend='mpi') has no worker ranks: this job has only rank 0. "
                f"Start it with more ranks, e.g. `{LAUNCH_HINT}`.")
    if any(name in os.environ for name in _LAUNCHER_RANK_VARIABLES):
        return ("accel.Pool(backend='mpi') needs the accel.mpi launcher: this script was "
                "started by mpiexec directly, so every rank runs it. Start it with "
                f"`{LAUNCH_HINT}`.")
    return ("accel.Pool(backend='mpi') needs MPI worker ranks: start the script with "
            f"`{LAUNCH_HINT}` (rank 0 runs it, the other ranks run its tasks), or use "
            "backend='local' on one machine.")
