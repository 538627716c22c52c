"""Start a graded kernel in its sandbox: `python -m grader.sandbox -f CONNECTION_FILE` (see grader.sandbox).

This launcher stays outside, as bwrap's parent: it hands the kernel its
connection file, links the kernel's socket folder into the grader's folder
(through /proc/<pid>/root), and takes the sandbox down if the grader goes.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from grader.sandbox import KEEP_ENV, bwrap
from grader.sandbox.spec import Spec

INNER = (Path(__file__).parent / "inner.py").read_text()


def kernel_env(spec, environ):
    env = {k: environ[k] for k in KEEP_ENV if k in environ}
    env.update(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", HOME=bwrap.WORK, TMPDIR="/tmp",
               MPLCONFIGDIR=f"{bwrap.WORK}/.matplotlib", MPLBACKEND="module://matplotlib_inline.backend_inline",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
               USER="student", LOGNAME="student", SHELL="/bin/sh")
    if spec.pythonpath:
        env["PYTHONPATH"] = spec.pythonpath
    return env


def _stubs(spec, host):
    folder = host / "stubs"
    folder.mkdir(exist_ok=True)
    made = {}
    for i, (covered, text) in enumerate(sorted(spec.stubs.items())):
        if Path(covered).is_file():
            made[covered] = folder / f"stub{i}.py"
            made[covered].write_text(text)
    return made


def _link(host, pid):
    """Point host/sockets at the sandbox's socket folder, where the grader's client connects."""
    tmp = host / "sockets.new"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(f"/proc/{pid}/root{bwrap.SOCKETS}")
    tmp.replace(host / "sockets")


def _watch_parent(proc):
    parent = os.getppid()
    while proc.poll() is None:
        if os.getppid() != parent:  # the grader is gone: so is its sandbox
            proc.kill()
            return
        time.sleep(0.5)


def main(argv):
    connection_file = argv[argv.index("-f") + 1]
    spec = Spec.from_env()
    host = Path(spec.host_dir)
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", f"{bwrap.SOCKETS}/connection.json",
              "--HistoryManager.enabled=False"]
    info = json.loads(Path(connection_file).read_text())
    info.update(transport="ipc", ip=f"{bwrap.SOCKETS}/kernel")
    inside = host / "inner-connection.json"
    inside.write_text(json.dumps(info))
    inside.chmod(0o644)
    settings = {"uid": spec.uid, "memory_mb": spec.memory_mb, "fsize_mb": spec.fsize_mb, "nproc": spec.nproc,
                "work": bwrap.WORK, "argv": kernel, "env": kernel_env(spec, os.environ)}
    command = [sys.executable, "-I", "-S", "-c", INNER, json.dumps(settings)]
    read_info, write_info = os.pipe()
    args = bwrap.argv(spec, inside, _stubs(spec, host), command)
    args[1:1] = ["--info-fd", str(write_info)]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts reach the kernel as messages
    # bwrap's init keeps this environment, readable in the sandbox: give it nothing but PATH
    proc = subprocess.Popen(args, pass_fds=(write_info,), env={"PATH": "/usr/bin:/bin"})
    os.close(write_info)
    with os.fdopen(read_info) as stream:
        text = stream.read()
    try:
        _link(host, json.loads(text)["child-pid"])
    except (ValueError, KeyError):
        print(f"the sandbox did not start: {text[:300]}", file=sys.stderr)
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT"):
        signal.signal(getattr(signal, name), lambda *_: proc.kill())
    threading.Thread(target=_watch_parent, args=(proc,), daemon=True).start()
    sys.exit(proc.wait())


if __name__ == "__main__":
    main(sys.argv[1:])
