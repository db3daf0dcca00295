"""Runs a program of programs/ under ``mpiexec -n N python -m accel.mpi``, as a user would."""
import os
import shutil
import subprocess
import sys

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")


def mpiexec():
    """The mpiexec of this Python's environment (the mpich wheel puts it beside python)."""
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.path.exists(beside) else shutil.which("mpiexec")


def run_mpi(program, *args, ranks=3, timeout=120, launcher=True, env=None):
    """The finished process (text output); fails the test if it outlives ``timeout``."""
    command = [mpiexec(), "-n", str(ranks), sys.executable]
    if launcher:
        command += ["-m", "accel.mpi"]
    command += [os.path.join(PROGRAMS, program), *args]
    # Run from the tests' folder, as the rest of the suite: the installed accel is used.
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=os.path.dirname(PROGRAMS))


def ok(completed):
    """Asserts that a program ran to its end; its output says what it checked."""
    assert completed.returncode == 0, f"rc={completed.returncode}\n{completed.stdout}\n{completed.stderr}"
    assert completed.stdout.rstrip().endswith("ok"), completed.stdout + completed.stderr
    return completed.stdout
