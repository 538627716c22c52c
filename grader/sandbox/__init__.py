"""The sandbox a graded kernel runs in: bubblewrap, started by the launcher `python -m grader.sandbox`.

- With root, the kernel runs as a fresh user id of its own (grader.sandbox.uids),
  in PID, mount, IPC, UTS and network namespaces.
- Without root, the same namespaces come from an unprivileged user namespace
  ("rootless"), where the machine allows one.
- Where neither works, grading refuses unless --no-sandbox is given, and every
  row it writes says the kernel was not sandboxed.

What the kernel sees is listed in grader.sandbox.bwrap. Its limits: address
space, file size, processes (with a uid of its own), and the size of every
file system it can write to.
"""
import json
import os
import sys
from pathlib import Path

from grader.sandbox import bwrap
from grader.sandbox.spec import Spec

__all__ = ["KEEP_ENV", "Spec", "font_caches", "install_kernelspec", "mode"]

KEEP_ENV = ("LANG", "LC_ALL", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "TZ")


def mode(wanted=True):
    """("root" | "rootless" | "none", why the sandbox is off or None)."""
    if not wanted:
        return "none", "--no-sandbox was given"
    tried = "root" if os.geteuid() == 0 else "rootless"
    why = bwrap.available(tried)
    return (tried, None) if why is None else ("none", why)


def font_caches():
    """matplotlib's font list files on this machine (a kernel without them spends seconds building one)."""
    try:
        import matplotlib
        from matplotlib import font_manager  # noqa: F401 (builds the font list here once, if there is none)
        return tuple(str(p) for p in sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")))
    except Exception:  # noqa: BLE001 (a missing cache only costs the kernel time)
        return ()


def install_kernelspec(kernels_dir, spec):
    """Write a 'python3' kernelspec that starts kernels in the sandbox of `spec` (directly, for mode "none")."""
    folder = Path(kernels_dir) / "kernels" / "python3"
    folder.mkdir(parents=True, exist_ok=True)
    if spec.mode == "none":
        (Path(spec.host_dir) / "sockets").mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--HistoryManager.enabled=False"]
    else:
        argv = [sys.executable, "-m", "grader.sandbox", "-f", "{connection_file}"]
    (folder / "kernel.json").write_text(json.dumps({
        "argv": argv, "display_name": "Python 3 (graded in a sandbox)", "language": "python",
        "env": spec.to_env(), "interrupt_mode": "message", "metadata": {"debugger": False}}))
    return Path(kernels_dir)
