"""``--list``, ``--only`` and bad input."""
import json

from bench_helpers import run_bench


def test_list_names_both_experiments_and_runs_nothing(tmp_path):
    completed = run_bench("--list", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    names = [line.split()[0] for line in completed.stdout.splitlines()]
    assert names == ["histograms", "sums"]
    assert completed.stderr == ""


def test_only_runs_one_experiment(tmp_path):
    json_path = tmp_path / "sums.json"
    completed = run_bench("--quick", "--only", "sums", "--json", str(json_path), cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    document = json.loads(json_path.read_text())
    assert [e["name"] for e in document["experiments"]] == ["sums"]
    assert "histograms" not in completed.stdout


def test_only_with_an_unknown_name_lists_the_valid_ones_and_exits_2(tmp_path):
    completed = run_bench("--only", "nosuch", cwd=tmp_path)
    assert completed.returncode == 2
    assert "nosuch" in completed.stderr
    assert "histograms" in completed.stderr and "sums" in completed.stderr


def test_an_output_in_a_missing_folder_is_refused_before_running(tmp_path):
    completed = run_bench("--json", str(tmp_path / "nosuch" / "out.json"), cwd=tmp_path)
    assert completed.returncode == 2
    assert "--json" in completed.stderr and "does not exist" in completed.stderr
    assert "[histograms]" not in completed.stderr  # nothing was measured
