"""A worker rank's record of what it is running, read by its watchdog (watchdog.py)."""
import mmap
import os
import socket
import subprocess
import sys

from .watchdog import FINISHED, HEADER, IDLE, PAGE_SIZE, TERMINATED

_WATCHDOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "watchdog.py")


class TaskPage:
    def __init__(self, rank):
        page_fd = os.memfd_create("accel-mpi-task", 0)
        os.ftruncate(page_fd, PAGE_SIZE)
        self._page = mmap.mmap(page_fd, PAGE_SIZE)
        self._job_id = None
        self.current_item = None
        self.idle()
        pipe_read, self._pipe_write = os.pipe()
        argv = [sys.executable, "-S", _WATCHDOG, str(pipe_read), str(page_fd), str(rank),
                str(os.getpid()), socket.gethostname(), str(os.getppid())]
        # Only the pipe, the page and stderr go to it: a launcher tells that a rank ended
        # from the end of its other descriptors (PMI socket, stdout), which the watchdog
        # must not hold. Its own session: the launcher kills the job's processes when a
        # rank dies, and the watchdog must outlive them long enough to report.
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         pass_fds=(pipe_read, page_fd), close_fds=True, start_new_session=True)
        os.close(pipe_read)
        os.close(page_fd)

    def start_job(self, job_id, name):
        if job_id != self._job_id:
            self._job_id = job_id
            encoded = name.encode("utf-8", "replace")[:PAGE_SIZE - HEADER.size - 1]
            self._page[HEADER.size:HEADER.size + len(encoded) + 1] = encoded + b"\0"

    def set_current_item(self, item):
        self.current_item = item
        HEADER.pack_into(self._page, 0, item, self._job_id or 0)

    def idle(self):
        HEADER.pack_into(self._page, 0, IDLE, self._job_id or 0)

    def finish(self):
        HEADER.pack_into(self._page, 0, FINISHED, 0)
        os.close(self._pipe_write)

    def terminated(self):
        """The launcher is ending the job (SIGTERM): this rank did not fail on its own."""
        HEADER.pack_into(self._page, 0, TERMINATED, 0)
