"""np.nansum, nanprod, nanmean, nanmin, nanmax over the whole array, and np.ptp: NumPy's
steps (NaN replaced by the identity, then NumPy's own sum), so float results keep NumPy's
bits. Integer arrays hold no NaN: they reduce as plain sums. An all-NaN slice gives NaN
where NumPy gives NaN and a RuntimeWarning (compiled code warns nothing, semantics #46)."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent


def _takes(a, axis):
    return isinstance(a, types.Array) and absent(axis) and not isinstance(a.dtype, types.Complex)


def _inexact(a):
    return isinstance(a.dtype, types.Float)


@library_overload(np.nansum)
def _nansum(a, axis=None):
    if not _takes(a, axis):
        return None
    return _sum_of_numbers if _inexact(a) else _plain_sum


def _sum_of_numbers(a, axis=None):
    return np.where(np.isnan(a), 0, a).sum()


def _plain_sum(a, axis=None):
    return a.sum()


@library_overload(np.nanprod)
def _nanprod(a, axis=None):
    if not _takes(a, axis):
        return None
    return _product_of_numbers if _inexact(a) else _plain_product


def _product_of_numbers(a, axis=None):
    return np.where(np.isnan(a), 1, a).prod()


def _plain_product(a, axis=None):
    return a.prod()


@library_overload(np.nanmean)
def _nanmean(a, axis=None):
    if not _takes(a, axis):
        return None
    return _mean_of_numbers if _inexact(a) else _plain_mean


def _mean_of_numbers(a, axis=None):
    total = np.where(np.isnan(a), 0, a).sum()
    count = int(a.size - np.isnan(a).sum())  # a weak int: float32 / count stays float32
    return total / count if count > 0 else total * np.nan


def _plain_mean(a, axis=None):
    return a.mean()


@library_overload(np.nanmax)
def _nanmax(a, axis=None):
    if not _takes(a, axis):
        return None
    return _max_of_numbers if _inexact(a) else _plain_max


@library_overload(np.nanmin)
def _nanmin(a, axis=None):
    if not _takes(a, axis):
        return None
    return _min_of_numbers if _inexact(a) else _plain_min


def _no_identity(a, name):
    if a.size == 0:
        raise ValueError(f"zero-size array to reduction operation {name} which has no identity")


def _max_of_numbers(a, axis=None):
    _no_identity(a, "fmax")
    flat = a.ravel()
    best = flat[0]
    for value in flat:
        if not value <= best:  # a NaN best is replaced by any number, as np.fmax
            best = value if not np.isnan(value) else best
    return best


def _min_of_numbers(a, axis=None):
    _no_identity(a, "fmin")
    flat = a.ravel()
    best = flat[0]
    for value in flat:
        if not value >= best:
            best = value if not np.isnan(value) else best
    return best


def _plain_max(a, axis=None):
    _no_identity(a, "fmax")
    return a.max()


def _plain_min(a, axis=None):
    _no_identity(a, "fmin")
    return a.min()


@library_overload(np.ptp)
def _ptp(a, axis=None):
    if not _takes(a, axis) or isinstance(a.dtype, types.Boolean):
        return None
    return _peak_to_peak


def _peak_to_peak(a, axis=None):
    _no_identity(a, "maximum")
    return a.max() - a.min()
