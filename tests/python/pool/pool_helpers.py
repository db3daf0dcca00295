"""Helpers for the pool tests: what a test may leave behind, read from /proc and /dev/shm."""
import os


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
