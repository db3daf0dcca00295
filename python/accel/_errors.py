"""accel's exceptions, in a module of their own so every part of the façade can raise them."""
import sys


class CompileError(Exception):
    """A function (or a call signature) that accel cannot compile.

    The message names the file, line and column, shows the source line with a caret
    under the construct, and says what is supported instead. ``filename``, ``lineno``,
    ``col`` and ``reason`` hold the same facts.
    """

    filename = None
    lineno = None
    col = None
    reason = None


class CompileTypeError(CompileError, TypeError):
    """A CompileError about types: ``except TypeError`` catches it too."""


class ParallelSafetyWarning(RuntimeWarning):
    """A ``prange`` loop runs serially: its planner cannot prove the iterations
    independent (numba's NumbaParallelSafetyWarning plays this part)."""


def located_error(filename, lineno, reason, col=None, cls=CompileError):
    """A CompileError for a place that the engine never saw (source reading, names)."""
    where = f'File "{filename}", line {lineno}' if lineno else f'File "{filename}"'
    if col:
        where += f", column {col}"
    error = cls(f"{where}: {reason}")
    error.filename, error.lineno, error.col, error.reason = filename, lineno, col, reason
    return error


def name_notebook_cells(error):
    """Says `Cell In[8]` instead of IPython's file name for a cell, as IPython's own
    tracebacks do; ``error.filename`` keeps the real name."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    cells = getattr(getattr(shell, "compile", None), "_filename_map", None)
    if not isinstance(cells, dict) or error.filename not in cells or not error.args:
        return error
    message = str(error.args[0]).replace(f'File "{error.filename}"', f"Cell In[{cells[error.filename]}]", 1)
    error.args = (message,) + error.args[1:]
    return error
