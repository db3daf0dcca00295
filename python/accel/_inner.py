"""Inner functions and lambdas bound to a local name, compiled as functions of their own.

numba compiles ``def g(y): return y * a`` inside a jitted function, and ``sq = lambda v:
v * v``, when they are only called. Here each becomes a function record of its own
(lambda lifting): the variables it reads from the enclosing function become trailing
parameters, and every call passes them, by keyword, with their values at the time of the
call. That is what the closure's cells would hold then, so a Python closure's meaning is
kept whenever the function is only called: it never assigns a captured name (``nonlocal``
is refused) and it is never stored, passed or returned (the engine refuses a function
used as a value). Functions that call each other pass along what their callees capture.
"""
import ast
import copy
import dataclasses
import types

from ._errors import located_error


@dataclasses.dataclass(eq=False)
class InnerFunction:
    """An inner function as the exporter compiles it: its definition with the captured
    names as trailing parameters (its calls of other inner functions are rewritten when
    its record is made, lifted_body)."""
    enclosing: types.FunctionType  # the module-level function it is nested in (globals, closure)
    name: str
    definition: ast.FunctionDef
    code: types.CodeType
    captured: tuple
    defaults: list  # the values of its constant defaults, as __defaults__ holds them
    siblings: dict  # name -> InnerFunction: the functions its body may call by name
    syntax: object  # the enclosing definition's place (filename, first_line, lines)


def lift(definition, code, enclosing, syntax, outer_locals=frozenset(), visible_inner=None):
    """(definition without its inner functions, {name: InnerFunction}) for a function's
    definition and code. ``outer_locals`` are the names an enclosing lifted function binds
    (its locals and captured parameters); ``visible_inner`` the inner functions it sees."""
    if not visible_inner and not _has_inner_bindings(definition):
        return definition, {}
    definition = copy.deepcopy(definition)  # the parsed tree is cached: rewrite a copy
    bindings = _inner_bindings(definition, syntax)
    locals_here = set(code.co_varnames) | set(code.co_cellvars) | set(outer_locals)
    codes = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    made = {}
    for name, node in bindings.items():
        inner_code = _code_of(codes, node)
        if inner_code is None:
            raise _error(syntax, node, f"cannot find the compiled code of inner function {name}")
        # What it reads from this function; names of inner functions are called, not captured.
        captured = tuple(v for v in inner_code.co_freevars if v in locals_here and v not in bindings)
        made[name] = InnerFunction(enclosing, name, _as_definition(name, node), inner_code, captured,
                                   _defaults(name, node, syntax), {}, syntax)
    found = {**(visible_inner or {}), **made}
    while _widen(made, found):  # a call passes what its callee captures: the caller captures it too
        pass
    for inner in made.values():
        inner.siblings = found  # its calls of them are rewritten when it is lifted (lifted_body)
        inner.definition.args.args += [ast.copy_location(ast.arg(arg=name), inner.definition)
                                       for name in inner.captured]
    _remove(definition, set(map(id, bindings.values())))
    _pass_captured(definition, found)
    return definition, made


def lifted_body(inner):
    """The inner function's definition with its own inner functions lifted, and them."""
    own_locals = set(inner.code.co_varnames) | set(inner.code.co_cellvars) | set(inner.captured)
    return lift(inner.definition, inner.code, inner.enclosing, inner.syntax, own_locals, inner.siblings)


def _widen(made, found):
    """One round of: a function captures what the inner functions it calls capture."""
    grew = False
    for inner in made.values():
        own = _parameter_names(inner.definition)
        for callee in _called_names(inner.definition):
            if callee in found and callee != inner.name:
                extra = tuple(v for v in found[callee].captured if v not in inner.captured and v not in own)
                if extra:
                    inner.captured += extra
                    grew = True
    return grew


def _has_inner_bindings(definition):
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
               for statement in definition.body for node in ast.walk(statement))


def _inner_bindings(definition, syntax):
    """{name: node} of the inner defs and `name = lambda ...` directly in this function
    (not inside its inner functions); a CompileError for one bound more than once."""
    bound, counts = {}, {}

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if isinstance(child, ast.AsyncFunctionDef) or child.decorator_list:
                    raise _error(syntax, child, f"inner function {child.name} has decorators or is async; "
                                 "compiled code takes plain inner functions. Define it at module level.")
                bound[child.name] = child
                counts[child.name] = counts.get(child.name, 0) + 1
                continue  # its own inner functions are lifted when it is
            if isinstance(child, ast.Lambda):
                continue  # a lambda not bound to a name stays for the engine to refuse
            if (isinstance(child, ast.Assign) and len(child.targets) == 1
                    and isinstance(child.targets[0], ast.Name) and isinstance(child.value, ast.Lambda)):
                bound[child.targets[0].id] = child
                counts[child.targets[0].id] = counts.get(child.targets[0].id, 0) + 1
                continue
            for target in _assigned_names(child):
                counts[target] = counts.get(target, 0) + 1
            visit(child)

    visit(definition)
    for name, node in bound.items():
        if counts[name] > 1:
            raise _error(syntax, node, f"inner function {name} is bound more than once; compiled code "
                         "takes an inner function or lambda bound to one name once.")
        body = node.body if isinstance(node, ast.FunctionDef) else [node.value]
        for statement in body:
            for child in ast.walk(statement):
                if isinstance(child, (ast.Nonlocal, ast.Global)):
                    raise _error(syntax, child, f"{type(child).__name__.lower()} in inner function {name}: "
                                 "compiled inner functions read the enclosing function's variables but do "
                                 "not assign them. Return the new value instead.")
    return bound


def _assigned_names(node):
    """Names a statement binds in its own scope (not inside nested functions)."""
    names = []
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        names.append(node.id)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        names += [(a.asname or a.name).partition(".")[0] for a in node.names]
    return names


def _code_of(codes, node):
    """The code object of an inner def or bound lambda among the enclosing code's."""
    if isinstance(node, ast.FunctionDef):
        return next((c for c in codes if c.co_name == node.name and c.co_firstlineno == node.lineno), None)
    # A lambda's instructions start after the word lambda (RESUME stands at column 0, where
    # a lambda bound to a name never is): of two on one line, the first to start after it.
    lam = node.value
    starts = sorted(((_first_column(c), c) for c in codes
                     if c.co_name == "<lambda>" and c.co_firstlineno == lam.lineno), key=lambda s: s[0] or 0)
    return next((c for column, c in starts if column is None or column >= lam.col_offset), None)


def _first_column(code):
    return min((p[2] for p in code.co_positions() if p[0] == code.co_firstlineno and p[2]), default=None)


def _as_definition(name, node):
    if isinstance(node, ast.FunctionDef):
        return copy.deepcopy(node)
    lam = node.value
    body = ast.copy_location(ast.Return(copy.deepcopy(lam.body)), lam.body)
    definition = ast.FunctionDef(name=name, args=copy.deepcopy(lam.args), body=[body], decorator_list=[],
                                 returns=None, type_comment=None)
    return ast.copy_location(definition, node)


def _defaults(name, node, syntax):
    args = node.args if isinstance(node, ast.FunctionDef) else node.value.args
    values = []
    for default in args.defaults:
        try:
            values.append(ast.literal_eval(default))
        except ValueError:
            raise _error(syntax, default, f"a default of inner function {name} is not a constant; compiled "
                         "inner functions take constant defaults (numbers, True, False, None).") from None
    return values


def _called_names(definition):
    return {node.func.id for node in ast.walk(definition)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def _parameter_names(definition):
    args = definition.args
    return {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}


def _remove(definition, removed):
    """Replaces the inner definitions (by id) with `pass`, where they stood."""
    for node in ast.walk(definition):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                value[:] = [ast.copy_location(ast.Pass(), item) if id(item) in removed else item
                            for item in value]


def _pass_captured(definition, inner):
    """Calls of inner functions in the definition's own body pass what they capture, by
    keyword: a call binds its own arguments as it did, and the captured ones by name."""
    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # rewritten when it is lifted itself
            visit(child)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in inner:
            for name in inner[node.func.id].captured:
                value = ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)
                node.keywords.append(ast.copy_location(ast.keyword(arg=name, value=value), node))

    for statement in definition.body:
        visit(statement)


def _error(syntax, node, reason):
    return located_error(syntax.filename, getattr(node, "lineno", syntax.first_line), reason,
                         col=getattr(node, "col_offset", 0) + 1)
