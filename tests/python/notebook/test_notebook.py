"""accel in a real IPython kernel: functions defined in notebook cells compile, call each
other, are redefined, raise CompileErrors that point into their cell, and run in pools.

Each test runs its cells in a fresh kernel started from this interpreter (a kernelspec
written for the test, found through JUPYTER_PATH) and checks what the cells printed
against NumPy or plain Python, computed in the cell and again here.
"""
import json
import math
import os
import re
import sys

import numpy as np
import pytest

try:
    import ipykernel  # noqa: F401
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
except ImportError as exc:  # they are in the test extra: CI has them
    pytest.skip(f"notebook tests need ipykernel, nbclient and nbformat (pip install '.[test]'): {exc}",
                allow_module_level=True)

import notebook_helpers as nb  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")

IMPORTS = "import json, sys\nimport numpy as np\nimport accel"


@pytest.fixture(scope="module", autouse=True)
def kernelspec(tmp_path_factory):
    jupyter_dir = tmp_path_factory.mktemp("jupyter")
    nb.write_kernelspec(str(jupyter_dir))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(jupyter_dir), os.environ.get("JUPYTER_PATH")])))
        yield jupyter_dir


@pytest.fixture(autouse=True)
def no_kernel_left_running():
    before = set(nb.children_of(os.getpid()))
    yield
    left = set(nb.children_of(os.getpid())) - before
    assert not left, f"processes left behind by the kernel: {sorted(left)}"


def test_the_kernel_runs_this_interpreter_and_jits_a_function_from_an_earlier_cell(tmp_path):
    cells = nb.run([
        IMPORTS + "\nprint(json.dumps(sys.executable))",
        "@accel.jit\n"
        "def sum_of_squares(x):\n"
        "    s = 0.0\n"
        "    for v in x:\n"
        "        s += v * v\n"
        "    return s",
        "x = np.linspace(0.0, 1.0, 1001)\n"
        "print(json.dumps({'got': sum_of_squares(x), 'python': sum_of_squares.py_func(x),\n"
        "                  'numpy': float(np.sum(x * x)), 'signatures': sum_of_squares.signatures}))",
    ], tmp_path)
    assert nb.printed_json(cells[0]) == sys.executable
    facts = nb.printed_json(cells[2])
    x = np.linspace(0.0, 1.0, 1001)
    expected = 0.0
    for v in x.tolist():
        expected += v * v
    assert facts["got"] == facts["python"] == expected      # the same order of additions
    assert math.isclose(facts["got"], facts["numpy"], rel_tol=1e-13)
    assert len(facts["signatures"]) == 1                    # it was compiled, not run in Python


def test_from_accel_import_jit_in_a_cell(tmp_path):
    cells = nb.run([
        "import json\nimport numpy as np\nfrom accel import jit",
        "@jit\n"
        "def total(x):\n"
        "    s = 0\n"
        "    for v in x:\n"
        "        s += v\n"
        "    return s",
        "x = np.arange(1000)\nprint(json.dumps({'got': int(total(x)), 'numpy': int(x.sum())}))",
    ], tmp_path)
    facts = nb.printed_json(cells[2])
    assert facts["got"] == facts["numpy"] == sum(range(1000))


def test_lists_in_a_cell_as_numba_code_writes_them(tmp_path):
    cells = nb.run([
        "import json\nfrom accel import njit",
        "@njit\n"
        "def primes(n):\n"
        "    found = []\n"
        "    for k in range(2, n):\n"
        "        for p in found:\n"
        "            if k % p == 0:\n"
        "                break\n"
        "        else:\n"
        "            found.append(k)\n"
        "    return found",
        "@njit\n"
        "def scale(items, factor):\n"
        "    for i in range(len(items)):\n"
        "        items[i] *= factor\n"
        "    items.append(-1.0)",
        "values = [1.0, 2.0]\nscale(values, 3.0)\n"
        "print(json.dumps({'primes': primes(30), 'values': values}))",
    ], tmp_path)
    facts = nb.printed_json(cells[3])
    assert facts["primes"] == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert facts["values"] == [3.0, 6.0, -1.0]  # the caller's list, changed in place


def test_dicts_and_sets_in_a_cell_as_numba_code_writes_them(tmp_path):
    cells = nb.run([
        "import json\nimport numpy as np\nfrom accel import njit",
        "@njit\n"
        "def counts(x):\n"
        "    seen = {}\n"
        "    for v in x:\n"
        "        seen[v] = seen.get(v, 0) + 1\n"
        "    return seen",
        "@njit\n"
        "def distinct(x):\n"
        "    return len({v % 3 for v in x})",
        "c = counts(np.array([3, 1, 3]))\n"
        "print(json.dumps({'keys': [int(k) for k in c], 'values': list(c.values()),\n"
        "                  'distinct': distinct(np.arange(10))}))",
    ], tmp_path)
    facts = nb.printed_json(cells[3])
    assert facts == {"keys": [3, 1], "values": [2, 1], "distinct": 3}  # insertion order, as CPython's


def test_a_cell_that_imports_numpy_and_defines_a_kernel_with_it(tmp_path):
    # IPython compiles each statement of a cell alone: the kernel's np.linalg.lstsq(...)
    # is not compiled as a call on an imported module, though the import is in its cell.
    cells = nb.run([
        "import json\n"
        "import numpy as np\n"
        "from accel import njit\n"
        "\n"
        "@njit\n"
        "def fit(x, y):\n"
        "    a = np.empty((x.shape[0], 2))\n"
        "    a[:, 0] = 1.0\n"
        "    a[:, 1] = x\n"
        "    coef, residuals, rank, s = np.linalg.lstsq(a, y)\n"
        "    return coef, rank, np.linalg.svd(a)[1]\n"
        "\n"
        "x = np.linspace(0.0, 1.0, 20)\n"
        "got, expected = fit(x, 3 * x + 1), fit.py_func(x, 3 * x + 1)\n"
        "print(json.dumps({'same': all(np.array_equal(g, e) for g, e in zip(got, expected)),\n"
        "                  'coef': got[0].tolist(), 'rank': int(got[1])}))",
    ], tmp_path)
    facts = nb.printed_json(cells[0])
    assert facts["same"] and facts["rank"] == 2
    assert np.allclose(facts["coef"], [1.0, 3.0])


def test_a_jitted_function_calls_a_plain_function_from_an_earlier_cell(tmp_path):
    cells = nb.run([
        IMPORTS,
        "def weight(v):\n"
        "    return v * v + 1.0",
        "@accel.jit\n"
        "def weighted(x):\n"
        "    s = 0.0\n"
        "    for v in x:\n"
        "        s += weight(v)\n"
        "    return s",
        "x = np.arange(50.0)\n"
        "print(json.dumps({'got': weighted(x), 'python': sum(weight(v) for v in x.tolist()),\n"
        "                  'signatures': weighted.signatures}))",
    ], tmp_path)
    facts = nb.printed_json(cells[3])
    assert facts["got"] == facts["python"] == sum(v * v + 1.0 for v in range(50))
    assert len(facts["signatures"]) == 1


def test_a_function_redefined_in_a_later_cell_runs_its_new_definition(tmp_path):
    first = "@accel.jit\ndef step(x):\n    return x + 1"
    cells = nb.run([
        IMPORTS,
        first,
        "print(json.dumps(step(41)))",
        "@accel.jit\ndef step(x):\n    return x * 10",
        "print(json.dumps(step(41)))",
        # The same text again, as when an earlier cell is run once more: IPython gives
        # it the same file name as the first time.
        first,
        "print(json.dumps(step(41)))",
        # A caller defined after a plain callee was redefined compiles the new callee.
        "def scale(v):\n    return v * 2",
        "def scale(v):\n    return v * 3",
        "@accel.jit\ndef scaled(x):\n    return scale(x)",
        "print(json.dumps(scaled(5)))",
    ], tmp_path)
    assert nb.printed_json(cells[2]) == 42
    assert nb.printed_json(cells[4]) == 410
    assert nb.printed_json(cells[6]) == 42
    assert nb.printed_json(cells[10]) == 15


def test_a_compile_error_points_at_its_line_in_its_cell(tmp_path):
    broken = ("@accel.jit\n"
              "def broken(n):\n"
              "    total = 0\n"
              "    for i in range(n):\n"
              "        total += (k := i)\n"
              "    return total")
    cells = nb.run([
        IMPORTS,
        "@accel.jit\n"
        "def fine(x):\n"
        "    y = x + 1\n"
        "    y = y * 2\n"
        "    return y",
        broken,
        "print(json.dumps(fine(3)))",
        "try:\n"
        "    broken(3)\n"
        "except accel.CompileError as exc:\n"
        "    print(json.dumps({'filename': exc.filename, 'lineno': exc.lineno, 'message': str(exc),\n"
        "                      'broken_file': broken.py_func.__code__.co_filename,\n"
        "                      'fine_file': fine.py_func.__code__.co_filename}))",
        "broken(3)",
        "print(json.dumps(fine(4)))",
    ], tmp_path)
    assert nb.printed_json(cells[3]) == 8
    facts = nb.printed_json(cells[4])
    bad_line = "        total += (k := i)"
    lineno = broken.splitlines().index(bad_line) + 1
    assert facts["filename"] == facts["broken_file"] != facts["fine_file"]
    assert facts["lineno"] == lineno
    message = facts["message"]
    # As IPython's own tracebacks name a cell: `Cell In[3]`, not the kernel's file name.
    assert f"Cell In[3], line {lineno}" in message
    lines = message.splitlines()
    shown = [i for i, line in enumerate(lines) if line.endswith(bad_line)]
    assert len(shown) == 1, message                          # the source line, indented
    source_line, caret_line = lines[shown[0]], lines[shown[0] + 1]
    assert caret_line.strip() == "^^^^^^" and caret_line.index("^") == source_line.index("k :=")
    # Uncaught, as a user sees it under the cell.
    raised = nb.error(cells[5])
    assert raised is not None and raised["ename"] == "CompileError"
    assert any(line.endswith(bad_line) for line in raised["evalue"].splitlines())
    assert bad_line in ANSI.sub("", "\n".join(raised["traceback"]))
    assert nb.printed_json(cells[6]) == 10                  # the other function still works


def test_pool_map_over_a_plain_function_from_a_cell(tmp_path):
    cells = nb.run([
        IMPORTS,
        "def difficult(seed):\n"
        "    rng = np.random.default_rng(seed)\n"
        "    return float(rng.random(1000).sum())",
        "with accel.Pool(2) as pool:\n"
        "    got = pool.map(difficult, range(8))\n"
        "print(json.dumps({'got': got, 'serial': [difficult(s) for s in range(8)]}))",
    ], tmp_path)
    facts = nb.printed_json(cells[2])
    expected = [float(np.random.default_rng(seed).random(1000).sum()) for seed in range(8)]
    assert facts["got"] == facts["serial"] == expected


COLLATZ = ("@accel.jit\n"
           "def collatz_steps(n):\n"
           "    steps = 0\n"
           "    while n != 1:\n"
           "        if n % 2 == 0:\n"
           "            n = n // 2\n"
           "        else:\n"
           "            n = 3 * n + 1\n"
           "        steps += 1\n"
           "    return steps")


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def test_pool_map_over_a_jitted_function_from_a_cell_compiled_first_here(tmp_path):
    cells = nb.run([
        IMPORTS,
        COLLATZ,
        "serial = [collatz_steps(n) for n in range(1, 40)]\n"   # compiles in the kernel
        "with accel.Pool(2) as pool:\n"
        "    got = pool.map(collatz_steps, range(1, 40))\n"
        "print(json.dumps({'got': got, 'serial': serial,\n"
        "                  'python': [collatz_steps.py_func(n) for n in range(1, 40)]}))",
    ], tmp_path)
    facts = nb.printed_json(cells[2])
    assert facts["got"] == facts["serial"] == facts["python"] == [collatz_steps(n) for n in range(1, 40)]


def test_pool_map_over_a_jitted_function_from_a_cell_never_called_here(tmp_path):
    # The pool compiles it in the kernel for the first item's types before sending it.
    cells = nb.run([
        IMPORTS,
        COLLATZ,
        "with accel.Pool(2) as pool:\n"
        "    got = pool.map(collatz_steps, range(1, 40))\n"
        "print(json.dumps({'got': got, 'python': [collatz_steps.py_func(n) for n in range(1, 40)]}))",
    ], tmp_path)
    facts = nb.printed_json(cells[2])
    assert facts["got"] == facts["python"] == [collatz_steps(n) for n in range(1, 40)]


def test_pool_workers_compile_a_jitted_function_from_a_cell_for_new_argument_types(tmp_path):
    # Only the int signature travels as machine code; each worker compiles the float one
    # from the function's source, which lives in the kernel (IPython's linecache).
    cells = nb.run([
        IMPORTS,
        "@accel.jit\n"
        "def halve(x):\n"
        "    return x / 2 + x // 3",
        "items = [9, 10, 11, 12, 1.5, 2.5, 3.5, 4.5]\n"
        "with accel.Pool(2) as pool:\n"
        "    got = pool.map(halve, items, chunksize=1)\n"
        "print(json.dumps({'got': got, 'python': [halve.py_func(v) for v in items],\n"
        "                  'kernel_signatures': len(halve.signatures)}))",
    ], tmp_path)
    facts = nb.printed_json(cells[2])
    items = [9, 10, 11, 12, 1.5, 2.5, 3.5, 4.5]
    assert facts["kernel_signatures"] == 1                    # the floats were not compiled here
    assert facts["got"] == facts["python"] == [v / 2 + v // 3 for v in items]


def test_prange_with_parallel_true_in_a_cell(tmp_path):
    cells = nb.run([
        IMPORTS + "\nimport math",
        "@accel.jit(parallel=True)\n"
        "def sum_of_squares(x):\n"
        "    s = 0.0\n"
        "    for i in accel.prange(len(x)):\n"
        "        s += x[i] * x[i]\n"
        "    return s",
        "@accel.jit(parallel=True)\n"
        "def roots(x, out):\n"
        "    for i in accel.prange(len(x)):\n"
        "        out[i] = math.sqrt(x[i])",
        "x = np.arange(100_000, dtype=np.float64)\n"
        "out = np.zeros_like(x)\n"
        "roots(x, out)\n"
        "print(json.dumps({'sum': sum_of_squares(x), 'numpy_sum': float(np.dot(x, x)),\n"
        "                  'roots_equal': bool(np.array_equal(out, np.sqrt(x))),\n"
        "                  'threads': accel.get_num_threads()}))",
    ], tmp_path)
    facts = nb.printed_json(cells[3])
    n = 100_000
    # Whole numbers below 2**53: every order of additions gives the exact sum.
    assert facts["sum"] == facts["numpy_sum"] == float((n - 1) * n * (2 * n - 1) // 6)
    assert facts["roots_equal"] is True
    assert facts["threads"] == accel_threads_by_default()


def accel_threads_by_default():
    """What the runtime starts with: ACCEL_NUM_THREADS when it is a positive integer, else
    the cores this process may use (the kernel inherits this process's environment)."""
    text = os.environ.get("ACCEL_NUM_THREADS", "")
    if text.strip().isdigit() and int(text) > 0:
        return int(text)
    return len(os.sched_getaffinity(0))


def test_a_jitted_function_defined_in_a_timed_cell_is_a_clear_error(tmp_path):
    # IPython compiles a %%time cell's body from a string it does not keep ('<timed exec>'),
    # so there is no source to compile: the error says so and what to do instead.
    cells = nb.run([
        IMPORTS,
        "%%time\n"
        "@accel.jit\n"
        "def timed_total(x):\n"
        "    s = 0\n"
        "    for v in x:\n"
        "        s += v\n"
        "    return s\n",
        "@accel.jit\n"
        "def untimed_total(x):\n"
        "    s = 0\n"
        "    for v in x:\n"
        "        s += v\n"
        "    return s",
        "%%time\nprint(json.dumps(int(untimed_total(np.arange(100)))))",
    ], tmp_path)
    raised = nb.error(cells[1])
    assert raised is not None and raised["ename"] == "CompileError"
    assert "%%time and %%timeit" in raised["evalue"] and "cell without the magic" in raised["evalue"]
    printed = nb.stdout(cells[3]).splitlines()
    assert json.loads(printed[0]) == sum(range(100))
    assert printed[1].startswith("CPU times")                # %%time ran it
