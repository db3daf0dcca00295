"""The PNG bar chart: one panel per experiment, median time per way on a log scale."""
from .report import format_seconds, format_speedup


def _panel(axes, experiment):
    ways = list(reversed(experiment.ways))  # the baseline on top
    positions = range(len(ways))
    medians = [w.timing.median if w.timing else 0.0 for w in ways]
    below = [w.timing.median - w.timing.fastest if w.timing else 0.0 for w in ways]
    above = [w.timing.slowest - w.timing.median if w.timing else 0.0 for w in ways]
    colors = ["tab:gray" if w.name == experiment.baseline else "tab:blue" if w.ok else "tab:red"
              for w in ways]
    axes.barh(positions, medians, xerr=[below, above], color=colors, capsize=3)
    axes.set_xscale("log")
    axes.set_yticks(list(positions), [w.name for w in ways])
    axes.set_xlabel("median seconds (log scale; bars: min-max)")
    axes.set_title(f"{experiment.name}: {experiment.title}", fontsize=9)
    timed = [m for m in medians if m > 0]
    if timed:
        axes.set_xlim(min(timed) / 3, max(timed) * 30)  # room for the labels right of the bars
    for position, way, median in zip(positions, ways, medians):
        if way.timing is None:
            label, x = "FAILED", (min(timed) if timed else 1.0)
        else:
            label = f"{format_seconds(median)}  {format_speedup(experiment.speedup(way))}"
            if not way.ok:
                label += "  results differ"
            x = way.timing.slowest * 1.15
        axes.text(x, position, label, va="center", fontsize=8)


def write_plot(path, experiments, machine_line):
    # Agg without pyplot: no display needed, no global figure state.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.2 + 1.6 * sum(len(e.ways) for e in experiments) / 2), layout="constrained")
    FigureCanvasAgg(figure)
    panels = figure.subplots(len(experiments), 1, squeeze=False)[:, 0]
    for axes, experiment in zip(panels, experiments):
        _panel(axes, experiment)
    figure.suptitle(f"accel.bench on {machine_line}", fontsize=7, wrap=True)
    figure.savefig(path, dpi=110)
