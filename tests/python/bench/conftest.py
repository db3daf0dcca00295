import json

import pytest

from bench_helpers import run_bench


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory):
    """One ``--quick`` run of the whole bench, shared by the tests that read its outputs."""
    folder = tmp_path_factory.mktemp("bench")
    json_path, png_path = folder / "figures.json", folder / "figures.png"
    completed = run_bench("--quick", "--json", str(json_path), "--plot", str(png_path), cwd=folder)
    document = json.loads(json_path.read_text()) if json_path.exists() else None
    return completed, document, png_path
