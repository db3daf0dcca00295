"""examples/accelerating_applications.py runs as a script, agrees with itself and says so."""
from bench_helpers import REPO, run_python


def test_example_script_runs_and_reports_both_parts(tmp_path):
    completed = run_python(str(REPO / "examples" / "accelerating_applications.py"), cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "same images: True" in completed.stdout
    assert f"every way returns {sum(range(1_000_000))}: True" in completed.stdout
