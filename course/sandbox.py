"""Start a grading kernel in a sandbox: `python -m course.sandbox -f CONNECTION_FILE`.

The grader installs a kernelspec whose command is this module. Settings come
in the environment (COURSE_SANDBOX_*). Before the real kernel starts, as far as
the machine allows:

- resource limits: address space, processes, file size;
- with root: private mount and network namespaces. The course folder, the
  grader's work folder and home folders are hidden behind empty file systems,
  except the Python environment and the course package (read-only) and the
  kernel's own folder; /tmp is private; there is no network;
- with root: an unprivileged user id of its own, so that its processes can be
  counted and killed;
- a scrubbed environment: no tokens or other secrets, one thread for BLAS.

The kernel talks to the grader over IPC sockets in its own folder, which is
why it needs no network.
"""
import ctypes
import json
import os
import resource
import shutil
import signal
import sys
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
KEEP_ENV = ("LANG", "LC_ALL", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "JPY_PARENT_PID", "TZ")


def settings(sandbox, uid=None, hide=(), keep=(), memory_mb=4096, nproc=64, fsize_mb=64, pythonpath=""):
    """The environment variables that configure the launcher."""
    return {
        "COURSE_SANDBOX_PYTHONPATH": str(pythonpath),
        "COURSE_SANDBOX_DIR": str(sandbox),
        "COURSE_SANDBOX_UID": "" if uid is None else str(uid),
        "COURSE_SANDBOX_HIDE": json.dumps([str(p) for p in hide]),
        "COURSE_SANDBOX_KEEP": json.dumps([str(p) for p in keep]),
        "COURSE_SANDBOX_LIMITS": json.dumps({"memory_mb": memory_mb, "nproc": nproc, "fsize_mb": fsize_mb}),
    }


def install_kernelspec(kernels_dir, env):
    """Write a 'python3' kernelspec that starts kernels through this launcher."""
    spec = Path(kernels_dir) / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "course.sandbox", "-f", "{connection_file}"],
        "display_name": "Python 3 (graded in a sandbox)",
        "language": "python",
        "env": env,
        "metadata": {"debugger": False},
    }))
    return Path(kernels_dir)


MS_RDONLY, MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 1, 32, 4096, 8192, 16384, 1 << 18
_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source, target, fstype=None, flags=0, data=None):
    """mount(2), without starting a `mount` process for each call."""
    encode = lambda value: None if value is None else str(value).encode()  # noqa: E731
    if _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} on {target}: {os.strerror(errno)}")


def _isolate_filesystem(sandbox, hide, keep):
    """Private mounts: empty file systems over `hide`, with `keep` paths put back."""
    if _libc.unshare(CLONE_NEWNS | CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    _mount(None, "/", flags=MS_REC | MS_PRIVATE)
    stage = Path("/mnt")
    _mount("tmpfs", stage, "tmpfs", data="mode=0700")
    kept = []
    private = ("/tmp", "/var/tmp", "/dev/shm")
    for i, path in enumerate(keep):
        if Path(path).exists() and any(Path(path).is_relative_to(h) for h in (*hide, *private)):
            target = stage / f"keep{i}"
            target.mkdir()
            _mount(path, target, flags=MS_BIND)
            kept.append((path, target))
    for path in hide:
        if Path(path).is_dir():
            _mount("tmpfs", path, "tmpfs", data="mode=0755,size=1m")
    for shared in private:
        if Path(shared).is_dir():
            _mount("tmpfs", shared, "tmpfs", data="mode=1777,size=256m")
    for path, target in kept:
        Path(path).mkdir(parents=True, exist_ok=True)
        _mount(target, path, flags=MS_MOVE)
        if Path(path) != Path(sandbox):
            _mount(None, path, flags=MS_REMOUNT | MS_BIND | MS_RDONLY)


def _kill_leftovers(uid):
    """Kill every process of a sandbox user id (its kernel has exited)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass


def cleanup(uid=None, pgid=None):
    """Kill what a graded kernel left running: its process group, and its user's processes."""
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
    if uid is not None:
        _kill_leftovers(uid)


def main(argv):
    connection_file = argv[argv.index("-f") + 1]
    sandbox = Path(os.environ["COURSE_SANDBOX_DIR"])
    uid = int(os.environ["COURSE_SANDBOX_UID"]) if os.environ.get("COURSE_SANDBOX_UID") else None
    hide = json.loads(os.environ.get("COURSE_SANDBOX_HIDE", "[]"))
    keep = json.loads(os.environ.get("COURSE_SANDBOX_KEEP", "[]"))
    limits = json.loads(os.environ.get("COURSE_SANDBOX_LIMITS", "{}"))
    try:
        os.setsid()
    except OSError:  # already leads its own session
        pass

    notes = []
    own_copy = sandbox / "connection.json"
    if Path(connection_file).resolve() != own_copy.resolve():  # it may sit where the sandbox cannot see
        shutil.copy(connection_file, own_copy)
        connection_file = str(own_copy)
    if os.geteuid() == 0 and uid is not None:
        try:
            _isolate_filesystem(sandbox, hide, [*keep, str(sandbox)])
        except OSError as error:
            notes.append(f"no private mounts or network: {error}")
        os.chown(connection_file, uid, uid)
        for path in sandbox.rglob("*"):
            if not path.is_symlink():
                os.chown(path, uid, uid)
        os.chown(sandbox, uid, uid)

    mb = 1024 * 1024
    if limits.get("memory_mb"):
        resource.setrlimit(resource.RLIMIT_AS, (limits["memory_mb"] * mb,) * 2)
    if limits.get("fsize_mb"):
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize_mb"] * mb,) * 2)
    if limits.get("nproc") and uid is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"],) * 2)

    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.update(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", HOME=str(sandbox), TMPDIR="/tmp",
               MPLCONFIGDIR=str(sandbox / ".matplotlib"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", USER="sandbox", LOGNAME="sandbox",
               COURSE_SANDBOX_NOTES=json.dumps(notes))
    if os.environ.get("COURSE_SANDBOX_PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["COURSE_SANDBOX_PYTHONPATH"]
    os.chdir(sandbox)
    if os.geteuid() == 0 and uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.execve(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file,
                               "--HistoryManager.enabled=False"], env)


def prepare(sandbox):
    """A kernel folder with matplotlib's font cache (the launcher hands it to the sandbox user)."""
    sandbox = Path(sandbox)
    (sandbox / ".matplotlib").mkdir(parents=True, exist_ok=True)
    try:
        import matplotlib
        for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy(cache, sandbox / ".matplotlib" / cache.name)
    except Exception:  # a missing cache only costs the kernel time
        pass
    return sandbox


if __name__ == "__main__":
    main(sys.argv[1:])
