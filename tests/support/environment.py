"""The repository, and commands run the way the course runs them: the venv first on PATH, kernels on Unix sockets."""
import os
import socket
import subprocess
import sys
from pathlib import Path

from grader.config import with_venv_on_path

REPO = Path(__file__).resolve().parents[2]
CORES = os.cpu_count() or 2


def env():
    """The environment for nbgrader and jupyter commands."""
    config_path = os.pathsep.join(filter(None, [str(REPO / "tests" / "jupyter_config"),
                                                os.environ.get("JUPYTER_CONFIG_PATH")]))
    return {**with_venv_on_path(), "JUPYTER_CONFIG_PATH": config_path}


def run(cmd, cwd, timeout=1800):
    """Run a command; on failure show everything it printed."""
    proc = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
                             f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


def python_module(module, *args):
    """The command that runs `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *map(str, args)]


def on_a_free_port(start, attempts=3):
    """`start(port)` on a port free on loopback; tried again on another while it returns None.

    `start` returns None when another process took the port between its choice and
    the server binding it, and raises for any other failure.
    """
    for _ in range(attempts):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        started = start(port)
        if started is not None:
            return started
    raise AssertionError(f"another process took the chosen port {attempts} times in a row")
