"""Helpers for the pool tests: what a test may leave behind, read from /proc and /dev/shm."""
import os


def _parents():
    """{pid: parent pid} of every process, zombies included, from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields follow the last ')'.
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def children_of(pid):
    """Pids whose parent is `pid` (zombies included)."""
    return [child for child, parent in _parents().items() if parent == pid]


def _runs_fork_server_code(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"accel.pool._fork_server" in f.read()
    except OSError:
        return False


def is_fork_server(pid, parent):
    """Whether `pid` (child of `parent`) is an accel fork server: it was started with the
    server's bootstrap, and is no fork of one (its workers have the same command line)."""
    return _runs_fork_server_code(pid) and not _runs_fork_server_code(parent)


def workers_of(pid):
    """The pool workers of process `pid`: its descendants (a fork server's children are
    its grandchildren), fork servers themselves left out, zombies included."""
    parents = _parents()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                frontier.append(child)
                if not is_fork_server(child, parent):
                    found.append(child)
    return found


def pool_segments(pid):
    return [name for name in os.listdir("/dev/shm") if name.startswith(f"accel.{pid}.")]
