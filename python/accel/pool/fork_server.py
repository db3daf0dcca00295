"""The pool's side of the fork server (the server itself is _fork_server.py).

One server per process, shared by every pool, as multiprocessing's forkserver is. It is
started when ``accel`` is imported (``prestart``) and imports in the background what
this process had imported by then, so that by the first pool it is warm; each new pool
asks it to import what this process has imported since (the modules loaded from files,
and ``__main__`` by path as ``__mp_main__``), then its workers are forked from it warm.
"""
import atexit
import itertools
import os
import pickle
import sys
import threading

from .. import _pool

ACCEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Thread pools of numeric libraries in each worker get cores / workers threads (unless
# the user set them), as loky does: N workers each starting a thread per core would
# oversubscribe the machine. In the server they are 1.
THREAD_LIMIT_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                          "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

# Packages of the program hosting the user's code (a notebook kernel, a test runner, a
# debugger): a task never needs them, and importing them would slow every server's
# start. mpi4py: importing mpi4py.MPI initializes MPI.
_HOST_PACKAGES = frozenset({
    "IPython", "ipykernel", "ipykernel_launcher", "jupyter_client", "jupyter_core", "zmq",
    "tornado", "traitlets", "comm", "debugpy", "pydevd", "_pydevd_bundle", "_pydev_bundle",
    "pytest", "_pytest", "pluggy", "prompt_toolkit", "jedi", "parso", "nbclient", "nbformat",
    "ipywidgets", "matplotlib_inline", "mpi4py", "__main__", "__mp_main__",
})


def _accel_internal(name):
    """accel itself: the server has its pool already, and the rest is the JIT (or the MPI
    launcher); accel's other modules (accel.bench) are preloaded like the user's."""
    if name == "accel":
        return True
    if not name.startswith("accel."):
        return False
    sub = name.split(".")[1]
    return sub in ("pool", "mpi") or sub.startswith("_")


# The server itself runs no thread, so the numeric libraries it imports must not start
# thread pools of their own: 1 thread each there, whatever the user set (a worker gets
# its own setting back after the fork). Like a worker, it never runs accel/__init__.py.
_SERVER_BOOTSTRAP = """\
import os, sys, types
sys.argv[0] = "accel-fork-server"
for name in sys.argv[3].split(","):
    os.environ[name] = "1"
for name in [n for n in os.environ if n.startswith(("PMI_", "PMIX_", "OMPI_COMM_WORLD_"))]:
    del os.environ[name]
sys.path[:] = sys.argv[2].split("\\x1f")
for name, path in (("accel", sys.argv[1]), ("accel.pool", sys.argv[1] + "/pool")):
    package = types.ModuleType(name)
    package.__path__ = [path]
    sys.modules[name] = package
from accel.pool._fork_server import main
main(sys.argv[1])
"""

_lock = threading.Lock()
_server = None
_server_pid = None  # the process that started _server (a fork of it must not use it)
_inherited = []     # servers of the process this one was forked from: never closed here
_refused = set()    # modules that start a thread or load the JIT when imported: left out
_config_ids = itertools.count(1)
_sent = set()       # modules the current server was asked to import: not checked again
_prestarted = None  # (server, request) of prestart()'s imports, until a pool reads the report


def _preloadable(name, module, jit_names):
    if module is None or name.partition(".")[0] in _HOST_PACKAGES or _accel_internal(name):
        return False
    spec = getattr(module, "__spec__", None)
    return (spec is not None and spec.name == name and spec.has_location and bool(spec.origin)
            and name not in _refused and not _uses_the_jit(module, jit_names))


def _jit_names():
    """What a module that compiles at import holds: accel's decorators, imported by
    name, or jitted functions (their type). Nothing when the JIT is not loaded here."""
    core = sys.modules.get("accel._core")
    jit = sys.modules.get("accel._jit")
    if core is None or jit is None:
        return ()
    return (getattr(core, "Dispatcher", None), getattr(jit, "jit", None), getattr(jit, "njit", None))


def _uses_the_jit(module, jit_names):
    """Whether importing `module` would load the JIT in the server. By identity and type
    only: a lookup could run a proxy's or a lazy module's code. (The server checks after
    each import too; finding it here saves starting a server again.)"""
    if not jit_names:
        return False
    dispatcher, *decorators = jit_names
    try:
        values = list(vars(module).values())
    except TypeError:
        return False
    return any(type(value) is dispatcher or any(value is d for d in decorators) for value in values)


def main_reference():
    """How the server finds this process's ``__main__``: ``("name", module)`` for ``python
    -m module``, ``("path", file)`` for a script, None for a notebook, ``-c`` or a
    package's ``__main__`` (multiprocessing's spawn makes the same choice)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name:
        if spec.name == "__main__" or spec.name.endswith(".__main__"):
            return None
        return ("name", spec.name)
    path = getattr(main, "__file__", None)
    if not path or not os.path.isfile(path) or os.path.basename(path).startswith("ipython"):
        return None
    return ("path", os.path.abspath(path))


def _installed_roots():
    """Where the interpreter's and the installed packages' modules live."""
    import sysconfig
    paths = sysconfig.get_paths()
    return tuple({os.path.join(paths[key], "") for key in ("stdlib", "platstdlib", "purelib", "platlib")})


def _installed(module, roots):
    """Whether a module belongs to the interpreter or an installed package (under
    `roots`), not to the program's own files: importing those runs code the program may
    mean to run once."""
    path = getattr(module, "__file__", None)
    return not path or os.path.abspath(path).startswith(roots)  # no file: built in, or a namespace


def _preparation(thread_variables, thread_share, with_main=True, installed_only=False):
    jit_names = _jit_names()
    main = sys.modules.get("__main__")
    skip_main = (not with_main or "__main__" in _refused
                 or (main is not None and _uses_the_jit(main, jit_names)))
    roots = _installed_roots() if installed_only else ()
    modules = [name for name, module in list(sys.modules.items())
               if name not in _sent and _preloadable(name, module, jit_names)
               and (not installed_only or _installed(module, roots))]
    return {
        "sys_path": list(sys.path),
        "modules": modules,
        "main": None if skip_main else main_reference(),
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "thread_variables": list(thread_variables),
        "thread_share": thread_share,
    }


def _command(accel_dir, thread_variables):
    return [sys.executable, "-S", "-c", _SERVER_BOOTSTRAP, accel_dir, "\x1f".join(sys.path),
            ",".join(thread_variables)]


def _running_server(accel_dir, thread_variables):
    global _server, _server_pid
    if _server is not None and _server_pid != os.getpid():
        _inherited.append(_server)  # its socket is the parent's: leave it be
        _server = None
        _sent.clear()
    if _server is not None and not _server.alive():
        _server = None
    if _server is None:
        _sent.clear()
        _server = _pool.ForkServer(_command(accel_dir, thread_variables))
        _server_pid = os.getpid()
    return _server


def prestart_wanted():
    """Whether importing accel should start the server: in a program's own process, not
    in the server or a worker, an MPI rank or a multiprocessing child (they rarely make
    pools), nor with ACCEL_POOL_PRESTART=0. A process importing its parent's main module
    as ``__mp_main__`` is some pool's worker (multiprocessing's spawn and forkserver,
    loky), even where parent_process() does not say so."""
    if os.environ.get("ACCEL_POOL_PRESTART", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    if "accel.pool._worker" in sys.modules:
        return False
    if sys.modules.get("__mp_main__", sys.modules.get("__main__")) is not sys.modules.get("__main__"):
        return False  # (in the main process, multiprocessing makes __mp_main__ __main__ itself)
    if any(name in os.environ for name in ("PMI_RANK", "PMI_SIZE", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE")):
        return False
    process = sys.modules.get("multiprocessing.process")
    return process is None or process.parent_process() is None


def prestart():
    """Starts the server and has it import, in the background, the modules this process
    has loaded so far (not ``__main__``, which is still running its top level): a first
    pool made later finds it warm. Never raises; the first pool retries what failed."""
    global _prestarted
    with _lock:
        if _server is not None and _server_pid == os.getpid():
            return
        try:
            server = _running_server(ACCEL_DIR, THREAD_LIMIT_VARIABLES)
            # Installed packages only: a program that never makes a pool must not have
            # its own modules imported a second time behind its back.
            preparation = _preparation(THREAD_LIMIT_VARIABLES, 1, with_main=False, installed_only=True)
            # Every job's function is unpickled with it, and a pool imports it here later.
            preparation["modules"].append("cloudpickle")
            request = server.prepare_in_background(next(_config_ids), pickle.dumps(preparation, protocol=5))
        except (OSError, RuntimeError):
            _drop_server()
            return
        _sent.update(preparation["modules"])
        _prestarted = (server, request)


def _read_prestart_report(server):
    """Waits for prestart()'s imports; the module that made the server unusable, if one
    did (None otherwise)."""
    global _prestarted
    if _prestarted is None:
        return None
    started, request = _prestarted
    _prestarted = None
    if started is not server:
        return None
    report = pickle.loads(server.wait_for_report(request))
    return report.get("refused")


def launcher(accel_dir, thread_variables, thread_share, while_importing=None):
    """``(server, config_id, report)`` for a new pool, once the server has imported what
    this process has; ``(None, 0, report)`` when workers must start fresh instead.
    ``while_importing`` runs (once) while the server imports: the pool's own set-up."""
    with _lock:
        report = {}
        for _ in range(4):
            try:
                server = _running_server(accel_dir, thread_variables)
                refused = _read_prestart_report(server)
                if refused is not None:  # the server cannot fork: the next one leaves it out
                    _refused.add(refused)
                    _drop_server()
                    continue
                config_id = next(_config_ids)
                preparation = _preparation(thread_variables, thread_share)
                request = server.prepare_in_background(config_id, pickle.dumps(preparation, protocol=5))
            except (OSError, RuntimeError) as exc:  # it could not start, or it died
                report = {"error": repr(exc)}
                _drop_server()
                continue
            if while_importing is not None:  # its errors are the caller's, not the server's
                while_importing()
                while_importing = None
            try:
                report = pickle.loads(server.wait_for_report(request))
            except (OSError, RuntimeError) as exc:
                report = {"error": repr(exc)}
                _drop_server()
                continue
            if report.get("refused") is None:
                _sent.update(preparation["modules"])
                return server, config_id, report
            # A module started a thread in the server (it cannot fork safely any more) or
            # loaded the JIT there: the next server leaves it out.
            _refused.add(report["refused"])
            _drop_server()
        if while_importing is not None:
            while_importing()
        return None, 0, report


def _drop_server():
    global _server, _prestarted
    _server = None
    _prestarted = None
    _sent.clear()


def server_pid():
    """The pid of this process's fork server, or None."""
    server = _server
    return server.pid if server is not None and _server_pid == os.getpid() else None


def _after_fork_in_child():
    # A fork of this process (multiprocessing's fork, a user's os.fork) must not share
    # the parent's server, nor wait on a lock that one of the parent's threads held.
    global _lock, _server, _prestarted
    _lock = threading.Lock()
    if _server is not None:
        _inherited.append(_server)
        _server = None
    _prestarted = None
    _sent.clear()


atexit.register(_drop_server)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
