"""x[mask] and x[indices], read and written: NumPy's advanced indexing by one array of
booleans or integers, as numba allows it. The engine types a subscript whose index is an
array as a call of operator.getitem (operator.setitem for an assignment) and checks what
NumPy rejects at compile time (src/infer/infer_advanced_index.cpp); these implementations
do the rest, with NumPy's run-time errors.

A mask reads in C order; a mask of fewer dimensions than the array selects along the
leading axis (x[rows_mask] gives whole rows). Integer indices may repeat and be negative;
an assignment through repeated indices keeps the last value, as NumPy's does.
"""
import operator

import numpy as np

from .._overload import library_overload
from .. import types
from .indices import wrapped_index


def _boolean(t):
    return isinstance(t, types.Array) and isinstance(t.dtype, types.Boolean)


def _integers(t):
    return isinstance(t, types.Array) and isinstance(t.dtype, types.Integer)


@library_overload(operator.getitem)
def _getitem(a, index):
    if not isinstance(a, types.Array):
        return None
    if _boolean(index):
        if index.ndim == a.ndim:
            return _masked_elements
        return _masked_rows if index.ndim == 1 else None
    if not _integers(index):
        return None
    return _gathered_elements if a.ndim == 1 and index.ndim == 1 else _gathered


@library_overload(operator.setitem)
def _setitem(a, index, value):
    if not isinstance(a, types.Array):
        return None
    scalar = isinstance(value, types.Number)
    if _boolean(index) and index.ndim == 1:
        if scalar or value.ndim < a.ndim:
            return _fill_masked_rows
        return _store_masked_rows if value.ndim == a.ndim else None
    if _boolean(index) and index.ndim == a.ndim:
        if not scalar and value.ndim != 1:
            return None
        return _MASKED_STORES.get(a.ndim)
    if _integers(index):
        if scalar or value.ndim < a.ndim:
            return _fill_gathered
        return _store_gathered if value.ndim == a.ndim and index.ndim == 1 else None
    return None


def _check_mask(shape, mask_shape):
    for axis in range(len(mask_shape)):
        if shape[axis] != mask_shape[axis]:
            raise IndexError(f"boolean index did not match indexed array along axis {axis}; size of axis is "
                             f"{shape[axis]} but size of corresponding boolean axis is {mask_shape[axis]}")


def _masked_elements(a, mask):
    _check_mask(a.shape, mask.shape)
    return _selected_rows(a.ravel(), mask.ravel())


def _masked_rows(a, mask):
    _check_mask(a.shape, mask.shape)
    return _selected_rows(a, mask)


def _selected_rows(a, mask):
    """The rows a[i] (elements of a 1-d a) where the 1-d mask is true, in order."""
    out = np.empty((np.count_nonzero(mask),) + a.shape[1:], a.dtype)
    count = 0
    for i in range(mask.shape[0]):
        if mask[i]:
            out[count] = a[i]
            count += 1
    return out


def _gathered_elements(a, indices):
    out = np.empty(indices.shape[0], a.dtype)
    for k in range(indices.shape[0]):
        out[k] = a[wrapped_index(indices[k], a.shape[0])]
    return out


def _gathered(a, indices):
    wanted = indices.ravel()
    out = np.empty((wanted.shape[0],) + a.shape[1:], a.dtype)
    for k in range(wanted.shape[0]):
        out[k] = a[wrapped_index(wanted[k], a.shape[0])]
    return out.reshape(indices.shape + a.shape[1:])


def _fill_masked_rows(a, mask, value):
    _check_mask(a.shape, mask.shape)
    for i in range(mask.shape[0]):
        if mask[i]:
            a[i] = value


def _store_masked_rows(a, mask, value):
    _check_mask(a.shape, mask.shape)
    _store_line(a, mask, _counted_values(mask, value), 0)


def _check_value_count(given, count):
    if given != count and given != 1:
        raise ValueError(f"NumPy boolean array indexing assignment cannot assign {given} input values to "
                         f"the {count} output values where the mask is true")


def _value_source(mask, value):
    """value as a 1-d array the masked elements take their values from, in C order."""


@library_overload(_value_source)
def _value_source_for(mask, value):
    return _one_value if isinstance(value, types.Number) else _counted_values


def _one_value(mask, value):
    return np.full(1, value)


def _counted_values(mask, value):
    _check_value_count(value.shape[0], np.count_nonzero(mask))
    return value


def _store_masked_1d(a, mask, value):
    _check_mask(a.shape, mask.shape)
    values = _value_source(mask, value)
    _store_line(a, mask, values, 0)


def _store_masked_2d(a, mask, value):
    _check_mask(a.shape, mask.shape)
    values = _value_source(mask, value)
    taken = 0
    for i in range(a.shape[0]):
        taken = _store_line(a[i], mask[i], values, taken)


def _store_masked_3d(a, mask, value):
    _check_mask(a.shape, mask.shape)
    values = _value_source(mask, value)
    taken = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            taken = _store_line(a[i, j], mask[i, j], values, taken)


def _store_line(a, mask, values, taken):
    """Writes values[taken], values[taken + 1], ... (values[0] over and over when there
    is one) into the rows a[i] (elements of a 1-d view) where the 1-d mask is true; how
    many values it took."""
    step = 1 if values.shape[0] > 1 else 0
    for i in range(a.shape[0]):
        if mask[i]:
            a[i] = values[taken]
            taken += step
    return taken


# A mask of the array's own shape writes through row views: a[i] reaches memory of any
# layout, where a flattened copy of a strided array would not.
_MASKED_STORES = {1: _store_masked_1d, 2: _store_masked_2d, 3: _store_masked_3d}


def _checked_positions(indices, n):
    """indices, flattened, as positions in range(n): all are checked before any element
    is written, so an index out of bounds leaves the array as it was, as in NumPy."""
    wanted = indices.ravel()
    positions = np.empty(wanted.shape[0], np.int64)
    for k in range(wanted.shape[0]):
        positions[k] = wrapped_index(wanted[k], n)
    return positions


def _fill_gathered(a, indices, value):
    positions = _checked_positions(indices, a.shape[0])
    for k in range(positions.shape[0]):
        a[positions[k]] = value


def _store_gathered(a, indices, value):
    if value.shape[0] != indices.shape[0] and value.shape[0] != 1:
        raise ValueError(f"shape mismatch: value array of shape {value.shape} could not be broadcast to "
                         f"indexing result of shape {indices.shape + a.shape[1:]}")
    positions = _checked_positions(indices, a.shape[0])
    step = 1 if value.shape[0] > 1 else 0
    for k in range(positions.shape[0]):
        a[positions[k]] = value[k * step]
