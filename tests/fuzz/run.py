"""Differential fuzzer: random programs (generate.py) run under CPython and compiled by
accel.jit; values, exception types and messages, and the mutated array must agree.

    python tests/fuzz/run.py --n 2000 --seed 1      (or ./dev fuzz --n N --seed S)

Programs run in batches, each in a child process, so a crash is caught: the program that
was running when the child died is reported, and re-run alone to confirm it. Exit status
1 when anything differs; every mismatch found becomes a regression test
(tests/python/test_fuzz.py).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402

PRANGE_REFUSAL = "Iterations of a prange loop run in any order"
HEADER = "import math\nimport numpy as np\nfrom accel import prange\n\n"


def arguments(seed, i):
    import numpy as np
    rng = np.random.default_rng([seed, i])
    return int(rng.integers(-5, 6)), float(round(rng.uniform(-3, 3), 2)), np.round(rng.uniform(-2, 2, 8), 2)


def outcome(function, a, b, x):
    x = x.copy()
    try:
        value = ("value", function(a, b, x))
    except Exception as error:  # noqa: BLE001 - either side may raise anything
        value = ("error", type(error).__name__, str(error))
    return value, x


def same(got, expected):
    if type(got) is not type(expected):
        return False
    if isinstance(expected, tuple):
        return len(got) == len(expected) and all(map(same, got, expected))
    if isinstance(expected, float):
        if math.isnan(expected):
            return math.isnan(got)
        # Sums of arrays may round differently in the last bits (docs/semantics.md #20).
        return got == expected or math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300)
    return got == expected


def differs(source, name, seed, i, namespace):
    """None, or what differs between CPython and compiled for program i."""
    import numpy as np
    import accel
    function = namespace[name]
    a, b, x = arguments(seed, i)
    expected, expected_x = outcome(function, a, b, x)
    try:
        compiled = accel.jit(function, parallel="prange" in source)
        got, got_x = outcome(compiled, a, b, x)
    except accel.CompileError as error:
        return {"why": "CompileError", "detail": str(error)}
    if got[0] == "error" and got[1] == "CompileTypeError" and PRANGE_REFUSAL in got[2]:
        return None  # a loop the planner cannot prove safe may be refused (docs/semantics.md #39)
    if expected[0] != got[0] or (expected[0] == "error" and expected[1:] != got[1:]) or \
            (expected[0] == "value" and not same(got[1], expected[1])):
        return {"why": "result", "cpython": repr(expected), "compiled": repr(got)}
    if not np.allclose(got_x, expected_x, rtol=1e-12, atol=0, equal_nan=True):
        return {"why": "array", "cpython": repr(expected_x), "compiled": repr(got_x)}
    return None


def child(seed, start, count, folder):
    """Runs programs start..start+count-1; prints one JSON line per program."""
    import warnings
    warnings.simplefilter("ignore")  # NumPy's overflow warnings in CPython
    sources = generate.programs(seed, start + count)[start:]
    path = os.path.join(folder, f"fuzz_{seed}_{start}.py")
    with open(path, "w") as f:
        f.write(HEADER + "\n\n".join(sources))
    namespace = {}
    exec(compile(open(path).read(), path, "exec"), namespace)  # accel reads the source from the file
    for k, source in enumerate(sources):
        i = start + k
        print(json.dumps({"start": i}), flush=True)
        problem = differs(source, f"p{i}", seed, i, namespace)
        print(json.dumps({"done": i, "problem": problem}), flush=True)


def run_batch(seed, start, count, folder):
    """(problems, crashed program or None) of one batch in a child process."""
    command = [sys.executable, os.path.abspath(__file__), "--child", "--seed", str(seed),
               "--start", str(start), "--n", str(count), "--folder", folder]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    problems, running = [], None
    for line in done.stdout.splitlines():
        record = json.loads(line)
        if "start" in record:
            running = record["start"]
        elif record.get("problem"):
            problems.append({"program": record["done"], **record["problem"]})
            running = None
        else:
            running = None
    if done.returncode != 0:
        return problems, {"program": running, "returncode": done.returncode, "stderr": done.stderr[-2000:]}
    return problems, None


def fuzz(n, seed, batch=250):
    """Every problem found in programs 0..n-1 of `seed`, each with its source."""
    sources = generate.programs(seed, n)
    found = []
    with tempfile.TemporaryDirectory() as folder:
        start = 0
        while start < n:
            count = min(batch, n - start)
            problems, crash = run_batch(seed, start, count, folder)
            found += problems
            if crash is None:
                start += count
                continue
            i = crash["program"] if crash["program"] is not None else start
            alone, _ = run_batch(seed, i, 1, folder)  # reduced to the one program
            found.append({"program": i, "why": f"crash (exit status {crash['returncode']})",
                          "detail": crash["stderr"]})
            start = i + 1
    for problem in found:
        problem["source"] = sources[problem["program"]]
        problem["arguments"] = repr(arguments(seed, problem["program"]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.seed, options.start, options.n, options.folder)
        return 0
    found = fuzz(options.n, options.seed)
    for problem in found:
        print(f"--- program {problem['program']}: {problem['why']}\n{problem['source']}"
              f"arguments {problem['arguments']}\n{json.dumps({k: v for k, v in problem.items() if k not in ('source', 'arguments', 'program', 'why')}, indent=1)}\n")
    print(f"fuzz: {options.n} programs, seed {options.seed}: {len(found)} differ")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
