"""accel's exceptions, in a module of their own so every part of the façade can raise them."""


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


def located_error(filename, lineno, reason, col=None, cls=CompileError):
    """A CompileError for a place that the engine never saw (source reading, names)."""
    where = f'File "{filename}", line {lineno}' if lineno else f'File "{filename}"'
    if col:
        where += f", column {col}"
    error = cls(f"{where}: {reason}")
    error.filename, error.lineno, error.col, error.reason = filename, lineno, col, reason
    return error
