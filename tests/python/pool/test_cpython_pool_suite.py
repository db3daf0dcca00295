"""CPython's own Pool tests, from the installed test._test_multiprocessing, run against
accel.Pool: _TestPool, _TestPoolWorkerErrors, _TestPoolWorkerLifetime and the Pool part of
TestInitializers. The adapter only supplies the Pool: as ``self.Pool`` (what CPython's
ProcessesMixin does for multiprocessing), and as ``multiprocessing.Pool`` for the classes
that call it by that name. Every assertion is CPython's, unchanged.

The tests left out, each with its reason (docs/pool.md, "CPython's test suite"), are named
in SKIPPED; what they check besides the left-out part has a test of its own in this folder.
test_worker_finalization_via_atexit_handler_of_multiprocessing runs multiprocessing.Pool in
a child interpreter, so it passes here without involving accel (its accel counterpart is
test_pool_failures.py::test_interpreter_exit_without_close_leaves_no_process_or_segment).

On Debian's own python3 the suite is the package libpython3.X-testsuite, which ./dev
installs; other CPython builds (pyenv, python.org) ship it.
"""
import multiprocessing
import unittest
import unittest.mock

import pytest

import accel

suite = pytest.importorskip(
    "test._test_multiprocessing",
    reason="CPython's test suite is not installed for this Python (Debian: libpython3.X-testsuite)")

SKIPPED = {
    "test_make_pool": "reads multiprocessing's private Pool._pool (its list of Process objects); "
                      "Pool(0) and Pool(-1) raising ValueError is tested in test_pool_results.py",
    "test_pool_worker_lifetime": "reads Pool._pool and calls Pool._repopulate_pool(), multiprocessing's "
                                 "private attributes; worker replacement under maxtasksperchild is "
                                 "tested in test_pool_results.py",
}


def _skipping(cls):
    for name, reason in SKIPPED.items():
        if hasattr(cls, name):
            setattr(cls, name, unittest.skip(reason)(getattr(cls, name)))
    return cls


class _AccelAsMultiprocessingPool:
    """For the classes that create ``multiprocessing.Pool(...)`` themselves."""

    def setUp(self):
        patch = unittest.mock.patch.object(multiprocessing, "Pool", accel.Pool)
        patch.start()
        self.addCleanup(patch.stop)
        super().setUp()


@_skipping
class TestPool(suite._TestPool, suite.ProcessesMixin, unittest.TestCase):
    Pool = staticmethod(accel.Pool)


@_skipping
class TestPoolWorkerErrors(_AccelAsMultiprocessingPool, suite._TestPoolWorkerErrors, suite.ProcessesMixin,
                           unittest.TestCase):
    pass


@_skipping
class TestPoolWorkerLifetime(_AccelAsMultiprocessingPool, suite._TestPoolWorkerLifetime, suite.ProcessesMixin,
                             unittest.TestCase):
    pass


class TestPoolInitializer(_AccelAsMultiprocessingPool, suite.TestInitializers):
    test_manager_initializer = None  # a Manager's initializer: no Pool in it


def test_the_adapter_runs_accel_pools():
    """The adapter must hand CPython's tests accel's Pool, not multiprocessing's."""
    assert TestPool.Pool is accel.Pool
    case = TestPoolWorkerErrors("test_async_error_callback")
    case.setUp()
    try:
        assert multiprocessing.Pool is accel.Pool
    finally:
        case.doCleanups()
    assert multiprocessing.Pool is not accel.Pool
