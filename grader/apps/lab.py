"""`python -m course lab [--instructor]`: JupyterLab on the course, for a learner or for an instructor.

The learner's lab loads only the learner's nbgrader tools (Validate, the assignment list) and opens on
workspace/START_HERE.md; the instructor's adds the formgrader, the course list and Create Assignment.
Which is which lives in etc/jupyter/<kind>/, a Jupyter config folder put first on JUPYTER_CONFIG_PATH
(nbgrader's documented switches: a labextension's `disabledExtensions` in labconfig/page_config.json, a
server extension's `jpserver_extensions` in jupyter_server_config.d/), so nothing of the user's own
Jupyter settings changes.

JupyterLab logs warnings only; the addresses are printed once the server answers, so they stay the
last lines on the terminal. Every other argument goes to `jupyter lab` as it is.
"""
import errno
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from grader.apps.start import START_PAGE

KINDS = ("learner", "instructor")
EXCHANGE = ".exchange"  # the learner's nbgrader exchange (etc/jupyter/learner/nbgrader_config.py)


def config_dir(course, kind):
    return Path(course, "etc", "jupyter", kind)


def environment(course, kind, environ=None):
    """`environ` with the kind's Jupyter config folder first on JUPYTER_CONFIG_PATH."""
    environ = dict(os.environ if environ is None else environ)
    environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        filter(None, [str(config_dir(course, kind)), environ.get("JUPYTER_CONFIG_PATH")]))
    return environ


def start_path(kind):
    """What the lab opens first: the learner's start page, the instructor's source notebooks."""
    return f"workspace/{START_PAGE}" if kind == "learner" else "source"


def command(course, kind, port, token, extra):
    return ["jupyter", "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course}",
            f"--LabApp.default_url=/lab/tree/{start_path(kind)}",  # LabApp sets ServerApp.default_url
            "--ServerApp.log_level=WARN", "--LabApp.log_level=WARN", *extra]


def addresses(kind, port, token):
    """[(label, URL)] printed once the server answers."""
    base, query = f"http://127.0.0.1:{port}", f"?token={token}"
    rows = [("Start page", f"{base}/lab/tree/workspace/{START_PAGE}{query}"),
            ("Your notebooks", f"{base}/lab/tree/workspace{query}")]
    if kind == "instructor":
        rows = [("Source notebooks", f"{base}/lab/tree/source{query}"),
                ("Formgrader", f"{base}/formgrader{query}"),
                *rows]
    return rows


def banner(kind, port, token):
    width = max(len(label) for label, _ in addresses(kind, port, token)) + 2
    lines = ["", f"  The course is open in JupyterLab ({kind}'s tools):", ""]
    lines += [f"  {label + ':':{width}} {url}" for label, url in addresses(kind, port, token)]
    if kind == "instructor":
        lines.append(f"  {'':{width}} Create Assignment: open a notebook in source/, then Nbgrader → Create assignment")
    lines += ["", "  Stop it with Ctrl-C, twice.", ""]
    return "\n".join(lines)


def port_is_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main(*, course, kind, port, token, extra):
    if not port_is_free(port):
        print(f"The port {port} is already in use: choose another one, e.g. `make lab PORT={port + 1}`.",
              file=sys.stderr)
        return 1
    if kind == "learner":
        Path(course, EXCHANGE).mkdir(exist_ok=True)
    # Ctrl-C reaches JupyterLab too, which asks whether to stop: this process waits for its answer.
    signal.signal(signal.SIGINT, lambda *_: None)
    server = subprocess.Popen(command(course, kind, port, token, extra), env=environment(course, kind))
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    while server.poll() is None and not answers(port):
        time.sleep(0.5)
    if server.poll() is None:
        print(banner(kind, port, token), flush=True)
    return server.wait()
