"""Random well-typed programs from accel's documented subset, for differential fuzzing.

Each program is one function `f(a, b, x)`: `a` an int, `b` a float, `x` a float64 array
of 8 elements, with up to two helper functions of the same parameters that it calls
(`f_h0(i, f, x[::2])`: the callee sees the caller's array or a view of it, and what it
writes the caller sees), defined beside it or inside it, and sometimes an inner lambda
that reads the program's variables when it is called. Variables keep one type each (int variables i0.., float
variables f0.., array elements read as float(x[i]) so every float is a Python float),
ints stay small (`% 997`), so a difference is a bug, not a documented difference
(docs/semantics.md rows 1, 2 and 7).

Besides scalars, branches and loops: array expressions and their reductions, masks
(`x[x > c]`), `enumerate`/`zip`, tuple packing and unpacking, `try`/`except`, and
`prange` loops, compiled with `parallel=True`. A prange body is *safe*: it cannot raise
(divisors are constants, indices wrapped, counts within len(x)), since an exception
leaving a prange loop leaves its reductions as they were before it (row 53); it reduces ints with `+=` (exact, unlike float sums:
docs/semantics.md row 16) and writes `x[k]`, reading any element of `x`, which the
planner must see (row 39: serial then, never a wrong answer). Grow it with each
construct the language gains.
"""
import random

INTS = ["i0", "i1", "i2"]
FLOATS = ["f0", "f1", "f2"]
VIEWS = ["x", "x", "x[::2]", "x[1:]", "x[::-1]"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.safe = False  # inside a prange body: nothing may raise
        self.reduced = []  # the prange body's reduction variables, which it must not read
        self.helpers = []  # (name, returns "int" or "float") callable from the current function

    def call(self, returns):
        """A call of a helper returning `returns`, or None when there is none."""
        names = [name for name, kind in self.helpers if kind == returns]
        if not names or self.safe:
            return None
        r = self.rng
        name = r.choice(names)
        if name == "scaled":  # the inner lambda: one float, and what it captures
            return f"scaled({self.float_expr(2)})"
        return f"{name}({self.int_expr(2)}, {self.float_expr(2)}, {r.choice(VIEWS)})"

    def int_expr(self, depth=0):
        r = self.rng
        if depth > 2 or r.random() < 0.3:
            readable = [v for v in INTS if v not in self.reduced]
            return r.choice(readable + ["a", "len(x)", str(r.randint(0, 9)), str(-r.randint(1, 9))])
        kind = r.randrange(9)
        if self.safe and kind == 6:
            kind = 0  # no whole-array reads beside the body's writes of x[k]
        left, right = self.int_expr(depth + 1), self.int_expr(depth + 1)
        if kind < 2:
            return f"({left} {r.choice('+-')} {right})"
        if kind == 2:
            return f"(({left} * {right}) % 997)"  # no int64 overflow (row 1)
        if kind == 3:
            divisor = str(r.randint(1, 9) * r.choice([1, -1])) if self.safe else right
            return f"({left} {r.choice(['//', '%'])} {divisor})"
        if kind == 4:
            return f"{r.choice(['min', 'max'])}({left}, {right})"
        if kind == 5:
            return f"abs({left})"
        if kind == 6:
            return f"int((x {r.choice(['>', '<='])} {self.float_expr(depth + 1)}).sum())"
        if kind == 7:
            called = self.call("int")
            if called:
                return called
        return f"({left} if {self.condition(depth + 1)} else {right})"

    def float_expr(self, depth=0):
        r = self.rng
        if depth > 2 or r.random() < 0.3:
            return r.choice(FLOATS + ["b", f"float(x[{self.index()}])", repr(round(r.uniform(-4, 4), 2)), "0.0"])
        kind = r.randrange(11)
        if self.safe and kind in (7, 8):
            kind = 0
        left, right = self.float_expr(depth + 1), self.float_expr(depth + 1)
        if kind < 3:
            return f"({left} {r.choice('+-*')} {right})"
        if kind == 3:
            return f"({left} / {f'(abs({right}) + 1.0)' if self.safe else right})"
        if kind == 4:
            return f"math.sqrt(abs({left}))"
        if kind == 5:
            return f"({left} ** 2)"
        if kind == 6:
            return f"({left} + {self.int_expr(depth + 1)})"
        if kind == 7:
            return f"float((x * {left} + {right}).{r.choice(['sum', 'max', 'min', 'mean'])}())"
        if kind == 8:
            # An empty selection sums to 0.0, as NumPy's does.
            return f"float(x[x {r.choice(['>', '<'])} {left}].sum())"
        if kind == 9:
            called = self.call("float")
            if called:
                return called
        return f"float({self.int_expr(depth + 1)})"

    def index(self):
        if self.safe:  # the element this iteration owns; rarely another, which the planner refuses
            return "k" if self.rng.random() < 0.97 else f"({self.int_expr(2)}) % 8"
        # Mostly in bounds (negative ones too); sometimes not, for IndexError.
        if self.rng.random() < 0.85:
            return f"({self.int_expr(2)}) % 8"
        return self.int_expr(2)

    def condition(self, depth=0):
        r = self.rng
        if r.random() < 0.5:
            return f"{self.int_expr(depth + 1)} {r.choice(['<', '<=', '==', '!=', '>'])} {self.int_expr(depth + 1)}"
        return f"{self.float_expr(depth + 1)} {r.choice(['<', '>', '>='])} {self.float_expr(depth + 1)}"

    def block(self, indent, depth, count):
        lines = []
        for _ in range(count):
            lines += self.statement(indent, depth)
        return lines

    def statement(self, indent, depth):
        r, pad = self.rng, "    " * indent
        kind = r.randrange(15 if depth < 2 else 6)
        if kind < 2:
            return [f"{pad}{r.choice(INTS)} = ({self.int_expr()}) % 997"]
        if kind < 4:
            return [f"{pad}{r.choice(FLOATS)} = {self.float_expr()}"]
        if kind == 4:
            return [f"{pad}x[{self.index()}] = {self.float_expr()}"]
        if kind == 5:
            return [f"{pad}{r.choice(FLOATS)} += {self.float_expr()}"]
        if kind == 6:
            return ([f"{pad}if {self.condition()}:"] + self.block(indent + 1, depth + 1, r.randint(1, 3)) +
                    [f"{pad}else:"] + self.block(indent + 1, depth + 1, r.randint(1, 2)))
        if kind == 7:
            body = self.block(indent + 1, depth + 1, r.randint(1, 3))
            if r.random() < 0.3:
                # First in the body: a line between a block's header and its body would not parse.
                body.insert(0, f"{pad}    if {self.condition()}:\n{pad}        {r.choice(['break', 'continue'])}")
            return [f"{pad}for k in range({r.choice(['4', 'a % 5', 'len(x)'])}):",
                    f"{pad}    i2 = (i2 + k) % 997"] + body
        if kind == 8:
            return [f"{pad}x[:] = x * {self.float_expr(2)} + {self.float_expr(2)}"]
        if kind == 9:
            return [f"{pad}x[x {r.choice(['>', '<'])} {self.float_expr(2)}] = {self.float_expr(2)}"]
        if kind == 10:
            if self.safe:
                return self.statement(indent, depth)
            return self.parallel_loop(pad)
        if kind == 11:
            # enumerate over the array or a view; zip of two views of it.
            if r.random() < 0.5:
                return [f"{pad}for k, v in enumerate({r.choice(VIEWS)}):",
                        f"{pad}    {r.choice(FLOATS)} += float(v) * {self.float_expr(2)}",
                        f"{pad}    i2 = (i2 + k * {self.int_expr(2)}) % 997"]
            return [f"{pad}for u, v in zip({r.choice(VIEWS)}, {r.choice(VIEWS)}):",
                    f"{pad}    {r.choice(FLOATS)} += float(u) - {self.float_expr(2)} * float(v)"]
        if kind == 12:
            first, second = r.choice(INTS), r.choice(FLOATS)
            return [f"{pad}pair = ({self.int_expr(1)} % 997, {self.float_expr(1)})",
                    f"{pad}{first}, {second} = pair"]
        if kind == 13 and not self.safe:
            handled = r.choice(["ZeroDivisionError", "IndexError", "ArithmeticError", "Exception"])
            return ([f"{pad}try:"] + self.block(indent + 1, depth + 1, r.randint(1, 2)) +
                    [f"{pad}except {handled}:", f"{pad}    {r.choice(FLOATS)} = -1.5"])
        # The body assigns no int variable, so the count reaches a multiple of 7.
        return [f"{pad}i1 = (i1 + 1) % 997", f"{pad}while i1 % 7 != 0:",
                f"{pad}    i1 = (i1 + 1) % 997", f"{pad}    {r.choice(FLOATS)} = {self.float_expr()}"]

    def parallel_loop(self, pad):
        """A prange loop: int reductions and writes of x[k] (see the module's text)."""
        r = self.rng
        self.safe, self.reduced = True, r.sample(INTS, r.randint(0, 2))
        try:
            # Helpers get views of 4 or 7 elements: the count never exceeds len(x).
            lines = [f"{pad}for k in prange({r.choice(['len(x)', 'len(x) - 1', 'min(a % 9, len(x))'])}):"]
            for variable in self.reduced:
                lines.append(f"{pad}    {variable} += ({self.int_expr(1)} + k) % 997")
            if not self.reduced or r.random() < 0.5:
                lines.append(f"{pad}    x[k] = {self.float_expr(1)} * k")
            return lines
        finally:
            self.safe, self.reduced = False, []

    def function(self, name, returns, inner=()):
        """A function's source; `inner` are helper sources defined inside it, first."""
        lines = [f"def {name}(a, b, x):", "    i0 = 1", "    i1 = a % 997", "    i2 = 0",
                 "    f0 = b", "    f1 = 0.5", "    f2 = -1.0"]
        for source in inner:
            lines += ["    " + line for line in source.rstrip("\n").split("\n")]
        if returns == "tuple" and self.rng.random() < 0.3:
            # An inner lambda reading the caller's variables: each call sees their values then.
            lines.append(f"    scaled = lambda t: t * {self.rng.choice(FLOATS)} + {self.rng.choice(INTS)}")
            self.helpers.append(("scaled", "float"))
        lines += self.block(1, 0, self.rng.randint(2, 6))
        if returns == "tuple":
            lines.append(f"    return ({', '.join(self.rng.sample(INTS + FLOATS, 3))})")
        else:
            lines.append(f"    return {self.rng.choice(INTS if returns == 'int' else FLOATS)}")
        return "\n".join(lines) + "\n"

    def program(self, name):
        """The helpers' sources and then the program's, one text."""
        self.helpers = []
        parts = []
        for h in range(self.rng.choice([0, 0, 1, 2])):
            returns = self.rng.choice(["int", "float"])
            parts.append(self.function(f"{name}_h{h}", returns))
            self.helpers.append((f"{name}_h{h}", returns))  # after its body: no recursion
        # Sometimes the helpers are inner functions of the program instead of its neighbours.
        inner = parts if parts and self.rng.random() < 0.3 else []
        parts = [] if inner else parts
        parts.append(self.function(name, "tuple", inner))
        return "\n\n".join(parts)


def programs(seed, count):
    """`count` program sources, named p0, p1, ...; the same for the same seed."""
    generator = Generator(seed)
    return [generator.program(f"p{i}") for i in range(count)]
