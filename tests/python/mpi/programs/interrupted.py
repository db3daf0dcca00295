"""Rank 0 gets SIGINT in the middle of a map of long tasks (the test sends it)."""
import os
import time

import accel

if __name__ == "__main__":
    with accel.Pool() as pool:
        pool.map(abs, range(4))
        print(os.getpid(), flush=True)  # the test interrupts this process now
        pool.map(time.sleep, [2.0] * 8, chunksize=1)
    print("not reached")
