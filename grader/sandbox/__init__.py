"""The sandbox a graded kernel runs in, and how the grader sets it up.

The grader installs a kernelspec whose command is `python -m grader.sandbox`.
Settings travel in the environment (COURSE_SANDBOX_*). Before the real kernel
starts, as far as the machine allows:

- resource limits: address space, processes, file size;
- with root: private mount and network namespaces. The course folder, the
  grader's work folder and home folders are hidden behind empty file systems,
  except the Python environment and the course package (read-only) and the
  kernel's own folder; /tmp is private; there is no network. Files that must
  not be read (the references of the lesson being graded) are covered by stubs;
- with root: an unprivileged user id of its own, so that its processes can be
  counted and killed;
- a scrubbed environment: no tokens or other secrets, one thread for BLAS.

The kernel talks to the grader over IPC sockets in its own folder, which is
why it needs no network.
"""
import json
import os
import shutil
import signal
import sys
from pathlib import Path

KEEP_ENV = ("LANG", "LC_ALL", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "JPY_PARENT_PID", "TZ")


def sandbox_uid():
    """The user id this worker's kernels run as (root only), or None."""
    return 61000 + os.getpid() % 4000 if os.geteuid() == 0 else None


def settings(sandbox, limits, uid=None, hide=(), keep=(), stubs=None, pythonpath=""):
    """The environment variables that configure the launcher.

    `stubs` maps files to cover to the text they show instead.
    """
    return {
        "COURSE_SANDBOX_PYTHONPATH": str(pythonpath),
        "COURSE_SANDBOX_DIR": str(sandbox),
        "COURSE_SANDBOX_UID": "" if uid is None else str(uid),
        "COURSE_SANDBOX_HIDE": json.dumps([str(p) for p in hide]),
        "COURSE_SANDBOX_KEEP": json.dumps([str(p) for p in keep]),
        "COURSE_SANDBOX_STUBS": json.dumps({str(k): v for k, v in (stubs or {}).items()}),
        "COURSE_SANDBOX_LIMITS": json.dumps({"memory_mb": limits.memory_mb, "nproc": limits.nproc,
                                             "fsize_mb": limits.fsize_mb}),
    }


def install_kernelspec(kernels_dir, env):
    """Write a 'python3' kernelspec that starts kernels through the launcher."""
    spec = Path(kernels_dir) / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "grader.sandbox", "-f", "{connection_file}"],
        "display_name": "Python 3 (graded in a sandbox)",
        "language": "python",
        "env": env,
        "metadata": {"debugger": False},
    }))
    return Path(kernels_dir)


def prepare(sandbox):
    """A kernel folder with matplotlib's font cache (the launcher hands it to the sandbox user)."""
    sandbox = Path(sandbox)
    (sandbox / ".matplotlib").mkdir(parents=True, exist_ok=True)
    try:
        import matplotlib
        for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy(cache, sandbox / ".matplotlib" / cache.name)
    except Exception:  # noqa: BLE001 (a missing cache only costs the kernel time)
        pass
    return sandbox


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
