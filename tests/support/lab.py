"""`make lab` and `make instructor`, each in a fresh clone of the repo, for the lab and browser tests."""
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

from tests.support.environment import REPO, env, on_a_free_port

TOKEN = "course-test-token"
SKIP = shutil.ignore_patterns(".git", ".venv", "workspace", "gradebook.db", "submitted", "feedback",
                              ".pytest_cache", "__pycache__", "artifacts", ".ipynb_checkpoints", "*.egg-info")
TARGETS = {"learner": "lab", "instructor": "instructor"}
# What the shared venv was installed from: given the repo's times, so that the clone's make finds it up to date.
VENV_INPUTS = ["requirements.txt", "requirements-dev.txt", "pyproject.toml", "etc/overrides.json"]
LAST_LINE = "Stop it with Ctrl-C"  # the end of the addresses that `make lab` prints
_SETUP = threading.Lock()  # the two labs start side by side: one `make setup` in the repo at a time


def fresh_clone(base):
    """A git clone of the working tree as it stands (committed in a scratch repo first), sharing the venv.

    A clone gives every file the time of its checkout, as a learner's `git clone` does.
    """
    snapshot = base / "snapshot"
    shutil.copytree(REPO, snapshot, ignore=SKIP)
    git = ["git", "-c", "user.name=course-tests", "-c", "user.email=tests@course.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run([*git, *command], cwd=snapshot, check=True, capture_output=True)
    copy = base / "course"
    subprocess.run(["git", "clone", "-q", str(snapshot), str(copy)], check=True, capture_output=True)
    os.symlink(REPO / ".venv", copy / ".venv")
    for name in VENV_INPUTS:
        if (REPO / name).exists():
            shutil.copystat(REPO / name, copy / name)
    return copy


def start_lab(base, kind="learner"):
    """`make lab` (learner) or `make instructor` running in a fresh clone of the repo, answering HTTP.

    Returns {"base", "open", "dir", "port", "process", "kind", "printed"}: `printed` is everything make
    printed until its last address line.
    """
    # The clone shares the venv: bring it up to date first, or the clone's make would reinstall the
    # course package from itself into the shared venv.
    with _SETUP:
        subprocess.run(["make", "setup"], cwd=REPO, env=env(), check=True, capture_output=True)
    copy = fresh_clone(base)
    mine = copy / "workspace" / "01_notation" / "notation.ipynb"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own work")
    log = copy / "lab.log"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def start(port):
        # Lab workspaces go into the copy, not the home folder; window.jupyterapp shows the browser tests
        # which commands the lab has.
        lab_args = (f"--no-browser --LabApp.workspaces_dir={copy / '.lab-workspaces'} "
                    "--LabApp.expose_app_in_browser=True")
        proc = subprocess.Popen(["make", TARGETS[kind], f"PORT={port}", f"TOKEN={TOKEN}", f"LAB_ARGS={lab_args}"],
                                cwd=copy, env=env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
                                start_new_session=True)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                if "already in use" in log.read_text() or "is not available" in log.read_text():
                    return None
                raise AssertionError(f"make {TARGETS[kind]} exited:\n" + log.read_text()[-3000:])
            try:
                opener.open(f"{base_url}/api?token={TOKEN}", timeout=5)
                if LAST_LINE in log.read_text():
                    return {"base": base_url, "open": opener.open, "dir": copy, "port": port, "process": proc,
                            "kind": kind, "printed": log.read_text()}
            except OSError:
                pass
            if time.monotonic() > deadline:
                stop(proc)
                raise AssertionError("JupyterLab did not answer:\n" + log.read_text()[-3000:])
            time.sleep(0.5)

    return on_a_free_port(start)


def stop(proc):
    """Stop make and the server it started: they share a session of their own."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def api(lab, method, path):
    """A call of the lab server's REST API, as the test's token; its JSON answer, or None."""
    request = urllib.request.Request(f"{lab['base']}{path}", method=method,
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return json.loads(body) if body else None
