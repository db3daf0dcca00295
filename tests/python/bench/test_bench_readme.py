"""README.md: its set-up commands come first, and every ```python block runs as written."""
import re

import pytest

from bench_helpers import REPO, run_python

README = (REPO / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"^```python\n(.*?)^```", README, flags=re.DOTALL | re.MULTILINE)


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands[:2] == ["./dev demo", "./dev test"]


def test_readme_has_a_tour_to_run():
    assert len(PYTHON_BLOCKS) >= 2  # jit and Pool; extracting none would test nothing


@pytest.mark.parametrize("number", range(len(PYTHON_BLOCKS)))
def test_readme_python_block_runs(number, tmp_path):
    # Each block is a script of its own (so Pool's `if __name__ == "__main__"` works as in a file).
    script = tmp_path / f"readme_block_{number}.py"
    script.write_text(PYTHON_BLOCKS[number], encoding="utf-8")
    completed = run_python(str(script), cwd=tmp_path)
    assert completed.returncode == 0, f"README block {number}:\n{PYTHON_BLOCKS[number]}\n{completed.stderr}"


def test_readme_links_to_the_docs():
    for page in ("docs/jit.md", "docs/pool.md", "docs/semantics.md", "docs/performance.md"):
        assert f"]({page})" in README, page


def test_readme_links_lead_to_files():
    targets = re.findall(r"\]\(([^)#:]+)\)", README)  # relative links, not URLs
    assert targets
    missing = [target for target in targets if not (REPO / target).exists()]
    assert missing == []
