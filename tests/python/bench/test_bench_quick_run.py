"""``python -m accel.bench --quick --json J --plot P``: the outputs, never the timings."""
import os

import matplotlib.image
import pytest

import accel

EXPECTED_WAYS = {
    "histograms": ["serial", "multiprocessing.Pool(2)", "accel.Pool(2)"],
    "sums": ["standard", "python_way", "numpy_way", "accel.jit"]
            + (["accel.prange"] if hasattr(accel, "prange") else []) + ["numba.njit"],
}


def test_exits_0_and_says_all_ways_agree(quick_run):
    completed, _, _ = quick_run
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "All ways agree." in completed.stdout


def test_progress_goes_to_stderr_not_stdout(quick_run):
    completed, _, _ = quick_run
    assert "[sums] accel.jit: done" in completed.stderr
    assert "[sums]" not in completed.stdout


def test_table_has_a_row_per_way(quick_run):
    completed, _, _ = quick_run
    lines = completed.stdout.splitlines()
    for ways in EXPECTED_WAYS.values():
        for way in ways:
            assert any(line.strip().startswith(way + " ") for line in lines), way


def test_json_names_every_experiment_and_way(quick_run):
    _, document, _ = quick_run
    assert document is not None, "no JSON written"
    assert document["scale"] == "quick"
    assert document["ok"] is True
    by_name = {experiment["name"]: experiment for experiment in document["experiments"]}
    assert list(by_name) == list(EXPECTED_WAYS)
    for name, ways in EXPECTED_WAYS.items():
        names = [way["name"] for way in by_name[name]["ways"]]
        # Pools on all cores are extra rows on machines with other than 2 cores.
        assert names[:len(ways)] == ways
        assert (len(names) > len(ways)) == (os.cpu_count() != 2)


def test_json_results_agree_and_every_way_was_timed(quick_run):
    _, document, _ = quick_run
    for experiment in document["experiments"]:
        assert experiment["ok"] is True
        for way in experiment["ways"]:
            assert way["ok"] and way["error"] is None and way["difference"] is None, way
            assert way["min_s"] <= way["median_s"] <= way["max_s"]
            assert len(way["samples_s"]) >= 1 and way["first_call_s"] > 0
    sums = next(e for e in document["experiments"] if e["name"] == "sums")
    assert sums["result"] == str(sum(range(1_000_000)))
    histograms = document["experiments"][0]
    assert histograms["result"].startswith("8 images of ")


def test_png_is_a_png_matplotlib_can_read(quick_run):
    _, _, png_path = quick_run
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib.image.imread(png_path)
    assert image.ndim == 3 and image.shape[2] in (3, 4)
    assert image.shape[0] > 200 and image.shape[1] > 200
    assert image.std() > 0  # not a blank canvas


@pytest.mark.parametrize("name", list(EXPECTED_WAYS))
def test_json_baseline_has_speedup_one(quick_run, name):
    _, document, _ = quick_run
    experiment = next(e for e in document["experiments"] if e["name"] == name)
    baseline = next(w for w in experiment["ways"] if w["name"] == experiment["baseline"])
    assert baseline["speedup"] == pytest.approx(1.0)
