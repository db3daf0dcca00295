"""A worker rank dies in a task (SIGKILL or a segfault): the job must end, never hang."""
import ctypes
import os
import signal
import time

import accel


def fragile(x):
    if x == 5:
        if os.environ["ACCEL_TEST_DEATH"] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        ctypes.string_at(0)  # segfault
    time.sleep(0.05)
    return x


if __name__ == "__main__":
    with accel.Pool() as pool:
        pool.map(fragile, range(10), chunksize=1)
    print("not reached")
