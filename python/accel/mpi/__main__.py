"""``mpiexec -n N python -m accel.mpi script.py [args...]``: rank 0 runs the script as
``__main__``; the other ranks serve as workers of its ``accel.Pool``. Also
``python -m accel.mpi -m package.module [args...]`` and ``python -m accel.mpi --info``.
"""
import os
import runpy
import sys
import traceback

import accel.mpi as session

USAGE = """\
usage: mpiexec -n N python -m accel.mpi script.py [args...]
       mpiexec -n N python -m accel.mpi -m module [args...]
       mpiexec -n N python -m accel.mpi --info

Rank 0 runs the script as __main__; ranks 1..N-1 run the tasks of its accel.Pool.
"""


def _import_mpi():
    try:
        from mpi4py import MPI
    except ImportError as exc:
        sys.exit(f"accel.mpi needs mpi4py and an MPI library: pip install 'accel[mpi]' "
                 f"(mpi4py and the mpich wheel) ({exc})")
    return MPI


def _info(MPI):
    import platform
    import mpi4py
    comm = MPI.COMM_WORLD
    here = (comm.Get_rank(), platform.node(), os.getpid(), os.cpu_count())
    everyone = comm.gather(here, root=0)
    if comm.Get_rank() != 0:
        return
    library = " ".join(MPI.Get_library_version().strip().splitlines()[0].split())
    vendor, version = MPI.get_vendor()
    print(f"MPI library: {library}")
    print(f"MPI vendor: {vendor} {'.'.join(map(str, version))}; "
          f"MPI standard {'.'.join(map(str, MPI.Get_version()))}; mpi4py {mpi4py.__version__}")
    print(f"ranks: {comm.Get_size()} (rank 0 runs the script, {comm.Get_size() - 1} worker ranks)")
    for rank, host, pid, cpus in everyone:
        print(f"  rank {rank}: host {host}, pid {pid}, {cpus} cores")


def _run_main(argv):
    """Runs the script or module like ``python script.py`` would; returns the exit status."""
    try:
        if argv[0] == "-m":
            if len(argv) < 2:
                sys.exit("accel.mpi: -m needs a module name")
            sys.argv = argv[1:]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(argv)
            sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
            runpy.run_path(argv[0], run_name="__main__")
        return 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        traceback.print_exc()
        return 130
    except BaseException:
        traceback.print_exc()
        return 1


def _stop_workers(comm):
    if session._coordinator is not None:
        return session._coordinator.stop()
    # The script made no MPI pool: the workers still wait for their stop.
    from .coordinator import MpiRuntime
    return MpiRuntime(comm).stop_workers()


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, end="", file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    MPI = _import_mpi()
    comm = MPI.COMM_WORLD
    if argv[0] == "--info":
        _info(MPI)
        return 0
    if comm.Get_rank() != 0:
        from .worker import serve
        serve(comm)
        return 0
    session._comm = comm
    status = _run_main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    if comm.Get_size() > 1 and not _stop_workers(comm):
        # A worker is still inside a task: only the MPI library can end it.
        print("accel.mpi: worker ranks were still running tasks at exit; aborting the job",
              file=sys.stderr, flush=True)
        comm.Abort(status or 1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
