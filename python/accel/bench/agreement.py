"""Whether two ways computed the same thing: equal numbers, equal arrays, element by element."""
import numpy as np


class ResultsDiffer(Exception):
    """A way's result is not the baseline's; the message says where."""


def first_difference(expected, actual):
    """``None`` when equal, else a short description of the first difference."""
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            return f"expected {len(expected)} results, got {_describe(actual)}"
        for index, (want, got) in enumerate(zip(expected, actual)):
            difference = first_difference(want, got)
            if difference is not None:
                return f"result {index}: {difference}"
        return None
    want, got = np.asarray(expected), np.asarray(actual)
    if want.shape != got.shape:
        return f"shape {got.shape} instead of {want.shape}"
    if not np.array_equal(want, got):
        if want.ndim == 0:
            return f"{_describe(actual)} instead of {_describe(expected)}"
        return f"{np.count_nonzero(want != got)} of {want.size} elements differ"
    return None


def describe(result):
    """What a result is, for the report: ``8 images of 480x640x4 uint8`` or a number."""
    if isinstance(result, (list, tuple)) and result and all(isinstance(r, np.ndarray) for r in result):
        shapes = {r.shape for r in result}
        shape = "x".join(map(str, result[0].shape)) if len(shapes) == 1 else "various shapes"
        return f"{len(result)} images of {shape} {result[0].dtype}"
    return _describe(result)


def _describe(value):
    if isinstance(value, (list, tuple)):
        return f"{len(value)} results"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return repr(value.item() if isinstance(value, np.generic) else value)
