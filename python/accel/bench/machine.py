"""Which machine and versions the figures come from, for the report and the JSON."""
import os
import platform
import sys
from importlib import metadata


def _version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _cpu():
    try:
        from accel import _core
        return _core.host_cpu()  # LLVM's name for the CPU the JIT compiles for
    except Exception:
        return platform.machine()


def _load_average():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # not every platform has it
        return None


def describe_machine():
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        # Other work on the cores explains slow or noisy figures, pools most of all.
        "load_average_1min": _load_average(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "accel": _version("accel"),
        "numpy": _version("numpy"),
        "matplotlib": _version("matplotlib"),
        "numba": _version("numba"),
        "executable": sys.executable,
    }


def one_line(machine):
    versions = ", ".join(f"{name} {machine[name]}" for name in ("accel", "numpy", "matplotlib", "numba")
                         if machine.get(name))
    load = machine.get("load_average_1min")
    load = "" if load is None else f" (load average {load} at the start)"
    return (f"{machine['cpu']}, {machine['cores']} cores{load}, {machine['platform']}; "
            f"Python {machine['python']}, {versions}")
