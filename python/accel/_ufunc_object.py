"""The np.ufunc over compiled loops (src/dispatch/ufunc_object.cpp), made to look like the
kernel's function, and pickled by value.

Pickling: NumPy pickles a ufunc by name (a copyreg reducer for np.ufunc). accel's carry a
recipe in their ``__dict__`` instead: the cloudpickled kernel dispatcher (the function by
value, with its source lines) and one record per loop with its object code. accel puts
its own reducer for np.ufunc into copyreg, which uses the recipe when there is one and
NumPy's reducer otherwise, so pickle, cloudpickle, multiprocessing and accel.Pool all
carry an accel ufunc defined anywhere, ``__main__`` included.
"""
import copyreg
import pickle

import numpy as np

from . import _core, _ufunc_layout, _ufunc_loops


def finish(kernel, identity, core_layout, loops):
    """The np.ufunc over these loops (elementwise when core_layout is None), looking like
    the kernel's function."""
    function = kernel.py_func
    if core_layout:
        nin, nout = len(core_layout.inputs), len(core_layout.outputs)
    else:
        nin, nout = _ufunc_loops.nargs(function), 1
    ufunc = _core.make_ufunc(function.__name__, function.__doc__ or "", nin, nout,
                             _ufunc_loops.identity_code(identity), core_layout.text if core_layout else "",
                             loops)
    return _describe(ufunc, kernel, _Recipe(kernel, identity, core_layout, list(loops)))


def _describe(ufunc, kernel, recipe):
    """numba's DUFunc looks like its function (functools.update_wrapper); so does ours."""
    function = kernel.py_func
    try:
        ufunc.__module__ = function.__module__
        ufunc.__qualname__ = function.__qualname__
        ufunc.__doc__ = function.__doc__
        ufunc.__wrapped__ = function
        ufunc._accel_recipe = recipe
    except AttributeError:  # NumPy < 2.1: ufuncs take no attributes
        _recipes[id(ufunc)] = (ufunc, recipe)
    _install_pickling()
    return ufunc


_recipes = {}  # id -> (ufunc, recipe), where ufuncs take no attributes


class _Recipe:
    """How to make an accel np.ufunc again, in another process."""

    def __init__(self, kernel, identity, core_layout, loops):
        self.kernel = kernel
        self.identity = identity
        self.core_layout = core_layout
        self.loops = loops

    def reduce(self):
        layout = self.core_layout.text if self.core_layout else None
        return (_rebuild_ufunc, (kernel_payload(self.kernel), self.identity, layout,
                                 [_core.ufunc_loop_record(loop) for loop in self.loops]))


def kernel_payload(kernel):
    import cloudpickle  # on first use: most processes never pickle a ufunc
    return cloudpickle.dumps(kernel)


def kernel_from_payload(payload):
    return pickle.loads(payload)


def _rebuild_ufunc(payload, identity, layout_text, records):
    kernel = kernel_from_payload(payload)
    core_layout = _ufunc_layout.parse(layout_text) if layout_text else None
    return finish(kernel, identity, core_layout, _ufunc_loops.linked_loops(kernel, records))


_numpy_reduce = None


def _reduce(ufunc):
    recipe = getattr(ufunc, "__dict__", {}).get("_accel_recipe")
    if recipe is None and id(ufunc) in _recipes and _recipes[id(ufunc)][0] is ufunc:
        recipe = _recipes[id(ufunc)][1]
    if isinstance(recipe, _Recipe):
        return recipe.reduce()
    return _numpy_reduce(ufunc)


def _install_pickling():
    global _numpy_reduce
    if _numpy_reduce is None:
        _numpy_reduce = copyreg.dispatch_table[np.ufunc]
        copyreg.pickle(np.ufunc, _reduce)
