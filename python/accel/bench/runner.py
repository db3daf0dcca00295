"""Runs an experiment's plan: times each way and checks it against the baseline's result."""
from .agreement import ResultsDiffer, describe, first_difference
from .results import ExperimentResult, WayResult
from .timing import measure


def run_plan(name, plan, progress, budget=float("inf")):
    """``budget``: seconds after which a way stops repeating (see timing.measure)."""
    result = ExperimentResult(name, plan.title, plan.ways[0].name, [], notes=list(plan.notes))
    # (way name, first result) of the first way that returned anything: the baseline's,
    # unless the baseline failed. A list so check() can set it.
    reference = []

    for way in plan.ways:
        outcome = WayResult(way.name, way.description)
        result.ways.append(outcome)

        def check(value, way=way):
            if not reference:
                reference.append((way.name, value))
                result.result = describe(value)
                return
            reference_way, expected = reference[0]
            difference = first_difference(expected, value)
            if difference is not None:
                raise ResultsDiffer(f"{way.name} differs from {reference_way}: {difference}")

        progress.start_way(name, way.name, way.repeats)
        try:
            with way.session() as call:
                outcome.timing = measure(call, way.repeats, check, progress.run, budget)
        except ResultsDiffer as error:
            outcome.difference = str(error)
        except Exception as error:  # a broken way is a failed row, the others still run
            outcome.error = f"{way.name} failed: {type(error).__name__}: {error}"
        progress.end_way(outcome)
    return result
