"""The text report: one table per experiment with medians, min-max, first call, speed-up."""


def format_seconds(seconds):
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_speedup(speedup):
    if speedup is None:
        return "-"
    return f"{speedup:.2f}x" if speedup < 10 else f"{speedup:.0f}x"


def experiment_table(experiment):
    header = ("way", "median", "min-max", "runs", "first call", f"speed-up vs {experiment.baseline}")
    rows = []
    failures = []
    for way in experiment.ways:
        if way.timing is None:
            rows.append((way.name, "FAILED", "", "", "", ""))
        else:
            t = way.timing
            rows.append((way.name, format_seconds(t.median),
                         f"{format_seconds(t.fastest)} - {format_seconds(t.slowest)}",
                         str(len(t.samples)), format_seconds(t.first_call), format_speedup(experiment.speedup(way))))
        if not way.ok:
            failures.append(way.error or way.difference)
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    lines = [f"{experiment.name}: {experiment.title}"]
    for row in [header] + rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        lines.append("  " + "   ".join(cells).rstrip())
    if experiment.ok:
        lines.append(f"  results agree: every way returned {experiment.result}")
    lines += [f"  FAILED: {failure}" for failure in failures]
    lines += [f"  note: {note}" for note in experiment.notes]
    return "\n".join(lines)


def full_report(experiments, machine_line, scale_name):
    parts = [f"accel.bench ({scale_name} run) on {machine_line}"]
    parts += [experiment_table(experiment) for experiment in experiments]
    if all(experiment.ok for experiment in experiments):
        parts.append("All ways agree.")
    else:
        failed = [e.name for e in experiments if not e.ok]
        parts.append(f"FAILED: {', '.join(failed)} (see above).")
    return "\n\n".join(parts)
