"""The PNG is drawn for failed runs too: a failed way is a labelled gap, not a crash."""
import matplotlib.image
import pytest

from accel.bench.plot import write_plot
from accel.bench.results import ExperimentResult, WayResult
from accel.bench.timing import Timing


def experiment(*ways):
    return ExperimentResult("fake", "a fake experiment", ways[0].name, list(ways), result="45")


def timed(name, seconds):
    return WayResult(name, "timed", Timing(seconds * 10, [seconds, seconds * 2, seconds * 3]))


@pytest.mark.parametrize("ways", [
    [timed("serial", 1.0), timed("pool", 0.5)],
    [timed("serial", 1.0), WayResult("pool", "broken", error="pool failed: RuntimeError: boom")],
    [WayResult("serial", "broken", error="serial failed"), WayResult("pool", "broken", error="pool failed")],
], ids=["all timed", "one failed", "all failed"])
def test_plot_is_a_readable_png(tmp_path, ways):
    path = tmp_path / "plot.png"
    write_plot(path, [experiment(*ways), experiment(timed("loop", 1e-3), timed("jit", 1e-6))], "test machine")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(path).shape[2] in (3, 4)
