"""The interpreter exits cleanly after accel has run: no abort, crash or message at
shutdown (issue #17). Each scenario is a script run in a child process."""
import subprocess
import sys
import textwrap

import pytest

HEADER = """
import numpy as np
import accel
"""

SCENARIOS = {
    "compiled": """
        @accel.jit
        def total(x):
            s = 0.0
            for v in x:
                s += v
            return s
        assert total(np.arange(10.0)) == 45.0
    """,
    "array_results_alive_at_exit": """
        @accel.jit
        def doubled(x):
            return x * 2
        KEPT = [doubled(np.arange(5.0)) for _ in range(3)]  # still alive when Python exits
    """,
    "prange": """
        @accel.jit(parallel=True)
        def total(x):
            s = 0.0
            for i in accel.prange(len(x)):
                s += x[i]
            return s
        assert total(np.ones(100_000)) == 100_000.0
    """,
    "prange_from_threads": """
        import threading
        @accel.jit(parallel=True, nogil=True)
        def total(x):
            s = 0.0
            for i in accel.prange(len(x)):
                s += x[i]
            return s
        threads = [threading.Thread(target=total, args=(np.ones(100_000),)) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    """,
    "pool": """
        def square(x):
            return x * x
        if __name__ == "__main__":
            with accel.Pool(2) as pool:
                assert pool.map(square, range(100)) == [x * x for x in range(100)]
    """,
    "pool_not_closed": """
        def square(x):
            return x * x
        if __name__ == "__main__":
            pool = accel.Pool(2)
            assert pool.map(square, range(10)) == [x * x for x in range(10)]
            # neither closed nor joined: interpreter shutdown must still end it
    """,
    "pool_with_jit": """
        @accel.jit
        def square(x):
            return x * x
        if __name__ == "__main__":
            with accel.Pool(2) as pool:
                assert pool.map(square, range(50)) == [x * x for x in range(50)]
    """,
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_interpreter_exits_cleanly(name, tmp_path):
    script = tmp_path / f"{name}.py"
    script.write_text(HEADER + textwrap.dedent(SCENARIOS[name]))
    child = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                           cwd=tmp_path)
    assert child.returncode == 0, child.stderr
    assert child.stderr == ""
