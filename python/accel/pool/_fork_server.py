"""The fork server: a fresh interpreter that imports what the pool's process imported,
then forks warm workers on request (the client is src/pool/fork_server.cpp).

It is started with posix_spawn while nothing in it runs a thread, and it stays single-
threaded: a fork copies only the forking thread, so forking a process whose other
threads hold locks (the pool's process may run many) can deadlock the child. Every
import is checked: a module that starts a thread here, or loads accel's JIT (a module
decorating with @accel.jit at import), is reported, and the pool's process starts
another server without it.

Loaded by a bootstrap that does not run accel/__init__.py, like a worker: the server and
its workers never load the JIT (libLLVM) unless a task asks for it.
"""
import os
import pickle
import signal
import socket
import struct
import sys
import traceback
import types

from .. import _pool
from . import _worker  # now, while the bootstrap's stand-in package is in place

_HEADER = struct.Struct(_pool.FORK_SERVER_HEADER)

def _set_blas_threads(wanted):
    """OpenBLAS read its thread count (1) when the server loaded it: a worker meant to
    have more sets it through OpenBLAS's own call, as threadpoolctl does."""
    try:
        count = int(wanted)
    except (TypeError, ValueError):
        return
    if count <= 1:
        return
    try:
        with open("/proc/self/maps") as maps:
            libraries = {line.split()[-1] for line in maps if "openblas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return
    import ctypes
    for path in libraries:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("openblas_set_num_threads", "scipy_openblas_set_num_threads64_",
                     "scipy_openblas_set_num_threads_64_", "openblas_set_num_threads64_"):
            setter = getattr(library, name, None)
            if setter is not None:
                setter(ctypes.c_int(count))
                break


# Set while the parent's __main__ is being imported: a Pool made at import time (a
# script without `if __name__ == "__main__":`) would start servers without end.
importing_main = False


class _LazyAccel(types.ModuleType):
    """``accel`` in the server and its workers: ``import accel`` and ``accel.Pool`` cost
    nothing; the first use of anything else (``accel.jit``) runs the real
    ``accel/__init__.py`` in this module, loading the JIT then."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        submodule = sys.modules.get(f"accel.{name}")
        if submodule is not None:
            return submodule
        if name in ("Pool", "WorkerCrashedError"):
            from accel import pool
            return getattr(pool, name)
        if name in ("pool", "mpi", "bench") or name.startswith("_"):
            import importlib
            return importlib.import_module(f"accel.{name}")
        self._load()
        return self.__dict__[name] if name in self.__dict__ else object.__getattribute__(self, name)

    def _load(self):
        if self.__dict__.get("_accel_loaded"):
            raise AttributeError("accel has no such attribute")
        self.__dict__["_accel_loaded"] = True
        with open(self.__file__, encoding="utf-8") as source:
            code = compile(source.read(), self.__file__, "exec")
        exec(code, self.__dict__)


def _install_lazy_accel(accel_dir):
    import importlib.util
    init = os.path.join(accel_dir, "__init__.py")
    module = _LazyAccel("accel")
    module.__file__ = init
    module.__path__ = [accel_dir]
    module.__package__ = "accel"
    module.__spec__ = importlib.util.spec_from_file_location("accel", init, submodule_search_locations=[accel_dir])
    for name, loaded in list(sys.modules.items()):
        if name.startswith("accel.") and name.count(".") == 1:
            setattr(module, name.split(".", 1)[1], loaded)
    sys.modules["accel"] = module
    # The bootstrap's stand-in for accel.pool goes: `import accel.pool` runs the real one.
    del sys.modules["accel.pool"]
    module.__dict__.pop("pool", None)


def _thread_count():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _refusal():
    """Why the server may no longer fork, if it may not: a thread runs (a fork would copy
    only this one), or the JIT (libLLVM) got loaded (workers must not carry it)."""
    if _thread_count() > 1:
        return "it starts a thread"
    if "accel._core" in sys.modules:
        return "it loads accel's JIT (libLLVM)"
    return None


def _import_main(main):
    """Imports the parent's __main__ as __mp_main__, as multiprocessing's spawn does, and
    makes it this process's __main__: functions of the parent's __main__ are then found
    by reference in the workers, with the globals their initializer set."""
    global importing_main
    import importlib.util
    kind, where = main
    if kind == "path":
        spec = importlib.util.spec_from_file_location("__mp_main__", where)
    else:
        spec = importlib.util.find_spec(where)
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    module.__name__ = "__mp_main__"
    sys.modules["__mp_main__"] = module
    importing_main = True
    try:
        spec.loader.exec_module(module)
    except BaseException:  # the workers do without it: its functions travel by value
        del sys.modules["__mp_main__"]
        print("accel.Pool's fork server could not import the main module "
              f"({where}); its functions will be sent by value:", file=sys.stderr)
        traceback.print_exc()
        return False
    finally:
        importing_main = False
    sys.modules["__main__"] = module
    return True


class Server:
    def __init__(self, sock):
        self.sock = sock
        self.pid = os.getpid()
        self.configs = {}
        self.children = {}  # pid → whether its end was reported
        self.imported_main = None
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_read, False)
        os.set_blocking(self.wake_write, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(self.wake_write, warn_on_full_buffer=False)

    # -- messages ---------------------------------------------------------------------
    def send(self, kind, ident, value, payload=b""):
        self.sock.sendall(_HEADER.pack(kind, len(payload), ident, value) + payload)

    def receive(self):
        """(kind, id, value, payload, fds), or None at the end of file (the client is gone)."""
        header, fds = b"", []
        while len(header) < _HEADER.size:
            data, ancillary, _flags, _address = self.sock.recvmsg(
                _HEADER.size - len(header), socket.CMSG_SPACE(4 * 4))
            if not data:
                return None
            header += data
            for level, kind, cdata in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds.extend(struct.unpack(f"{len(cdata) // 4}i", cdata[:len(cdata) // 4 * 4]))
        kind, size, ident, value = _HEADER.unpack(header)
        payload = b""
        while len(payload) < size:
            data = self.sock.recv(size - len(payload))
            if not data:
                return None
            payload += data
        return kind, ident, value, payload, fds

    # -- the loop -------------------------------------------------------------------------
    def serve(self):
        import select
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        poller.register(self.wake_read, select.POLLIN)
        while True:
            ready = dict(poller.poll())
            if self.wake_read in ready:
                try:
                    while os.read(self.wake_read, 512):
                        pass
                except BlockingIOError:
                    pass
            try:
                self.report_exits()
                if self.sock.fileno() in ready:
                    message = self.receive()
                    if message is None:
                        os._exit(0)  # the pool's process is gone; orphaned workers follow it
                    self.handle(*message)
            except (BrokenPipeError, ConnectionResetError):
                os._exit(0)  # the same, seen while sending or with unread data left

    def handle(self, kind, ident, value, payload, fds):
        if kind == _pool.FS_PREPARE:
            report = self.prepare(value, pickle.loads(payload))
            self.send(_pool.FS_PREPARED, ident, value, pickle.dumps(report))
        elif kind == _pool.FS_FORK:
            self.fork(ident, value, payload.decode(), fds)
        elif kind == _pool.FS_RELEASE:
            if self.children.pop(value, None) is not None:
                os.waitpid(value, 0)
            self.send(_pool.FS_RELEASED, ident, value)
        for fd in fds:
            os.close(fd)

    def report_exits(self):
        # WNOWAIT: the child stays a zombie until the client releases it, so a pid the
        # client still knows is never reused by another process.
        for pid, reported in list(self.children.items()):
            if reported:
                continue
            try:
                info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                info = None
                self.children.pop(pid)
            if info is None:
                continue
            value = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
            self.children[pid] = True
            self.send(_pool.FS_EXITED, pid, value)

    # -- preparing --------------------------------------------------------------------------
    def prepare(self, config_id, setup):
        import importlib
        import time
        import warnings
        started = time.perf_counter()
        sys.path[:] = setup["sys_path"]
        failed, refused, why = [], None, None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name in setup["modules"]:
                if name in sys.modules:
                    continue
                try:
                    importlib.import_module(name)
                except BaseException:  # the workers import it themselves if they need it
                    failed.append(name)
                why = _refusal()
                if why is not None:
                    refused = name
                    break
            if refused is None and setup["main"] is not None and self.imported_main is None:
                self.imported_main = _import_main(setup["main"])
                why = _refusal()
                if why is not None:
                    refused = "__main__"
        self.configs[config_id] = setup
        return {"failed": failed, "refused": refused, "why": why, "main": bool(self.imported_main),
                "seconds": time.perf_counter() - started, "modules": len(sys.modules)}

    # -- forking ------------------------------------------------------------------------------
    def fork(self, ident, config_id, arguments, fds):
        if len(fds) != 1 or config_id not in self.configs:
            self.send(_pool.FS_FORK_FAILED, ident, 22, b"bad fork request")
            return
        try:
            pid = os.fork()
        except OSError as exc:
            self.send(_pool.FS_FORK_FAILED, ident, exc.errno or 0, str(exc).encode())
            return
        if pid == 0:
            code = 1
            try:
                self.become_worker(fds[0], self.configs[config_id], arguments)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                # atexit handlers run, as at a spawned worker's exit (the user's, and
                # those of modules the server imported); the interpreter's teardown of
                # every module does not, as in multiprocessing's forked workers.
                try:
                    import atexit
                    atexit._run_exitfuncs()
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        self.children[pid] = False
        self.send(_pool.FS_FORKED, ident, pid)

    def become_worker(self, fd, setup, arguments):
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        self.sock.close()
        os.close(self.wake_read)
        os.close(self.wake_write)
        environ = setup["environ"]
        os.environ.clear()
        os.environ.update(environ)
        for name in setup["thread_variables"]:
            os.environ.setdefault(name, str(setup["thread_share"]))
        for name in [n for n in os.environ if n.startswith(("PMI_", "PMIX_", "OMPI_COMM_WORLD_"))]:
            del os.environ[name]
        try:
            os.chdir(setup["cwd"])
        except OSError:
            pass
        _set_blas_threads(os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"))
        sys.path[:] = setup["sys_path"]
        # A fork copies the generators' state: reseed them, as a fresh interpreter would be
        # (os.fork reseeds `random` itself).
        numpy_random = sys.modules.get("numpy.random")
        if numpy_random is not None:
            numpy_random.seed()
        slot, owner, prefix = arguments.split("\x1f")
        _worker.main([str(fd), slot, owner, str(self.pid), prefix])


def main(accel_dir):
    _install_lazy_accel(accel_dir)
    Server(socket.socket(fileno=3)).serve()
