"""What every bench script shares: timing a call, and printing one ratio row."""
import statistics
import time


def timings(function, *args, repeat, number=1):
    """Seconds per call, for `repeat` rounds of `number` calls each, after one call that
    warms (compiles) it."""
    function(*args)
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function(*args)
        out.append((time.perf_counter() - start) / number)
    return out


def row(name, ours, theirs, peer, goal):
    """One line: our median (min-max), the peer's median, the ratio, the issue's goal."""
    a, b = statistics.median(ours), statistics.median(theirs)
    unit, scale = ("ms", 1e3) if a >= 1e-4 else ("us", 1e6) if a >= 1e-6 else ("ns", 1e9)
    print(f"{name:<42} {a * scale:8.2f} {unit} [{min(ours) * scale:.2f}-{max(ours) * scale:.2f}]"
          f"  {peer:<24} {b * scale:8.2f} {unit}   ratio {a / b:5.2f}  (goal {goal})")
    return a / b


def first_error_line(error):
    """What a kernel one compiler cannot run failed with: its class and first line."""
    text = getattr(error, "reason", None) or next(iter(str(error).splitlines()), "")
    return f"{type(error).__name__}: {text.strip()[:100]}"
