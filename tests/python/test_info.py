"""``python -m accel --info``: every fact checked against a source that does not go
through accel._info (the interpreter, platform, os, NumPy, /proc/cpuinfo, llvm-config,
mpi4py initialized the ordinary way)."""
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from importlib import metadata

import numpy as np
import pytest

import accel
from accel import _info

LLVM_CONFIG = shutil.which("llvm-config-19") or "/usr/lib/llvm-19/bin/llvm-config"


def run_accel(*args, env_changes=None, drop=(), path=None, cwd=None, python_code=None):
    """Runs ``python -m accel ARGS`` (or python -c CODE) with ACCEL_* cleared, then the changes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCEL_")}
    env.update(env_changes or {})
    for name in drop:
        env.pop(name, None)
    if path is not None:
        env["PATH"] = path
    command = [sys.executable, "-c", python_code, *args] if python_code else [sys.executable, "-m", "accel", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300,
                          stdin=subprocess.DEVNULL)


def info_json(**kwargs):
    done = run_accel("--info", "--json", **kwargs)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    return info_json(cwd=tmp_path_factory.mktemp("info"))


@pytest.fixture(scope="module")
def text(tmp_path_factory):
    done = run_accel("--info", cwd=tmp_path_factory.mktemp("info"))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_versions_and_paths_are_those_of_this_interpreter(facts):
    assert facts["accel"]["version"] == metadata.version("accel") == accel.__version__
    assert facts["accel"]["path"] == os.path.dirname(os.path.abspath(accel.__file__))
    assert facts["python"]["version"] == platform.python_version()
    assert facts["python"]["implementation"] == platform.python_implementation()
    assert facts["python"]["executable"] == sys.executable
    assert facts["numpy"]["version"] == np.__version__


def test_the_os_and_machine_are_platforms(facts):
    assert facts["os"]["system"] == platform.system()
    assert facts["os"]["release"] == platform.release()
    assert facts["os"]["machine"] == platform.machine()
    assert facts["os"]["platform"] == platform.platform()


@pytest.mark.skipif(not os.path.exists(LLVM_CONFIG), reason="llvm-config of LLVM 19 is not installed")
def test_the_llvm_version_is_the_one_accel_was_built_with():
    expected = subprocess.run([LLVM_CONFIG, "--version"], capture_output=True, text=True).stdout.strip()
    facts = info_json()
    assert facts["llvm"]["version"] == expected


def test_the_llvm_target_is_this_machine(facts):
    triple, cpu, _ = accel._core.host_target()
    assert facts["llvm"]["triple"] == triple
    assert facts["llvm"]["triple"].split("-")[0] == platform.machine()
    assert facts["llvm"]["cpu"] == cpu and cpu


def _cpuinfo_flags():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


@pytest.mark.skipif(platform.machine() != "x86_64" or _cpuinfo_flags() is None,
                    reason="the CPU flags are read from /proc/cpuinfo on x86-64")
def test_the_cpu_features_agree_with_the_kernels_cpu_flags(facts):
    features = set(facts["llvm"]["cpu_features"])
    flags = _cpuinfo_flags()
    # LLVM's feature name -> the kernel's flag name.
    for feature, flag in {"sse2": "sse2", "sse4.2": "sse4_2", "avx": "avx", "avx2": "avx2",
                          "fma": "fma", "bmi2": "bmi2", "popcnt": "popcnt", "aes": "aes",
                          "avx512f": "avx512f", "avx512bw": "avx512bw"}.items():
        assert (feature in features) == (flag in flags), feature
    assert not any(name.startswith(("+", "-")) for name in features)


def test_the_thread_count_comes_from_the_affinity_mask_by_default(facts):
    usable = len(os.sched_getaffinity(0))
    assert facts["threads"] == {"count": usable, "source": "CPU affinity mask",
                                "cores_usable": usable, "cores_os": os.cpu_count()}


def test_accel_num_threads_in_the_environment_changes_the_thread_figure():
    facts = info_json(env_changes={"ACCEL_NUM_THREADS": "7"})
    assert facts["threads"]["count"] == 7
    assert facts["threads"]["source"] == "ACCEL_NUM_THREADS=7"
    assert facts["environment"] == {"ACCEL_NUM_THREADS": "7"}
    # The child agrees with what the runtime itself uses under the same variable.
    done = run_accel(env_changes={"ACCEL_NUM_THREADS": "7"},
                     python_code="import accel; print(accel.get_num_threads())")
    assert done.stdout.strip() == "7"


def test_an_unusable_accel_num_threads_is_reported_as_ignored():
    facts = info_json(env_changes={"ACCEL_NUM_THREADS": "zero"})
    assert facts["threads"]["count"] == len(os.sched_getaffinity(0))
    assert facts["threads"]["source"].startswith("CPU affinity mask")
    assert "'zero' ignored" in facts["threads"]["source"]


def test_the_cache_directory_is_accel_cache_dir_or_beside_the_source(tmp_path, facts):
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    assert facts["cache"] == {"directory": "__pycache__ beside each source file", "source": "default",
                              "fallback": os.path.join(base, "accel")}
    chosen = tmp_path / "cache"
    facts = info_json(env_changes={"ACCEL_CACHE_DIR": str(chosen)})
    assert facts["cache"] == {"directory": str(chosen), "source": "ACCEL_CACHE_DIR", "fallback": str(chosen)}


def test_numba_is_reported_with_its_version(facts):
    try:
        expected = metadata.version("numba")
    except metadata.PackageNotFoundError:
        expected = None
    assert facts["numba"]["version"] == expected


def _mpi4py_version():
    try:
        import mpi4py
    except ImportError:
        return None
    return mpi4py.__version__


def test_mpi4py_is_reported_with_its_version(facts):
    assert facts["mpi"]["mpi4py"] == _mpi4py_version()
    assert facts["mpi"]["mpiexec"] == shutil.which("mpiexec")


@pytest.mark.skipif(_mpi4py_version() is None, reason="mpi4py is not installed")
def test_the_mpi_library_is_the_one_mpi4py_loads_when_initialized(facts):
    # mpi4py initializing MPI the ordinary way, in its own process.
    done = run_accel(python_code="from mpi4py import MPI; print(MPI.Is_initialized()); "
                                 "print(MPI.Get_library_version().strip().splitlines()[0])")
    assert done.returncode == 0, done.stderr
    initialized, first_line = done.stdout.splitlines()[:2]
    assert initialized == "True"
    assert facts["mpi"]["library"] == " ".join(first_line.split())
    assert facts["mpi"]["vendor"].split()[0] in first_line


@pytest.mark.skipif(_mpi4py_version() is None, reason="mpi4py is not installed")
def test_the_report_leaves_mpi_uninitialized_and_initializable_in_its_process():
    done = run_accel(python_code=(
        "import sys, accel._info\n"
        "facts = accel._info.report()\n"
        "assert facts['mpi']['library'], facts['mpi']\n"
        "print('mpi4py.MPI' in sys.modules)\n"
        "from mpi4py import MPI\n"
        "print(MPI.Is_initialized())\n"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_missing_optional_pieces_are_reported_not_raised(tmp_path):
    # sys.modules[name] = None makes a module unimportable, as if not installed.
    code = ("import sys\n"
            "sys.modules['numba'] = None\n"
            "sys.modules['mpi4py'] = None\n"
            "sys.argv = ['accel', '--info']\n"
            "import runpy\n"
            "runpy.run_module('accel', run_name='__main__')\n")
    done = run_accel(python_code=code, path=str(tmp_path))  # an empty PATH: no mpiexec
    assert done.returncode == 0, done.stderr
    lines = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
             for line in done.stdout.splitlines() if " : " in line}
    assert lines["mpi4py"] == "not installed"
    assert lines["library"] == "not available"
    assert lines["mpiexec"] == "not on PATH"
    assert re.search(r"numba:\n  version +: not installed\n", done.stdout)


def test_a_failing_probe_becomes_an_error_entry(monkeypatch):
    def broken():
        raise RuntimeError("no LLVM here")

    monkeypatch.setitem(_info._SECTIONS, "llvm", broken)
    facts = _info.report()
    assert facts["llvm"] == {"error": "RuntimeError: no LLVM here"}
    assert facts["numpy"]["version"] == np.__version__  # the other sections are still there
    assert re.search(r"\n  error +: RuntimeError: no LLVM here\n", _info.render_text(facts))


def test_the_text_report_is_aligned_and_says_the_same_as_the_json(facts, text):
    value_lines = [line for line in text.splitlines() if " : " in line]
    assert len({line.index(" : ") for line in value_lines}) == 1
    headings = [line[:-1] for line in text.splitlines() if not line.startswith(" ")]
    assert headings == list(facts)
    values = {line.split(" : ", 1)[0].strip(): line.split(" : ", 1)[1] for line in value_lines}
    assert values["executable"] == sys.executable
    assert values["cpu"] == facts["llvm"]["cpu"]
    assert values["cores (OS)"] == str(os.cpu_count())
    # The feature list wraps; its continuation lines are indented under the value column.
    column = value_lines[0].index(" : ") + 3
    start = text.index("  cpu features")
    block = text[start:text.index("\nthreads:")].splitlines()
    features = block[0][column:].split() + [w for line in block[1:] for w in line[column:].split()]
    assert all(line[:column].strip() == "" for line in block[1:])
    assert features == facts["llvm"]["cpu_features"]


def test_no_flag_prints_usage_and_exits_2():
    done = run_accel()
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("usage: python -m accel")
    assert "--info" in done.stderr


def test_help_describes_the_options():
    done = run_accel("--help")
    assert done.returncode == 0, done.stderr
    assert "--info" in done.stdout and "--json" in done.stdout


def test_an_unknown_flag_is_a_usage_error():
    done = run_accel("--infoo")
    assert done.returncode == 2
    assert "unrecognized arguments: --infoo" in done.stderr


def test_json_without_info_is_a_usage_error():
    done = run_accel("--json")
    assert done.returncode == 2
    assert "--json goes with --info" in done.stderr
