"""The source a jitted function is compiled from, and the proof that it is that function's.

A decorated function's file is read when it is decorated (``capture``), so an edit made
to the file afterwards cannot change what compiles. Whatever text is used, it is
compiled by CPython and compared with the function's own ``__code__`` before accel
compiles it: a mismatch (the file changed since the import, a stale cache) is a
CompileError that says to re-import, never a silently different function.
"""
import __future__
import ast
import dataclasses
import functools
import inspect
import linecache
import symtable
import tokenize
import types

from ._errors import CompileError, located_error

_FUTURE_FLAGS = functools.reduce(
    lambda flags, name: flags | getattr(__future__, name).compiler_flag, __future__.all_feature_names, 0)
# Flags that change what a code object is; CO_NESTED and friends depend on where it was compiled.
_SHAPE_FLAGS = (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS | inspect.CO_GENERATOR | inspect.CO_COROUTINE
                | inspect.CO_ASYNC_GENERATOR | inspect.CO_ITERABLE_COROUTINE)

# What IPython names the code of a %%time / %%timeit cell, whose text it does not keep.
_TIMED_CELLS = ("<timed exec>", "<magic-timeit>")
_TIMED_CELL_HINT = ("IPython's %%time and %%timeit run their cell as a string whose source they "
                    "do not keep: define the function in a cell without the magic, then time the call.")
_NO_SOURCE_HINT = ("accel.jit compiles functions whose source it can read: defined in a file, a "
                   "notebook cell or an interactive session, not by exec() of a string or python -c.")


@dataclasses.dataclass(frozen=True)
class Source:
    """Lines of a file: lines[i] is line ``offset + i + 1`` of ``filename``."""
    filename: str
    lines: list
    offset: int = 0

    def tail(self, line):
        """The lines from ``line`` (1-based) to the end of what is kept."""
        return self.lines[max(line - 1 - self.offset, 0):] if line > self.offset else []


@dataclasses.dataclass(frozen=True)
class Syntax:
    """A function's definition as CPython parses it, at its place in its file."""
    tree: ast.FunctionDef
    filename: str
    first_line: int
    lines: list  # the definition's lines, without line ends


def capture(function):
    """The function's file as it is now; a CompileError when there is none to read."""
    code = function.__code__
    linecache.checkcache(code.co_filename)  # a file edited since linecache read it
    lines = linecache.getlines(code.co_filename, function.__globals__)
    if not lines:
        hint = _TIMED_CELL_HINT if code.co_filename in _TIMED_CELLS else _NO_SOURCE_HINT
        raise located_error(code.co_filename, code.co_firstlineno,
                            f"cannot read the source of {function.__qualname__}. {hint}")
    return Source(code.co_filename, lines)


def shipped(function, first_line, lines):
    """A definition's lines sent along with a pickled function (the receiver may lack them)."""
    return Source(function.__code__.co_filename, [line + "\n" for line in lines], first_line - 1)


def syntax(function, source=None):
    """The function's definition from ``source`` (its file now when None), checked against
    its ``__code__``. Every failure is a CompileError with a location."""
    code = function.__code__
    source = source or capture(function)
    tail = source.tail(code.co_firstlineno)
    if code.co_name == "<lambda>":
        return _lambda_syntax(function, source, tail)
    block = tuple(tail[:_last_line(code) - code.co_firstlineno + 1])
    key = (code, block)
    if key not in _checked:
        definition = _checked_definition(function, source, block)
        if definition is None:
            # The code's last line can end before the definition does: a docstring that
            # ends the body, or unreachable lines after a `return`/`raise` (CPython drops
            # their instructions, not their names). The tokenizer finds the block's end.
            try:
                block = tuple(inspect.getblock(tail)) if tail else ()
            except (SyntaxError, tokenize.TokenError) as error:
                raise located_error(source.filename, code.co_firstlineno,
                                    f"cannot read the source of {function.__qualname__}: {error}") from None
            definition = _checked_definition(function, source, block, final=True)
        if len(_checked) > 512:
            _checked.clear()
        _checked[key] = Syntax(definition, source.filename, code.co_firstlineno,
                               [line.rstrip("\r\n") for line in block])
    return _checked[key]


_checked = {}  # (code, definition lines) -> Syntax: parsed and compared once


def _checked_definition(function, source, block, final=False):
    """The definition these lines parse to if CPython compiles it to the function's code;
    None (a CompileError when `final`) when they do not."""
    code = function.__code__
    try:
        definition = _parse_definition(function.__qualname__, source.filename, code.co_firstlineno, block)
    except CompileError:
        if final:
            raise
        return None
    if any(_is_code_of(definition, code, imported) for imported in _import_guesses(function, source)):
        return definition
    if final:
        raise _edited(function, source.filename, code.co_firstlineno)
    return None


def _last_line(code):
    """The last line any instruction of the code (or of code nested in it) spans: where
    the definition ends, found without the tokenizer (its first use costs ~5 ms)."""
    last = code.co_firstlineno
    stack = [code]
    while stack:
        current = stack.pop()
        last = max([last] + [end for _, end, _, _ in current.co_positions() if end is not None])
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return last


def _parse_definition(qualname, filename, first_line, block):
    text = "".join(block)
    # Parsed where it stands: an indented definition goes under `if 1:`, so columns and
    # lines stay the file's own (textwrap.dedent breaks on a string literal at column 0).
    indented = bool(block) and block[0][:1] in (" ", "\t")
    try:
        module = ast.parse(("if 1:\n" if indented else "") + text, filename)
    except SyntaxError as error:
        line = first_line + (error.lineno or 1) - 1 - indented
        raise located_error(filename, line, f"the source of {qualname} does not parse "
                            f"({error.msg}). {_REIMPORT}") from None
    body = module.body[0].body if indented and module.body else module.body
    definition = body[0] if body else None
    if isinstance(definition, ast.AsyncFunctionDef):
        raise located_error(filename, first_line, "async functions cannot be compiled.")
    if not isinstance(definition, ast.FunctionDef):
        raise located_error(filename, first_line, f"the source at line {first_line} is not the "
                            f"definition of {qualname} (the file was edited after it was imported). "
                            f"{_REIMPORT}")
    ast.increment_lineno(definition, first_line - 1 - indented)
    return definition


def _edited(function, filename, line):
    return located_error(filename, line,
                         f"the source at line {line} of this file is no longer the code of "
                         f"{function.__qualname__} (the file was edited after it was imported). "
                         f"{_REIMPORT}")


def _import_guesses(function, source):
    """Sets of module-level names bound by import, to compile the definition with.

    CPython 3.11 compiles ``m.f(x)`` differently when ``m`` was bound by an import at
    module level, so the comparison needs to know those names: first the guess that
    every global module the code names was imported, then the exact set read from the
    whole file (a notebook cell, say, that uses a module imported in another cell), then
    none (a cell that imports the module itself, whose statements IPython compiles one by
    one)."""
    names = set()
    stack = [function.__code__]
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    yield frozenset(n for n in names if isinstance(function.__globals__.get(n), types.ModuleType))
    if source.offset == 0:
        exact = _module_imports(source.filename, "".join(source.lines))
        if exact is not None:
            yield exact
    # IPython compiles each statement of a cell on its own, so a definition never sees
    # the imports of its cell, even those above it.
    yield frozenset()


@functools.lru_cache(maxsize=64)
def _module_imports(filename, text):
    try:
        table = symtable.symtable(text, filename, "exec")
    except (SyntaxError, ValueError):
        return None
    return frozenset(symbol.get_name() for symbol in table.get_symbols() if symbol.is_imported())


_REIMPORT = "Re-import the module (or restart the kernel) so that the code and its source agree."


def _lambda_syntax(function, source, tail):
    """A lambda's expression, as a def that returns it: the lambda found on its first line
    whose compiled code is the function's."""
    code = function.__code__
    ends = [(p[1], p[3]) for p in code.co_positions() if None not in p]
    last_line = max((line for line, _ in ends), default=code.co_firstlineno)
    lines = tail[:last_line - code.co_firstlineno + 1]
    # Positions count UTF-8 bytes, as the ast's columns do.
    text = "".join(lines).encode()
    first = lines[0].encode() if lines else b""
    column = first.find(b"lambda")
    while column >= 0:
        for end_line, end_col in sorted(set(ends), reverse=True):
            stop = sum(len(line.encode()) for line in lines[:end_line - code.co_firstlineno]) + end_col
            try:
                # Parenthesized: a lambda may continue on the next lines inside the call.
                node = ast.parse(b"(" + text[column:stop] + b")", mode="eval").body
            except SyntaxError:
                continue
            if isinstance(node, ast.Lambda):
                definition = _lambda_as_def(node, code.co_firstlineno, column - 1)
                if any(_is_code_of(definition, code, imported, lambda_node=node)
                       for imported in _import_guesses(function, source)):
                    return Syntax(definition, source.filename, code.co_firstlineno,
                                  [line.rstrip("\r\n") for line in lines])
        column = first.find(b"lambda", column + 1)
    raise located_error(source.filename, code.co_firstlineno,
                        "cannot find the source of this lambda on its line. Define the function "
                        "with def instead.")


def _lambda_as_def(node, first_line, column):
    for child in ast.walk(node):
        if hasattr(child, "lineno"):
            if child.lineno == 1:
                child.col_offset += column
            if child.end_lineno == 1:
                child.end_col_offset += column
    ast.increment_lineno(node, first_line - 1)
    body = ast.Return(node.body)
    ast.copy_location(body, node.body)
    definition = ast.FunctionDef(name="<lambda>", args=node.args, body=[body], decorator_list=[],
                                 returns=None, type_comment=None)
    return ast.copy_location(definition, node)


def _is_code_of(definition, code, imported, lambda_node=None):
    """Whether CPython compiles ``definition``, in a module that imports the names
    ``imported``, to ``code``: the same instructions, names, constants and line numbers."""
    statement = ast.Expr(lambda_node) if lambda_node is not None else definition
    if code.co_freevars:
        # Free variables need an enclosing function that binds them, or they compile as globals.
        binds = [ast.Assign([ast.Name(name, ast.Store())], ast.Constant(None)) for name in code.co_freevars]
        statement = ast.FunctionDef(name="enclosing", args=ast.arguments([], [], None, [], [], None, []),
                                    body=binds + [statement], decorator_list=[], returns=None)
    imports = [ast.Import([ast.alias("sys", name)]) for name in sorted(imported)]
    module = ast.fix_missing_locations(ast.Module(imports + [statement], type_ignores=[]))
    try:
        compiled = compile(module, code.co_filename, "exec", flags=code.co_flags & _FUTURE_FLAGS,
                           dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return any(_same_code(candidate, code) for candidate in _nested_codes(compiled))


def _nested_codes(code):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from _nested_codes(const)


def _same_code(a, b):
    return (a.co_code == b.co_code and a.co_names == b.co_names and a.co_varnames == b.co_varnames
            and a.co_freevars == b.co_freevars and a.co_cellvars == b.co_cellvars
            and a.co_argcount == b.co_argcount and a.co_kwonlyargcount == b.co_kwonlyargcount
            and a.co_posonlyargcount == b.co_posonlyargcount
            and a.co_flags & _SHAPE_FLAGS == b.co_flags & _SHAPE_FLAGS
            and [line for *_, line in a.co_lines()] == [line for *_, line in b.co_lines()]
            and len(a.co_consts) == len(b.co_consts)
            and all(map(_same_constant, a.co_consts, b.co_consts)))


def _same_constant(a, b):
    if isinstance(a, types.CodeType):
        return isinstance(b, types.CodeType) and _same_code(a, b)
    return type(a) is type(b) and (a == b or repr(a) == repr(b))
