"""Random well-typed programs from accel's documented subset, for differential fuzzing.

Each program is one function `f(a, b, x)`: `a` an int, `b` a float, `x` a float64 array
of 8 elements. Variables keep one type each (int variables i0.., float variables f0..,
array elements read as float(x[i]) so every float is a Python float), ints stay small
(`% 997`), so a difference is a bug, not a documented difference (docs/semantics.md
rows 1, 2 and 7). Grow it with each construct the language gains.
"""
import random

INTS = ["i0", "i1", "i2"]
FLOATS = ["f0", "f1", "f2"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def int_expr(self, depth=0):
        r = self.rng
        if depth > 2 or r.random() < 0.3:
            return r.choice(INTS + ["a", "len(x)", str(r.randint(0, 9)), str(-r.randint(1, 9))])
        kind = r.randrange(7)
        left, right = self.int_expr(depth + 1), self.int_expr(depth + 1)
        if kind < 2:
            return f"({left} {r.choice('+-')} {right})"
        if kind == 2:
            return f"(({left} * {right}) % 997)"  # no int64 overflow (row 1)
        if kind == 3:
            return f"({left} {r.choice(['//', '%'])} {right})"
        if kind == 4:
            return f"{r.choice(['min', 'max'])}({left}, {right})"
        if kind == 5:
            return f"abs({left})"
        return f"({left} if {self.condition(depth + 1)} else {right})"

    def float_expr(self, depth=0):
        r = self.rng
        if depth > 2 or r.random() < 0.3:
            return r.choice(FLOATS + ["b", f"float(x[{self.index()}])", repr(round(r.uniform(-4, 4), 2)), "0.0"])
        kind = r.randrange(9)
        left, right = self.float_expr(depth + 1), self.float_expr(depth + 1)
        if kind < 3:
            return f"({left} {r.choice('+-*')} {right})"
        if kind == 3:
            return f"({left} / {right})"
        if kind == 4:
            return f"math.sqrt(abs({left}))"
        if kind == 5:
            return f"({left} ** 2)"
        if kind == 6:
            return f"({left} + {self.int_expr(depth + 1)})"
        if kind == 7:
            return f"float((x * {left} + {right}).{r.choice(['sum', 'max', 'min', 'mean'])}())"
        return f"float({self.int_expr(depth + 1)})"

    def index(self):
        # Mostly in bounds (negative ones too); sometimes not, for IndexError.
        return f"({self.int_expr(2)}) % 8" if self.rng.random() < 0.85 else self.int_expr(2)

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
        kind = r.randrange(10 if depth < 2 else 6)
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
        # The body assigns no int variable, so the count reaches a multiple of 7.
        return [f"{pad}i1 = (i1 + 1) % 997", f"{pad}while i1 % 7 != 0:",
                f"{pad}    i1 = (i1 + 1) % 997", f"{pad}    {r.choice(FLOATS)} = {self.float_expr()}"]

    def program(self, name):
        lines = [f"def {name}(a, b, x):", "    i0 = 1", "    i1 = a % 997", "    i2 = 0",
                 "    f0 = b", "    f1 = 0.5", "    f2 = -1.0"]
        lines += self.block(1, 0, self.rng.randint(2, 6))
        lines.append(f"    return ({', '.join(self.rng.sample(INTS + FLOATS, 3))})")
        return "\n".join(lines) + "\n"


def programs(seed, count):
    """`count` program sources, named p0, p1, ...; the same for the same seed."""
    generator = Generator(seed)
    return [generator.program(f"p{i}") for i in range(count)]
