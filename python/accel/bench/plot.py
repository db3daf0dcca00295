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
    firsts = [(p, w.timing.first_call) for p, w in zip(positions, ways) if w.timing]
    if firsts:
        axes.plot([f for _, f in firsts], [p for p, _ in firsts], "kd", markersize=4,
                  label="first call (compiling, imports)")
    axes.set_xscale("log")
    axes.set_yticks(list(positions), [w.name for w in ways])
    axes.set_xlabel("median seconds (log scale; bars: min-max)")
    axes.set_title(f"{experiment.name}: {experiment.title}", fontsize=9)
    timed = [m for m in medians if m > 0] + [w.timing.first_call for w in ways if w.timing]
    slowest = max(timed) if timed else 1.0
    if timed:
        axes.set_xlim(min(timed) / 3, slowest * 60)  # a column right of the bars for the labels
    for position, way, median in zip(positions, ways, medians):
        if way.timing is None:
            label = "FAILED"
        else:
            label = f"{format_seconds(median)}  {format_speedup(experiment.speedup(way))}"
            if not way.ok:
                label += "  results differ"
        axes.text(slowest * 2, position, label, va="center", fontsize=8)


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
