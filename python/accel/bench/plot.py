"""The PNG bar chart: one panel per experiment, median time per way on a log scale."""
from .report import format_seconds, format_speedup


def _panel(axes, experiment):
    ways = list(reversed(experiment.ways))  # the baseline on top
    timed = [(position, way.timing) for position, way in enumerate(ways) if way.timing is not None]
    seconds = [t.median for _, t in timed] + [t.first_call for _, t in timed] or [1.0]
    # Limits before the log scale, so a panel whose ways all failed is still drawable;
    # the room right of the bars is a column for the labels.
    axes.set_xlim(min(seconds) / 3, max(seconds) * 60)
    axes.set_xscale("log")
    if timed:
        positions = [position for position, _ in timed]
        colors = ["tab:gray" if ways[p].name == experiment.baseline else "tab:blue" for p in positions]
        axes.barh(positions, [t.median for _, t in timed], color=colors, capsize=3,
                  xerr=[[t.median - t.fastest for _, t in timed], [t.slowest - t.median for _, t in timed]])
        axes.plot([t.first_call for _, t in timed], positions, "kd", markersize=4,
                  label="first call (compiling, imports)")
    axes.set_yticks(range(len(ways)), [way.name for way in ways])
    axes.set_ylim(-0.6, len(ways) - 0.4)
    axes.set_xlabel("median seconds (log scale; bars: min-max)")
    axes.set_title(f"{experiment.name}: {experiment.title}", fontsize=9)
    for position, way in enumerate(ways):
        if way.timing is None:  # it raised, or its result differed from the baseline's
            label = "FAILED"
        else:
            label = f"{format_seconds(way.timing.median)}  {format_speedup(experiment.speedup(way))}"
        axes.text(max(seconds) * 2, position, label, va="center", fontsize=8)


def write_plot(path, experiments, machine_line):
    # Agg without pyplot: no display needed, no global figure state.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = 0.6 + sum(0.9 + 0.35 * len(e.ways) for e in experiments)
    figure = Figure(figsize=(7.5, height), layout="constrained")
    FigureCanvasAgg(figure)
    panels = figure.subplots(len(experiments), 1, squeeze=False)[:, 0]
    for axes, experiment in zip(panels, experiments):
        _panel(axes, experiment)
    handles, labels = panels[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower right", fontsize=7, frameon=False)
    figure.suptitle(f"accel.bench on {machine_line}", fontsize=7, wrap=True)
    figure.savefig(path, dpi=110)
