"""Running out of memory inside compiled code raises MemoryError, as NumPy does, never
std::terminate (the runtime's C++ exceptions cannot cross compiled frames). Each case
runs in a child process with its address space limited."""
import subprocess
import sys
import textwrap

import pytest

from reference import UNDER_SANITIZERS

CHILD = textwrap.dedent("""
    import os, resource, sys
    import numpy as np
    import accel

    @accel.jit
    def histogram_with_nan_edges(x, edges):
        counts, _ = np.histogram(x, edges)  # NaN edges: NumPy's sort-based path, a copy of x
        return counts.sum()

    edges = np.array([0.0, 0.5, np.nan])
    x = np.random.default_rng(0).random(20_000_000)  # 160 MB
    assert histogram_with_nan_edges(x[:10], edges) == histogram_with_nan_edges.py_func(x[:10], edges)
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (used + 80_000_000, resource.RLIM_INFINITY))
    try:
        histogram_with_nan_edges(x, edges)
    except MemoryError as error:
        print("MemoryError:", error)
""")


@pytest.mark.skipif(UNDER_SANITIZERS, reason="ASan's operator new aborts where the real one throws "
                    "std::bad_alloc, and ASan's shadow memory does not fit an address-space limit")
def test_a_runtime_allocation_that_fails_is_a_memory_error(tmp_path):
    script = tmp_path / "histogram_out_of_memory.py"  # accel.jit reads the source from a file
    script.write_text(CHILD)
    child = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "MemoryError: out of memory in compiled code"
