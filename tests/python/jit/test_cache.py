"""@accel.jit(cache=True) across real processes: a module written to a temporary folder,
run twice with `python main.py`; the first run compiles and writes, the second loads
(accel._jit.compilation_count 0 in the child), and every result is CPython's."""
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import accel
from accel import _cache, _core

# The child: imports `kernels` from its own folder, runs each call compiled and as plain
# Python (the reference), and prints what it saw as JSON on its last line.
MAIN = r"""
import json, math, sys
import numpy as np
from accel import _jit
import kernels

def same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and bool(np.array_equal(a, b))
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    # numba returns Python ints where CPython's loop gives np.int64; accel matches CPython.
    return (getattr(kernels, "LOOSE_TYPES", False) or type(a) is type(b)) and bool(a == b)

calls = [(getattr(kernels, name), [eval(e, {"np": np}) for e in expressions])
         for name, expressions in json.loads(sys.argv[1])]
results = [function(*args) for function, args in calls]
# Counted before the reference runs: py_func may call jitted callees, which compile.
compiled = _jit.compilation_count
report = {"equal": [same(got, function.py_func(*args)) for got, (function, args) in zip(results, calls)],
          "results": [str(got) for got in results], "stats": {}, "compiled": compiled}
calls = json.loads(sys.argv[1])
for name in {name for name, _ in calls}:
    stats = getattr(kernels, name).stats
    report["stats"][name] = {"path": stats.cache_path,
                             "hits": {" ".join(map(str, k)): v for k, v in stats.cache_hits.items()},
                             "misses": {" ".join(map(str, k)): v for k, v in stats.cache_misses.items()}}
print(json.dumps(report))
"""

INTS = "np.arange(10)"
FLOATS = "np.linspace(0.0, 1.0, 7)"
INT_ARRAY = "array(int64, 1d, C)"
FLOAT_ARRAY = "array(float64, 1d, C)"


def child_env(folder, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("ACCEL_CACHE_DIR", "PYTHONHASHSEED")}
    # No stale .pyc: an edit within the same second would otherwise run the old code.
    env.update(XDG_CACHE_HOME=str(folder / "xdg"), PYTHONDONTWRITEBYTECODE="1")
    if "PYTHONPATH" in extra and os.environ.get("PYTHONPATH"):
        # Kept behind the test's own: `./dev test --sanitize` finds its engine through it.
        extra = {**extra, "PYTHONPATH": extra["PYTHONPATH"] + os.pathsep + os.environ["PYTHONPATH"]}
    env.update(extra)
    return env


def write(folder, **files):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text(MAIN)
    for name, text in files.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(text))


def start(folder, calls, env=None):
    return subprocess.Popen([sys.executable, "main.py", json.dumps(calls)], cwd=folder,
                            env=env or child_env(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(process):
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert all(report["equal"]), report
    return report


def run(folder, calls, env=None):
    return finish(start(folder, calls, env))


def entries(folder):
    return sorted(p for p in folder.rglob("*.accelc"))


def missed(report, name="f", signature=INT_ARRAY):
    stats = report["stats"][name]
    return stats["misses"] == {signature: 1} and stats["hits"] == {}


def hit(report, name="f", signature=INT_ARRAY):
    stats = report["stats"][name]
    return stats["hits"] == {signature: 1} and stats["misses"] == {}


SEED = """
    import accel

    @accel.jit(cache=True)
    def f(x):
        y = 0
        for item in x:
            y += item
        return y
"""


def test_a_second_process_loads_the_code_instead_of_compiling(tmp_path):
    write(tmp_path, kernels=SEED)
    env = child_env(tmp_path)
    del env["PYTHONDONTWRITEBYTECODE"]  # entries live beside CPython's own .pyc files
    first = run(tmp_path, [["f", [INTS]]], env)
    assert missed(first) and first["compiled"] == 1
    assert first["results"] == ["45"]
    assert first["stats"]["f"]["path"] == str(tmp_path / "__pycache__")
    [entry] = entries(tmp_path)
    assert entry.parent == tmp_path / "__pycache__" and entry.name.startswith("kernels.f-")
    second = run(tmp_path, [["f", [INTS]]], env)
    assert hit(second) and second["compiled"] == 0
    assert second["results"] == ["45"]
    assert entries(tmp_path) == [entry]


def test_an_edit_of_the_function_recompiles_and_replaces_the_entry(tmp_path):
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    write(tmp_path, kernels=SEED.replace("return y", "return y * 2"))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["results"] == ["90"]
    assert len(entries(tmp_path)) == 1  # the stale entry went with the new one
    assert hit(run(tmp_path, [["f", [INTS]]]))
    # Lines moved (line numbers are in tracebacks and messages): compiled again.
    write(tmp_path, kernels="\n\n" + SEED.replace("return y", "return y * 2"))
    assert missed(run(tmp_path, [["f", [INTS]]]))
    # A comment changes no code object: still a hit.
    write(tmp_path, kernels="\n\n" + SEED.replace("return y", "return y * 2  # doubled"))
    assert hit(run(tmp_path, [["f", [INTS]]]))
    assert len(entries(tmp_path)) == 1


def test_numba_recompiles_an_edited_function_too(tmp_path):
    # The same edit-and-rerun under numba's cache=True: the harness really runs new code.
    pytest.importorskip("numba")
    numba_seed = (SEED.replace("import accel", "import numba\n    LOOSE_TYPES = True")
                  .replace("@accel.jit", "@numba.njit"))
    write(tmp_path, kernels=numba_seed)
    assert run(tmp_path, [["f", [INTS]]])["results"] == ["45"]
    write(tmp_path, kernels=numba_seed.replace("return y", "return y * 2"))
    report = run(tmp_path, [["f", [INTS]]])
    assert report["results"] == ["90"] and report["stats"]["f"]["hits"] == {}


HELPERS = """
    SCALE = 3

    def scale(v):
        return v * SCALE

    def offset(v):
        return v + 1

    BIAS = 0
"""

CALLER = """
    import accel
    import helpers
    from helpers import scale

    @accel.jit(cache=True)
    def f(x):
        y = 0
        for item in x:
            y += scale(item) + helpers.offset(item)
        return y + helpers.BIAS
"""


@pytest.mark.parametrize("edit", [("return v * SCALE", "return v * SCALE - 1"),
                                  ("return v + 1", "return v + 2"),
                                  ("SCALE = 3", "SCALE = 5"),
                                  ("BIAS = 0", "BIAS = 7")],
                         ids=["imported-function", "module-attribute-function", "callee-global",
                              "module-attribute-constant"])
def test_an_edit_of_a_plain_callee_in_another_file_recompiles(tmp_path, edit):
    # numba's cache keeps the old code here (numba issue #1833).
    write(tmp_path, kernels=CALLER, helpers=HELPERS)
    first = run(tmp_path, [["f", [INTS]]])
    assert missed(first) and first["results"] == [str(3 * 45 + 55)]
    assert hit(run(tmp_path, [["f", [INTS]]]))
    write(tmp_path, helpers=HELPERS.replace(*edit))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["compiled"] == 1
    assert report["results"] != first["results"]  # and equal to CPython's (run() checks)


def test_an_edit_of_a_jitted_callee_recompiles(tmp_path):
    jitted = """
        import accel

        @accel.jit
        def g(v):
            return v * 2
    """
    caller = """
        import accel
        from jitted import g

        @accel.jit(cache=True)
        def f(x):
            y = 0
            for item in x:
                y += g(item)
            return y
    """
    write(tmp_path, kernels=caller, jitted=jitted)
    assert run(tmp_path, [["f", [INTS]]])["results"] == ["90"]
    second = run(tmp_path, [["f", [INTS]]])
    assert hit(second) and second["compiled"] == 0  # g was compiled into f's code
    write(tmp_path, jitted=jitted.replace("v * 2", "v * 3"))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["results"] == ["135"]
    # The callee's own options are part of what f runs.
    write(tmp_path, jitted=jitted.replace("v * 2", "v * 3").replace("@accel.jit", "@accel.jit(boundscheck=False)"))
    assert missed(run(tmp_path, [["f", [INTS]]]))


def test_a_changed_global_constant_recompiles(tmp_path):
    kernels = """
        import accel
        LIMIT = 4

        @accel.jit(cache=True)
        def f(x):
            y = 0
            for item in x:
                if item < LIMIT:
                    y += item
            return y
    """
    write(tmp_path, kernels=kernels)
    assert run(tmp_path, [["f", [INTS]]])["results"] == ["6"]
    assert hit(run(tmp_path, [["f", [INTS]]]))
    write(tmp_path, kernels=kernels.replace("LIMIT = 4", "LIMIT = 6"))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["results"] == ["15"]
    write(tmp_path, kernels=kernels.replace("LIMIT = 4", "LIMIT = 6.0"))  # same value, a float
    assert missed(run(tmp_path, [["f", [INTS]]]))


@pytest.mark.parametrize("option", ["boundscheck=False", "parallel=True", "nogil=True", "fastmath=True",
                                    "error_model='numpy'"])
def test_a_changed_option_recompiles(tmp_path, option):
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    write(tmp_path, kernels=SEED.replace("cache=True", f"cache=True, {option}"))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["compiled"] == 1


EAGER = """
    import accel
    LOOSE_TYPES = True  # a declared int64 or float64 return comes back as int or float, as in numba

    @accel.jit(["int64(int64[:])", "float64(float64[:])"], cache=True)
    def f(x):
        y = 0
        for item in x:
            y += item
        return y
"""


def test_eager_signatures_load_from_the_cache_at_decoration(tmp_path):
    write(tmp_path, kernels=EAGER)
    ints, floats = "array(int64, 1d, A)", "array(float64, 1d, A)"  # int64[:] is any layout
    first = run(tmp_path, [["f", [INTS]], ["f", [FLOATS]]])
    assert first["compiled"] == 2 and first["stats"]["f"]["misses"] == {ints: 1, floats: 1}
    assert first["results"] == ["45", "3.5"]
    second = run(tmp_path, [["f", [INTS]], ["f", [FLOATS]]])
    assert second["compiled"] == 0 and second["stats"]["f"]["hits"] == {ints: 1, floats: 1}
    assert second["results"] == ["45", "3.5"]
    # Another declared return type for the same argument types is other code.
    write(tmp_path, kernels=EAGER.replace('"int64(int64[:])"', '"float64(int64[:])"'))
    third = run(tmp_path, [["f", [INTS]]])
    assert third["stats"]["f"]["misses"] == {ints: 1} and third["stats"]["f"]["hits"] == {floats: 1}
    assert third["results"] == ["45.0"]


def test_the_signatures_of_a_jitted_callee_are_in_the_key(tmp_path):
    jitted = """
        import accel

        @accel.jit("int64(int64)")
        def g(v):
            return v * 2
    """
    caller = """
        import accel
        from jitted import g

        @accel.jit(cache=True)
        def f(x):
            y = 0
            for item in x:
                y += g(item)
            return y
    """
    write(tmp_path, kernels=caller, jitted=jitted)
    assert run(tmp_path, [["f", [INTS]]])["results"] == ["90"]
    assert hit(run(tmp_path, [["f", [INTS]]]))
    write(tmp_path, jitted=jitted.replace('"int64(int64)"', '"float64(float64)"'))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["results"] == ["90.0"]


def test_a_new_signature_misses_alone(tmp_path):
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    report = run(tmp_path, [["f", [INTS]], ["f", [FLOATS]]])
    assert report["stats"]["f"]["hits"] == {INT_ARRAY: 1}
    assert report["stats"]["f"]["misses"] == {FLOAT_ARRAY: 1}
    assert report["compiled"] == 1
    report = run(tmp_path, [["f", [FLOATS]], ["f", [INTS]]])
    assert report["stats"]["f"]["hits"] == {INT_ARRAY: 1, FLOAT_ARRAY: 1} and report["compiled"] == 0
    assert len(entries(tmp_path)) == 2


def test_accel_cache_dir_holds_the_entries(tmp_path):
    write(tmp_path / "project", kernels=SEED)
    env = child_env(tmp_path / "project", ACCEL_CACHE_DIR=str(tmp_path / "store"))
    first = run(tmp_path / "project", [["f", [INTS]]], env)
    [entry] = entries(tmp_path)
    assert str(entry).startswith(str(tmp_path / "store"))
    assert first["stats"]["f"]["path"] == str(entry.parent)
    assert not (tmp_path / "project" / "__pycache__").exists()
    assert hit(run(tmp_path / "project", [["f", [INTS]]], env))


def _make_unwritable(folder, how):
    folder.mkdir()
    if how == "a-file":
        folder.rmdir()
        folder.write_text("not a directory")  # makedirs fails, as on a read-only mount
        return lambda: None
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    # root writes through permission bits; the immutable flag stops it.
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
        pytest.skip("cannot make a directory read-only for root here (no chattr +i)")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("how", ["read-only", "a-file"])
def test_an_unwritable_pycache_falls_back_to_the_user_cache(tmp_path, how):
    write(tmp_path, kernels=SEED)
    restore = _make_unwritable(tmp_path / "__pycache__", how)
    try:
        first = run(tmp_path, [["f", [INTS]]])
        assert missed(first)
        [entry] = entries(tmp_path / "xdg")
        assert str(entry).startswith(str(tmp_path / "xdg" / "accel"))
        assert first["stats"]["f"]["path"] == str(entry.parent)
        second = run(tmp_path, [["f", [INTS]]])
        assert hit(second) and second["compiled"] == 0
    finally:
        restore()


def test_no_writable_place_warns_and_still_runs(tmp_path):
    write(tmp_path / "project", kernels=SEED)
    (tmp_path / "store").write_text("ACCEL_CACHE_DIR is a file")
    env = child_env(tmp_path / "project", ACCEL_CACHE_DIR=str(tmp_path / "store"))
    done = subprocess.run([sys.executable, "main.py", json.dumps([["f", [INTS]], ["f", [FLOATS]]])],
                          cwd=tmp_path / "project", env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(report["equal"]) and report["results"][0] == "45"
    assert done.stderr.count("RuntimeWarning: accel.jit(cache=True) cannot write a cache entry for f") == 1
    assert "main.py" in done.stderr.split("RuntimeWarning")[0]  # it points at the call


def _truncate_half(data):
    return data[:len(data) // 2]


def _flip_object_byte(data):
    middle = len(data) - 300  # inside the object code, near the end of the entry
    return data[:middle] + bytes([data[middle] ^ 0x5A]) + data[middle + 1:]


def _garbage(data):
    return os.urandom(len(data))


@pytest.mark.parametrize("damage", [_truncate_half, lambda data: data[:10], lambda data: b"",
                                    _flip_object_byte, _garbage, lambda data: b"x" + data[1:]],
                         ids=["truncated", "header-only", "empty", "flipped-byte", "garbage", "bad-magic"])
def test_a_damaged_entry_is_compiled_again_and_rewritten(tmp_path, damage):
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    [entry] = entries(tmp_path)
    intact = entry.read_bytes()
    entry.write_bytes(damage(intact))
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["results"] == ["45"]
    assert _cache.entry_contents(str(entry)) is not None  # rewritten whole
    assert hit(run(tmp_path, [["f", [INTS]]]))


def test_an_unreadable_entry_is_a_miss(tmp_path):
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    [entry] = entries(tmp_path)
    entry.unlink()
    entry.mkdir()  # open() fails with IsADirectoryError, even for root
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["results"] == ["45"]


def test_processes_compiling_at_once_all_succeed(tmp_path):
    write(tmp_path, kernels=SEED)
    children = [start(tmp_path, [["f", [INTS]], ["f", [FLOATS]]]) for _ in range(3)]
    for report in map(finish, children):
        assert report["results"][0] == "45"
    assert len(entries(tmp_path)) == 2
    assert not list(tmp_path.rglob("*.tmp"))
    for entry in entries(tmp_path):
        assert _cache.entry_contents(str(entry)) is not None
    report = run(tmp_path, [["f", [INTS]], ["f", [FLOATS]]])
    assert report["compiled"] == 0


@pytest.mark.parametrize("field,change", [(6, lambda f: f + ",+accel-test-missing-feature"),
                                          (4, lambda t: "riscv64-unknown-linux-gnu")],
                         ids=["cpu-feature", "triple"])
def test_an_entry_for_another_cpu_is_compiled_again(tmp_path, field, change):
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    [entry] = entries(tmp_path)
    key, record = _cache.entry_contents(str(entry))
    record = record[:field] + (change(record[field]),) + record[field + 1:]
    _cache.write_entry(str(entry), key, record)  # intact, under the right key, for another CPU
    report = run(tmp_path, [["f", [INTS]]])
    assert missed(report) and report["compiled"] == 1 and report["results"] == ["45"]
    assert hit(run(tmp_path, [["f", [INTS]]]))


# A notebook kernel: IPython compiles each cell under /tmp/ipykernel_<pid>/<hash>.py, a
# file that does not exist and whose name changes with every kernel.
KERNEL = r"""
import json, linecache, os, sys
import numpy as np
from accel import _jit

def run_cell(text, number):
    name = os.path.join(sys.argv[1], f"ipykernel_{os.getpid()}", f"{number}.py")
    linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    exec(compile(text, name, "exec"), namespace)

namespace = {}
cells = json.loads(sys.argv[2])
for number, text in enumerate(cells):
    run_cell(text, number)
f = namespace["f"]
x = np.arange(10)
got, want = f(x), f.py_func(x)
print(json.dumps({"equal": type(got) is type(want) and bool(got == want), "result": int(got), "compiled": _jit.compilation_count,
                  "hits": len(f.stats.cache_hits), "misses": len(f.stats.cache_misses),
                  "path": f.stats.cache_path}))
"""

CELLS = ["import accel\n\ndef helper(v):\n    return v * 2\n",
         "@accel.jit(cache=True)\ndef f(x):\n    y = 0\n    for v in x:\n        y += helper(v)\n    return y\n"]


def run_kernel(tmp_path, cells):
    done = subprocess.run([sys.executable, "-c", KERNEL, str(tmp_path), json.dumps(cells)],
                          env=child_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["equal"], report
    return report


def test_a_notebook_cell_hits_in_a_new_kernel(tmp_path):
    first = run_kernel(tmp_path, CELLS)
    assert (first["hits"], first["misses"], first["result"]) == (0, 1, 90)
    assert first["path"] == str(tmp_path / "xdg" / "accel" / "cells")
    second = run_kernel(tmp_path, CELLS)  # another pid: every cell has another file name
    assert (second["hits"], second["misses"], second["compiled"]) == (1, 0, 0)
    # An edit of the helper's cell is an edit of what f runs.
    third = run_kernel(tmp_path, [CELLS[0].replace("v * 2", "v * 3"), CELLS[1]])
    assert (third["hits"], third["misses"], third["result"]) == (0, 1, 135)


PICKLER = r"""
import sys
import cloudpickle
import numpy as np
import kernels
kernels.f(np.arange(10))
with open(sys.argv[1], "wb") as out:
    out.write(cloudpickle.dumps(kernels.f))
"""

UNPICKLER = r"""
import json, pickle, sys
import numpy as np
from accel import _jit
with open(sys.argv[1], "rb") as payload:
    f = pickle.load(payload)
ints, floats = np.arange(10), np.linspace(0.0, 1.0, 7)
equal = [bool(f(x) == f.py_func(x)) and type(f(x)) is type(f.py_func(x)) for x in (ints, floats)]
print(json.dumps({"equal": equal, "compiled": _jit.compilation_count,
                  "hits": [" ".join(k) for k in f.stats.cache_hits]}))
"""


def test_a_pickled_function_carries_its_code_and_uses_the_cache_for_new_types(tmp_path):
    write(tmp_path, kernels=SEED)
    payload = tmp_path / "f.pickle"

    def child(program):
        done = subprocess.run([sys.executable, "-c", program, str(payload)], cwd=tmp_path,
                              env=child_env(tmp_path, PYTHONPATH=str(tmp_path)), capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1]) if program is UNPICKLER else None

    child(PICKLER)
    worker = child(UNPICKLER)  # ints come with the pickle; floats compile and are stored
    assert worker["equal"] == [True, True] and worker["compiled"] == 1 and worker["hits"] == []
    worker = child(UNPICKLER)  # another worker: the floats come from the cache
    assert worker["equal"] == [True, True] and worker["compiled"] == 0 and worker["hits"] == [FLOAT_ARRAY]


# --- In this process ------------------------------------------------------------------

def load_module(tmp_path, name, text):
    import importlib.util
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stats_of_a_function_without_cache_count_compilations_like_numba(tmp_path):
    import numpy as np
    module = load_module(tmp_path, "plain_stats", SEED.replace("(cache=True)", ""))
    assert module.f.stats.cache_path is None
    module.f(np.arange(3))
    module.f(np.arange(3))
    assert module.f.stats.cache_misses == {(INT_ARRAY,): 1}
    assert not module.f.stats.cache_hits
    assert not (tmp_path / "__pycache__").exists() or not entries(tmp_path)


def test_a_compile_error_with_cache_writes_nothing(tmp_path):
    import numpy as np
    module = load_module(tmp_path, "failing", """
        import accel

        @accel.jit(cache=True)
        def f(x):
            return x.no_such_attribute
    """)
    with pytest.raises(accel.CompileError):
        module.f(np.arange(3))
    assert not entries(tmp_path)


def test_every_setting_is_in_the_key_whatever_keys_there_are(tmp_path):
    module = load_module(tmp_path, "settings_key", SEED)
    settings = dict(module.f._accel_settings)
    codes = (41485,)
    base = _cache.cache_key(module.f.py_func, settings, codes)
    assert base == _cache.cache_key(module.f.py_func, dict(settings), codes)
    assert base != _cache.cache_key(module.f.py_func, {**settings, "fastmath": True}, codes)
    assert base != _cache.cache_key(module.f.py_func, {**settings, "error_model": "numpy"}, codes)
    flags = {**settings, "fastmath": {"nnan", "ninf"}}
    assert _cache.cache_key(module.f.py_func, flags, codes) != _cache.cache_key(
        module.f.py_func, {**settings, "fastmath": {"nnan"}}, codes)
    assert base != _cache.cache_key(module.f.py_func, settings, (33031,))


def test_closure_values_and_defaults_are_in_the_key(tmp_path):
    module = load_module(tmp_path, "closures", """
        def make(k):
            def f(x, step=1):
                return x * k + step
            return f
    """)
    settings = {"cache": True}
    key = lambda function: _cache.cache_key(function, settings, (1,))  # noqa: E731
    assert key(module.make(2)) == key(module.make(2))
    assert key(module.make(2)) != key(module.make(3))
    assert key(module.make(2)) != key(module.make(2.0))
    changed = module.make(2)
    changed.__defaults__ = (2,)
    assert key(changed) != key(module.make(2))


KEY_PRINTER = r"""
import sys, importlib.util
from accel import _cache
spec = importlib.util.spec_from_file_location("keyed", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
settings = {"cache": True, "fastmath": {"nnan", "ninf", "nsz", "arcp"}}
print(_cache.cache_key(module.f, settings, (1,)).hex())
"""


def test_the_key_does_not_depend_on_the_hash_seed(tmp_path):
    # Sets (in settings, and as constants in code) iterate in another order per seed.
    path = tmp_path / "keyed.py"
    path.write_text("def f(x):\n    return [v for v in x if v in {'a', 'b', 'c', 'd'}]\n")
    keys = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", KEY_PRINTER, str(path)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert done.returncode == 0, done.stderr
        keys.add(done.stdout.strip())
    assert len(keys) == 1


def test_a_notebook_cell_name_is_no_file(tmp_path):
    assert _cache.is_notebook_cell("/tmp/ipykernel_1234/5678.py")
    assert _cache.is_notebook_cell("<ipython-input-3-abc>")
    assert _cache.is_notebook_cell(str(tmp_path / "missing.py"))
    (tmp_path / "real.py").write_text("")
    assert not _cache.is_notebook_cell(str(tmp_path / "real.py"))


def test_the_target_in_the_key_is_the_hosts():
    triple, cpu, features = _core.host_target()
    assert _cache._host_target() == (triple, cpu, ",".join(sorted(features.split(","))))


def test_recursive_functions_have_a_key(tmp_path):
    module = load_module(tmp_path, "recursive", """
        import accel

        @accel.jit(cache=True)
        def even(n):
            return True if n == 0 else odd(n - 1)

        def odd(n):
            return False if n == 0 else even(n - 1)
    """)
    settings = module.even._accel_settings
    key = _cache.cache_key(module.even.py_func, settings, (1,))
    assert key == _cache.cache_key(module.even.py_func, settings, (1,))
    module.odd.__code__ = module.odd.__code__.replace(co_consts=tuple(
        True if c is False else c for c in module.odd.__code__.co_consts))
    assert key != _cache.cache_key(module.even.py_func, settings, (1,))


def test_a_cache_hit_does_not_import_the_pool(tmp_path):
    # The hit path stays lean: multiprocessing (~20 ms) and the pool are imported at the
    # pool's first use (import accel loads only accel.pool.fork_server, to start the server).
    write(tmp_path, kernels=SEED)
    run(tmp_path, [["f", [INTS]]])
    probe = ("import sys, numpy as np, kernels\n"
             "kernels.f(np.arange(10))\n"
             "print(sorted(m for m in ('multiprocessing', 'accel.pool.pool') if m in sys.modules),"
             " len(kernels.f.stats.cache_hits))\n"
             "import accel\n"
             "assert accel.Pool is accel.pool.Pool and accel.WorkerCrashedError.__module__ == 'accel.pool.errors'\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=child_env(tmp_path, PYTHONPATH=str(tmp_path)),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "1"]


def test_numba_type_objects_a_function_reads_are_in_the_key(tmp_path):
    # `T(x)` converts as the type T names: float64 and float32 are different code.
    module = load_module(tmp_path, "typed", """
        import accel
        T = accel.float64

        def f(x):
            return T(x)
    """)
    key = lambda: _cache.cache_key(module.f, {"cache": True}, (1,))  # noqa: E731
    before = key()
    module.T = accel.float32
    assert key() != before
    module.T = accel.float64
    assert key() == before
