"""Running the bench and the examples in child interpreters, as a user would."""
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[3]


def run_python(*args, cwd, timeout=120):
    """Runs ``python *args`` in a child interpreter; a bench or example that hangs fails the test."""
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def run_bench(*args, cwd):
    return run_python("-m", "accel.bench", *args, cwd=cwd)
