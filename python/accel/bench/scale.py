"""How big each experiment is: the notebook's sizes, or a quick run with the same checks."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    seeds: tuple
    histogram_size: int      # difficult_function draws size**2 random numbers
    histogram_bins: int
    histogram_repeats: int   # timed runs after the first of each way
    sum_length: int          # np.arange(sum_length) is summed
    slow_sum_repeats: int    # for the interpreted loops (about a second each at full size)
    fast_sum_repeats: int    # for NumPy and compiled code (milliseconds)
    way_budget: float        # seconds after which a way stops repeating (see timing.measure)


# The notebook's figures. The repeats keep a whole run near a minute on 2 idle cores; the
# budget keeps it under two when other work shares the cores.
FULL = Scale("full", seeds=tuple(range(8)), histogram_size=1024, histogram_bins=1024,
             histogram_repeats=2, sum_length=10_000_000, slow_sum_repeats=3, fast_sum_repeats=20,
             way_budget=25.0)
QUICK = Scale("quick", seeds=tuple(range(8)), histogram_size=128, histogram_bins=32,
              histogram_repeats=1, sum_length=1_000_000, slow_sum_repeats=2, fast_sum_repeats=10,
              way_budget=4.0)
