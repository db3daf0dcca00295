"""The notebook's functions, at module level so pool workers can import them by name
(a worker cannot import the ``__main__`` of ``python -m accel.bench``)."""
import numpy as np

import accel


def difficult_function(seed=10, size=1024, bins=1024):
    """The notebook's heavy function: draws a histogram of random data, returns its pixels.

    The notebook read pixels with ``canvas.tostring_rgb()``, which matplotlib removed; the
    RGBA buffer is the same picture with an alpha channel. The figure is made without
    pyplot so no global figure list is touched, which is what ``plt.close`` was for.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    np.random.seed(seed)
    data = np.random.rand(size**2)
    figure = Figure()
    canvas = FigureCanvasAgg(figure)
    figure.add_subplot().hist(data, bins=bins)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())


def standard(x):
    """The notebook's Python loop; ``@accel.jit`` and ``numba.njit`` compile this same function."""
    y = 0
    for item in x:
        y += item
    return y


def python_way(x):
    return sum(x)


def numpy_way(x):
    return x.sum()


def parallel_loop(x):
    """The loop over indices with ``accel.prange``, for ``@accel.jit(parallel=True)``;
    integer additions, so the parallel sum is exactly the serial one."""
    y = 0
    for i in accel.prange(len(x)):
        y += x[i]
    return y
