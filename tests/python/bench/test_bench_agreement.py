"""The bench's own check: a way whose result differs, or that fails, is named and fails the run."""
import types

import numpy as np
import pytest

from accel.bench import cli
from accel.bench.agreement import first_difference
from accel.bench.progress import Progress
from accel.bench.runner import run_plan
from accel.bench.way import Plan, Way, calling


def images(changed_seed=None):
    out = [np.full((4, 5, 4), seed, dtype=np.uint8) for seed in range(8)]
    if changed_seed is not None:
        out[changed_seed][1, 2, 0] += 1
    return out


def test_equal_images_and_sums_agree():
    assert first_difference(images(), images()) is None
    assert first_difference(np.int64(45), 45) is None


def test_a_changed_pixel_is_found_with_its_seed():
    assert first_difference(images(), images(changed_seed=3)) == "result 3: 1 of 80 elements differ"


def test_a_different_sum_is_shown():
    assert first_difference(np.int64(45), 44) == "44 instead of 45"


def test_missing_results_and_other_shapes_differ():
    assert first_difference(images(), images()[:7]) == "expected 8 results, got 7 results"
    assert "shape" in first_difference(np.zeros((2, 2)), np.zeros(4))


def ways(*functions):
    return [Way(name, "test way", 2, (lambda f=f: calling(f))) for name, f in functions]


def broken():
    raise RuntimeError("boom")


def test_run_names_the_way_that_differs_and_the_one_that_failed(tmp_path):
    plan = Plan("images", ways(("serial", images), ("pool", lambda: images(changed_seed=5)),
                               ("crashes", broken), ("also serial", images)))
    with open(tmp_path / "progress", "w") as stream:
        result = run_plan("fake", plan, Progress(stream))
    serial, pool, crashes, also = result.ways
    assert serial.ok and also.ok and also.timing is not None
    assert pool.difference == "pool differs from serial: result 5: 1 of 80 elements differ"
    assert crashes.error == "crashes failed: RuntimeError: boom" and crashes.timing is None
    assert not result.ok
    assert "FAILED" in (tmp_path / "progress").read_text()


def test_a_way_that_changes_its_answer_between_calls_differs(tmp_path):
    answers = iter([45, 45, 44])  # the first call and two repeats
    plan = Plan("sums", ways(("loop", lambda: 45), ("flaky", lambda: next(answers))))
    with open(tmp_path / "progress", "w") as stream:
        result = run_plan("fake", plan, Progress(stream))
    assert result.ways[1].difference == "flaky differs from loop: 44 instead of 45"


def test_main_exits_1_and_reports_which_way_differs(monkeypatch, capsys, tmp_path):
    fake = types.SimpleNamespace(
        NAME="fake", SUMMARY="a fake experiment",
        plan=lambda scale: Plan("sums", ways(("loop", lambda: 45), ("wrong", lambda: 46))))
    monkeypatch.setattr(cli, "EXPERIMENTS", {"fake": fake})
    code = cli.main(["--quick", "--json", str(tmp_path / "out.json")])
    out = capsys.readouterr().out
    assert code == 1
    assert "wrong differs from loop: 46 instead of 45" in out
    assert '"ok": false' in (tmp_path / "out.json").read_text()


def test_when_the_baseline_fails_the_next_way_is_the_reference(tmp_path):
    plan = Plan("sums", ways(("loop", broken), ("numpy", lambda: 45), ("wrong", lambda: 46)))
    with open(tmp_path / "progress", "w") as stream:
        result = run_plan("fake", plan, Progress(stream))
    assert result.ways[0].error == "loop failed: RuntimeError: boom"
    assert result.ways[1].ok
    assert result.ways[2].difference == "wrong differs from numpy: 46 instead of 45"


def test_main_exits_1_when_a_way_fails(monkeypatch, capsys):
    fake = types.SimpleNamespace(
        NAME="fake", SUMMARY="a fake experiment",
        plan=lambda scale: Plan("sums", ways(("loop", lambda: 45), ("accel.Pool(2)", broken))))
    monkeypatch.setattr(cli, "EXPERIMENTS", {"fake": fake})
    assert cli.main(["--quick"]) == 1
    assert "FAILED: accel.Pool(2) failed: RuntimeError: boom" in capsys.readouterr().out
