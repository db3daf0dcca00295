"""What a run found: per way a timing or an error, per experiment whether the ways agreed."""
from dataclasses import dataclass, field


@dataclass
class WayResult:
    name: str
    description: str
    timing: object = None       # a timing.Timing, or None when the way failed
    error: str = None           # why the way could not run, e.g. "accel.Pool(2) failed: ..."
    difference: str = None      # how its result differed from the baseline's

    @property
    def ok(self):
        return self.error is None and self.difference is None


@dataclass
class ExperimentResult:
    name: str
    title: str
    baseline: str
    ways: list
    result: str = None          # what every way returned, e.g. "49999995000000"
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return all(way.ok for way in self.ways)

    def speedup(self, way):
        """The baseline's median over this way's, or None when either has no timing."""
        base = next((w for w in self.ways if w.name == self.baseline), None)
        if base is None or base.timing is None or way.timing is None:
            return None
        return base.timing.median / way.timing.median
