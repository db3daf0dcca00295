"""The facts ``python -m accel --info`` reports: versions, the LLVM target, threads, MPI
and the cache, for a user to paste into a bug report.

``report()`` returns them as a dict of sections; ``render_text`` lays them out as aligned
text. A fact that cannot be gathered (a missing optional package, a failing probe) is
reported as missing, never raised: the report is most needed on a broken install.
"""
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from importlib import metadata

__all__ = ["report", "render_text", "cache_location"]

# What a missing fact means, by (section, key); anything else missing is "unknown".
_MISSING = {
    ("mpi", "mpi4py"): "not installed",
    ("mpi", "library"): "not available",
    ("mpi", "mpiexec"): "not on PATH",
    ("numba", "version"): "not installed",
}

# Labels that the key's words alone would not make clear.
_LABELS = {
    "memory_mib": "memory (MiB)",
    "cores_usable": "cores usable",
    "cores_os": "cores (OS)",
}

# Long enough for an MPI library's first load from a cold disk.
_MPI_PROBE_SECONDS = 60


def _installed_version(distribution, module):
    """The distribution's version if its module can be imported from here, else None.

    Neither is imported: numba takes a second to import, and the report only needs to
    know what is there."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
        return metadata.version(distribution)
    except (ImportError, ValueError, metadata.PackageNotFoundError):
        return None


def _accel():
    import accel
    return {"version": accel.__version__, "path": os.path.dirname(os.path.abspath(accel.__file__))}


def _python():
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "compiler": platform.python_compiler(),
    }


def _memory_mib():
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError, AttributeError):
        return None


def _os():
    libc, libc_version = platform.libc_ver()
    return {
        "system": platform.system(),
        "release": platform.release(),
        "version": platform.version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "libc": f"{libc} {libc_version}".strip() or None,
        "memory_mib": _memory_mib(),
    }


def _numpy():
    import numpy
    from accel import _core
    return {"version": numpy.__version__,
            "lapack": _core.lapack_symbols() or "none found: np.linalg runs accel's own LU and Cholesky"}


def _llvm():
    from accel import _core
    triple, cpu, features = _core.host_target()
    enabled = sorted(name[1:] for name in features.split(",") if name.startswith("+"))
    return {"version": _core.llvm_version(), "triple": triple, "cpu": cpu, "cpu_features": enabled}


def _thread_source():
    """Where the default thread count comes from, as the runtime decides it
    (src/runtime/parallel_for.cpp): ACCEL_NUM_THREADS when it starts with a positive
    integer (read with atoi), else the CPU affinity mask."""
    text = os.environ.get("ACCEL_NUM_THREADS")
    if text is not None:
        digits = text.strip()
        sign = digits[:1] if digits[:1] in "+-" else ""
        digits = digits[len(sign):]
        leading = digits[:len(digits) - len(digits.lstrip("0123456789"))]
        if leading and sign != "-" and int(leading) > 0:
            return f"ACCEL_NUM_THREADS={text}"
        return f"CPU affinity mask (ACCEL_NUM_THREADS={text!r} ignored: not a positive integer)"
    return "CPU affinity mask"


def _threads():
    import accel
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not every OS has affinity masks
        usable = None
    return {
        "count": accel.get_num_threads(),
        "source": _thread_source(),
        "cores_usable": usable,
        "cores_os": os.cpu_count(),
    }


# Run in a child so this process's MPI state is untouched: once mpi4py.MPI is imported
# without initializing, a later `from mpi4py import MPI` here could not initialize it.
_MPI_PROBE = """
import json, mpi4py
mpi4py.rc.initialize = False
mpi4py.rc.finalize = False
from mpi4py import MPI
vendor, version = MPI.get_vendor()
print(json.dumps({"library": MPI.Get_library_version(),
                  "vendor": vendor + " " + ".".join(map(str, version)),
                  "standard": ".".join(map(str, MPI.Get_version()))}))
"""


def _one_line(text):
    first = text.strip().splitlines()[0] if text.strip() else ""
    return " ".join(first.split()) or None


def _mpi_library():
    """(library, vendor, standard, problem): the MPI library's own version string, read
    without initializing MPI (MPI_Get_library_version may be called before MPI_Init)."""
    loaded = sys.modules.get("mpi4py.MPI")
    if loaded is not None:  # already imported here: asking it changes nothing
        vendor, version = loaded.get_vendor()
        return (_one_line(loaded.Get_library_version()), f"{vendor} {'.'.join(map(str, version))}",
                ".".join(map(str, loaded.Get_version())), None)
    try:
        done = subprocess.run([sys.executable, "-c", _MPI_PROBE], capture_output=True, text=True,
                              timeout=_MPI_PROBE_SECONDS, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, None, None, f"probe failed: {exc}"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return None, None, None, f"loading the MPI library failed: {lines[-1] if lines else done.returncode}"
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    return _one_line(facts["library"]), facts["vendor"], facts["standard"], None


def _mpi():
    version = _installed_version("mpi4py", "mpi4py")
    facts = {"mpi4py": version, "library": None, "vendor": None, "standard": None,
             "mpiexec": shutil.which("mpiexec")}
    if version is not None:
        library, vendor, standard, problem = _mpi_library()
        facts.update(library=library, vendor=vendor, standard=standard)
        if problem:
            facts["problem"] = problem
    return facts


def cache_location():
    """Where cache=True stores compiled code: (directory, what chose it), as accel._cache
    decides it."""
    from . import _cache
    return _cache.cache_location()


def _cache():
    from . import _cache as cache
    directory, source = cache_location()
    # Where entries go when __pycache__ is not writable, and those of notebook cells.
    fallback = os.path.dirname(cache.cell_directory()) if source == "default" else directory
    return {"directory": directory, "source": source, "fallback": fallback}


def _numba():
    return {"version": _installed_version("numba", "numba")}


def _environment():
    return {name: value for name, value in sorted(os.environ.items()) if name.startswith("ACCEL_")}


_SECTIONS = {
    "accel": _accel,
    "python": _python,
    "os": _os,
    "numpy": _numpy,
    "llvm": _llvm,
    "threads": _threads,
    "mpi": _mpi,
    "cache": _cache,
    "numba": _numba,
    "environment": _environment,
}


def report():
    """Every fact, as ``{section: {key: value}}``; values are JSON types, None when missing.

    A section whose probe raises holds ``{"error": "..."}`` instead of its facts."""
    facts = {}
    for name, gather in _SECTIONS.items():
        try:
            facts[name] = gather()
        except Exception as exc:  # a report about a broken install must still print
            facts[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return facts


def _value_text(section, key, value):
    if value is None:
        return _MISSING.get((section, key), "unknown")
    if isinstance(value, list):
        return " ".join(map(str, value)) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_text(facts, width=100):
    """The report as aligned ``label : value`` lines under one heading per section; lists
    (the CPU features) wrap within ``width``."""
    def label(section, key):
        if section == "environment":
            return key
        return _LABELS.get(key, key.replace("_", " "))

    label_width = max((len(label(s, k)) for s, entries in facts.items() for k in entries), default=0)
    indent = " " * (2 + label_width + 3)
    lines = []
    for section, entries in facts.items():
        lines.append(f"{section}:")
        if not entries:
            lines.append("  (none set)")
        for key, value in entries.items():
            text = _value_text(section, key, value)
            if isinstance(value, list):
                parts = textwrap.wrap(text, width=max(width - len(indent), 20)) or [text]
            else:
                parts = [text]
            lines.append(f"  {label(section, key):<{label_width}} : {parts[0]}")
            lines.extend(indent + more for more in parts[1:])
    return "\n".join(lines) + "\n"
