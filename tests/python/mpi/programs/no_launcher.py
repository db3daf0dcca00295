"""backend='mpi' in a script started without the accel.mpi launcher."""
import sys

import accel

if __name__ == "__main__":
    try:
        accel.Pool(backend="mpi")
    except RuntimeError as exc:
        print(exc)
        print("ok")
    else:
        sys.exit("no error")
