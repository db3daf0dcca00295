"""Wall-clock timing of a call: its first run apart (compiling, imports), then repeated runs."""
import statistics
import time
from dataclasses import dataclass


@dataclass
class Timing:
    first_call: float
    samples: list  # seconds, one per repeated call

    @property
    def median(self):
        return statistics.median(self.samples)

    @property
    def fastest(self):
        return min(self.samples)

    @property
    def slowest(self):
        return max(self.samples)


def measure(call, repeats, check, on_run=lambda number: None, budget=float("inf")):
    """Times ``call()`` once, then up to ``repeats`` more times: fewer when the way has
    spent ``budget`` seconds and has one repeated timing, so a busy machine cannot stretch
    the run without bound. ``check`` sees every result outside the timed region (a way
    must agree every time, not only once)."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, not {repeats}")
    began = time.perf_counter()
    on_run(0)
    start = time.perf_counter()
    result = call()
    first_call = time.perf_counter() - start
    check(result)
    samples = []
    for number in range(1, repeats + 1):
        if samples and time.perf_counter() - began >= budget:
            break
        on_run(number)
        start = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - start)
        check(result)
    return Timing(first_call, samples)
