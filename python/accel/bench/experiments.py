"""The experiments ``python -m accel.bench`` knows, by name, in the notebook's order."""
from . import histograms, sums

EXPERIMENTS = {module.NAME: module for module in (histograms, sums)}
