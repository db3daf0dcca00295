"""A generalized ufunc's layout, ``"(m,n),(n,p)->(m,p)"``, read as NumPy reads it.

Each operand lists its core dimensions: names, or fixed sizes (``(3)``). NumPy numbers
the distinct dimensions in the order they first appear, and hands their sizes to the
loop in that order (``dimensions[1 + index]``); ``core_dims`` gives those indices, so the
compiled loop finds each array's shape.
"""
import re

__all__ = ["Layout", "parse"]

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<size>[0-9]+)|(?P<punct>->|[(),?]))")
_EXAMPLE = "write it as NumPy does, e.g. '(n),()->(n)' or '(m,n),(n,p)->(m,p)'"


class Layout:
    """``inputs`` and ``outputs``: per operand, a tuple of its core dimensions (names as
    strings, fixed sizes as ints). ``text`` is the layout without spaces, as NumPy takes it."""

    __slots__ = ("inputs", "outputs", "text", "_index")

    def __init__(self, inputs, outputs):
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)
        operands = [",".join(map(str, dims)) for dims in self.inputs + self.outputs]
        nin = len(self.inputs)
        self.text = (",".join(f"({o})" for o in operands[:nin]) + "->" +
                     ",".join(f"({o})" for o in operands[nin:]))
        self._index = {}
        for dims in self.inputs + self.outputs:
            for d in dims:
                self._index.setdefault(d, len(self._index))

    @property
    def operands(self):
        return self.inputs + self.outputs

    def core_dims(self, operand):
        """The indices of operand's core dimensions among all distinct ones."""
        return tuple(self._index[d] for d in self.operands[operand])

    def __repr__(self):
        return f"Layout({self.text!r})"


def parse(text):
    """The Layout of a gufunc signature string; ValueError says what is wrong where."""
    if not isinstance(text, str):
        raise TypeError(f"a guvectorize layout is a string such as '(n),()->(n)', not {type(text).__name__}")
    tokens = _tokens(text)
    position = 0

    def fail(why):
        raise ValueError(f"guvectorize layout {text!r}: {why}; {_EXAMPLE}")

    def take(expected=None):
        nonlocal position
        if position == len(tokens):
            fail("it ends too early" + (f", expected {expected!r}" if expected else ""))
        kind, value, where = tokens[position]
        if expected is not None and value != expected:
            fail(f"expected {expected!r} at position {where}, found {value!r}")
        position += 1
        return kind, value, where

    def operand():
        take("(")
        dims = []
        if position < len(tokens) and tokens[position][1] == ")":
            take(")")
            return tuple(dims)
        while True:
            kind, value, where = take()
            if kind == "size":
                if int(value) <= 0:
                    fail(f"a fixed dimension must be positive, found {value} at position {where}")
                dims.append(int(value))
            elif kind == "name":
                dims.append(value)
            else:
                fail(f"expected a dimension name or size at position {where}, found {value!r}")
            if position < len(tokens) and tokens[position][1] == "?":
                fail(f"flexible dimensions ('{value}?') are not supported")
            _, value, where = take()
            if value == ")":
                return tuple(dims)
            if value != ",":
                fail(f"expected ',' or ')' at position {where}, found {value!r}")

    def operand_list(end):
        found = [operand()]
        while position < len(tokens) and tokens[position][1] == ",":
            take(",")
            found.append(operand())
        if end is not None:
            take(end)
        elif position < len(tokens):
            fail(f"unexpected {tokens[position][1]!r} at position {tokens[position][2]}")
        return found

    if not tokens or tokens[0][1] == "->":
        fail("it needs at least one input operand before '->'")
    inputs = operand_list("->")
    outputs = operand_list(None)
    known = {d for dims in inputs for d in dims if isinstance(d, str)}
    for dims in outputs:
        for d in dims:
            if isinstance(d, str) and d not in known:
                fail(f"output dimension {d!r} appears in no input, so NumPy cannot know its size")
    return Layout(inputs, outputs)


def _tokens(text):
    tokens = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if not match:
            raise ValueError(f"guvectorize layout {text!r}: unexpected {stripped[position:].lstrip()[:1]!r} "
                             f"at position {position}; {_EXAMPLE}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens
