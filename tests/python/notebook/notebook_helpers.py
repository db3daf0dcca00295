"""Run cells in a real IPython kernel started from this interpreter, and read what they
printed or raised."""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

KERNEL_NAME = "accel-test-python"

# A kernel's start and a first compile are slow on a loaded CI machine; a pool in a cell
# starts interpreters of its own.
STARTUP_SECONDS = 180
CELL_SECONDS = 300


def write_kernelspec(jupyter_dir):
    """A kernelspec that starts ipykernel with sys.executable, whatever `python` is on PATH.

    Put ``jupyter_dir`` on JUPYTER_PATH to make it findable (kernels/<name>/kernel.json)."""
    folder = os.path.join(jupyter_dir, "kernels", KERNEL_NAME)
    os.makedirs(folder, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"accel tests ({sys.executable})",
        "language": "python",
    }
    with open(os.path.join(folder, "kernel.json"), "w") as file:
        json.dump(spec, file)
    return folder


def notebook(cells):
    """A notebook of code cells, in order."""
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    book.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return book


def run(cells, cwd):
    """Executes the cells in one fresh kernel; every cell runs even after an error.
    Returns the executed cells."""
    book = notebook(cells)
    # Unix sockets in cwd rather than TCP ports: no port to race for, nothing on the
    # network. The client makes (and so shuts down) the kernel manager itself.
    config = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(str(cwd), "kernel-ipc")}})
    client = NotebookClient(book, kernel_name=KERNEL_NAME, config=config, timeout=CELL_SECONDS,
                            startup_timeout=STARTUP_SECONDS, allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return book.cells


def error(cell):
    """The cell's uncaught exception as {"ename", "evalue", "traceback"}, or None."""
    for output in cell.outputs:
        if output.output_type == "error":
            return {"ename": output.ename, "evalue": output.evalue, "traceback": output.traceback}
    return None


def stdout(cell):
    """What the cell printed, failing loudly if it raised instead."""
    raised = error(cell)
    assert raised is None, f"the cell raised {raised['ename']}: {raised['evalue']}\n" + "\n".join(raised["traceback"])
    return "".join(output.text for output in cell.outputs
                   if output.output_type == "stream" and output.name == "stdout")


def printed_json(cell):
    """The cell's last printed line, read as JSON (cells report their facts that way)."""
    lines = stdout(cell).strip().splitlines()
    assert lines, "the cell printed nothing"
    return json.loads(lines[-1])


def children_of(pid):
    """Pids whose parent is ``pid`` (zombies too), from /proc: a kernel left running shows here."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields follow the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found
