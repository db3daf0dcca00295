"""accel.Pool over MPI, end to end: each program runs under mpiexec -n 3 (rank 0 and two
worker ranks) and checks its results against builtin map, NumPy or CPython."""
import os
import signal
import subprocess
import sys
import time

import pytest

from mpi_helpers import PROGRAMS, mpiexec, ok, run_mpi


def test_every_method_matches_builtin_map():
    ok(run_mpi("every_method.py"))


def test_arrays_travel_both_ways_intact():
    ok(run_mpi("arrays_both_ways.py"))


def test_jitted_function_is_compiled_once_on_rank_0():
    ok(run_mpi("jit_compiled_once.py"))


def test_task_exceptions_reraise_with_type_and_traceback():
    ok(run_mpi("task_errors.py"))


@pytest.mark.parametrize("death", ["kill", "segfault"])
def test_a_dying_worker_rank_ends_the_job_naming_task_and_rank(death):
    started = time.monotonic()
    completed = run_mpi("worker_dies.py", env={"ACCEL_TEST_DEATH": death}, timeout=60)
    elapsed = time.monotonic() - started
    assert completed.returncode != 0
    assert "not reached" not in completed.stdout
    assert "while running item 5 of fragile" in completed.stderr, completed.stderr
    assert "worker rank" in completed.stderr
    assert elapsed < 30, elapsed  # a bound against hanging, far above the ~1 s it takes


def test_ctrl_c_on_rank_0_ends_every_rank():
    command = [mpiexec(), "-n", "3", sys.executable, "-m", "accel.mpi", f"{PROGRAMS}/interrupted.py"]
    job = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           cwd=PROGRAMS)
    try:
        rank_0 = int(job.stdout.readline())
        started = time.monotonic()
        os.kill(rank_0, signal.SIGINT)
        out, err = job.communicate(timeout=60)
    finally:
        job.kill()
    # Ranks inside a 2 s task finish it or are aborted after the 5 s grace.
    assert time.monotonic() - started < 20
    assert job.returncode == 130 and "KeyboardInterrupt" in err, (job.returncode, err)
    assert "not reached" not in out
    # mpiexec may return while its ranks are still on their way out: give them 5 s.
    deadline = time.monotonic() + 5
    while True:
        leftover = subprocess.run(["pgrep", "-f", f"{PROGRAMS}/interrupted.py"], capture_output=True, text=True)
        if leftover.stdout == "" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert leftover.stdout == "", leftover.stdout


def test_local_backend_initializer_and_exit_status_under_the_launcher():
    ok(run_mpi("pool_choices.py"))
    completed = run_mpi("pool_choices.py", "3")
    assert completed.returncode == 3 and completed.stdout.rstrip().endswith("ok"), completed


def test_one_rank_has_no_workers_and_auto_falls_back_to_processes():
    ok(run_mpi("pool_choices.py", ranks=1))


def test_mpi_backend_without_the_launcher_says_how_to_launch():
    plain = subprocess.run([sys.executable, f"{PROGRAMS}/no_launcher.py"], capture_output=True,
                           text=True, timeout=60)
    assert "mpiexec -n 3 python -m accel.mpi" in ok(plain)
    direct = run_mpi("no_launcher.py", launcher=False, ranks=2)
    assert "started by mpiexec directly" in ok(direct)


def test_script_errors_end_the_job_with_a_traceback():
    completed = run_mpi("does_not_exist.py", timeout=60)
    assert completed.returncode != 0 and "does_not_exist.py" in completed.stderr


def test_info_names_the_library_and_every_rank():
    completed = subprocess.run([mpiexec(), "-n", "3", sys.executable, "-m", "accel.mpi", "--info"],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "MPI library:" in out and "ranks: 3" in out, out
    for rank in range(3):
        assert f"rank {rank}: host" in out, out
