"""numba's NumPy checklist (numpy_checklist.py): every row equals NumPy or is a
CompileError, and docs/numpy-checklist.md says what the measurement says."""
import pathlib

import pytest

import numpy_checklist

PAGE = pathlib.Path(__file__).resolve().parents[3] / "docs" / "numpy-checklist.md"


@pytest.mark.parametrize("section, function", numpy_checklist.rows(),
                         ids=lambda value: getattr(value, "__name__", value))
def test_row_works_or_is_refused(section, function):
    status, detail = numpy_checklist.measure(function)
    assert status in ("works", "refused"), detail
    if status == "refused":  # a sentence that says what is refused, not an internal failure
        assert any(words in detail for words in (
            "not supported", "cannot use", "unsupported", "takes", "must be")), detail


def test_the_page_is_the_measurement():
    assert PAGE.read_text() == numpy_checklist.table(), (
        "docs/numpy-checklist.md is out of date: python tests/python/jit/numpy_checklist.py "
        "> docs/numpy-checklist.md")
