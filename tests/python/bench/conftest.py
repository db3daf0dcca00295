import json
import os
import sys

import pytest

# The helpers are imported by name, whatever pytest's import mode.
sys.path.insert(0, os.path.dirname(__file__))
from bench_helpers import run_bench  # noqa: E402


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """One ``--quick`` run of the whole bench, shared by the tests that read its outputs."""
    folder = tmp_path_factory.mktemp("bench")
    json_path, png_path = folder / "figures.json", folder / "figures.png"
    completed = run_bench("--quick", "--json", str(json_path), "--plot", str(png_path), cwd=folder)
    document = json.loads(json_path.read_text()) if json_path.exists() else None
    return completed, document, png_path
