"""Reports which task a worker rank was running when it died.

MPI launchers end the whole job when one rank dies, and a rank killed by SIGKILL cannot
say anything. So each worker rank starts this small process (``python -S watchdog.py``,
in its own session, so the launcher's clean-up does not kill it first). It waits for the
end of a pipe that only the worker holds, then reads the worker's task page and, unless
the worker had finished cleanly, prints which item of which function the rank was on.

When one rank dies, the launcher kills the others, and their watchdogs wake too, a few
milliseconds later. Only the first watchdog of a host to wake speaks: it binds an
abstract socket named after the launcher's proxy process (the ranks' common parent),
which the later ones then find taken.

The page (a memfd shared with the worker) holds: int64 state (-1 idle, -2 finished,
else the item being run), int64 job id, then the job's function name, NUL-terminated.
"""
import mmap
import os
import socket
import struct
import sys
import time

PAGE_SIZE = 4096
IDLE, FINISHED, TERMINATED = -1, -2, -3
HEADER = struct.Struct("<qq")
CLAIM_SECONDS = 3.0


def describe(page, rank, pid, host):
    state, job_id = HEADER.unpack_from(page, 0)
    if state in (FINISHED, TERMINATED):  # left cleanly, or ended by the launcher (SIGTERM)
        return None
    where = f"accel.mpi: worker rank {rank} (pid {pid} on {host}) died"
    if state == IDLE:
        return where + " while idle; the job was ended."
    name = bytes(page[HEADER.size:]).split(b"\0", 1)[0].decode("utf-8", "replace")
    return (f"{where} while running item {state} of {name} (job {job_id}); the job was "
            "ended. The MPI launcher reports how the rank ended (signal or exit status).")


def first_on_host(launcher_pid):
    """True for the first watchdog of this job on this host to call it; the claim lasts
    as long as the returned socket (kept by the caller) is open."""
    claim = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        claim.bind(f"\0accel-mpi-first-death-{launcher_pid}")
    except OSError:
        claim.close()
        return None
    return claim


def main(argv):
    pipe_fd, page_fd, rank, pid, host, launcher_pid = (int(argv[0]), int(argv[1]), argv[2],
                                                       argv[3], argv[4], argv[5])
    # The launcher may wait for the end of its ranks' output before it ends the job:
    # this process keeps stderr only until it has spoken.
    page = mmap.mmap(page_fd, PAGE_SIZE, mmap.MAP_SHARED, mmap.PROT_READ)
    while os.read(pipe_fd, 1):  # nothing is ever written: this returns at the worker's end
        pass
    message = describe(page, rank, pid, host)
    claim = first_on_host(launcher_pid) if message else None
    if claim is not None:
        os.write(2, (message + "\n").encode())
    _to_null(2)
    if claim is not None:
        time.sleep(CLAIM_SECONDS)  # the other ranks die meanwhile and stay quiet
        claim.close()


def _to_null(fd):
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, fd)
    os.close(null)


if __name__ == "__main__":
    main(sys.argv[1:])
