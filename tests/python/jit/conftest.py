import gc
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture(autouse=True)
def no_array_block_leaks(request):
    """Every jit test leaves as many arrays made by compiled code alive as it found
    (issue #17): a leak anywhere in codegen or boxing fails the test that caused it."""
    import accel

    before = accel._core.live_array_blocks()
    yield
    after = accel._core.live_array_blocks()
    if after != before:
        gc.collect()  # arrays held by reference cycles (an exception's traceback) go now
        after = accel._core.live_array_blocks()
    assert after == before, f"{after - before} array blocks made by compiled code are still alive"
