"""`make lab` in a copy of the repo, for the lab and browser tests."""
import http.cookiejar
import os
import shutil
import signal
import subprocess
import time
import urllib.request

from tests.support.environment import REPO, env, on_a_free_port

TOKEN = "course-test-token"
SKIP = shutil.ignore_patterns(".git", ".venv", "workspace", "gradebook.db", "submitted", "feedback",
                              ".pytest_cache", "__pycache__", "artifacts", ".ipynb_checkpoints", "*.egg-info")


def start_lab(base):
    """`make lab` running in a copy of the repo (mtimes kept, the venv shared), answering HTTP."""
    # The copy shares the venv: bring it up to date first, or the copy's `make lab` would reinstall
    # the course package from itself into the shared venv.
    subprocess.run(["make", "setup"], cwd=REPO, env=env(), check=True, capture_output=True)
    copy = base / "course"
    shutil.copytree(REPO, copy, ignore=SKIP, copy_function=shutil.copy2)
    os.symlink(REPO / ".venv", copy / ".venv")
    mine = copy / "workspace" / "01_notation" / "notation.ipynb"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own work")
    log = copy / "lab.log"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def start(port):
        # Lab workspaces go into the copy, not the home folder.
        proc = subprocess.Popen(["make", "lab", f"PORT={port}", f"TOKEN={TOKEN}",
                                 f"LAB_ARGS=--no-browser --LabApp.workspaces_dir={copy / '.lab-workspaces'}"],
                                cwd=copy, env=env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
                                start_new_session=True)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                if "already in use" in log.read_text():
                    return None
                raise AssertionError("make lab exited:\n" + log.read_text()[-3000:])
            try:
                opener.open(f"{base_url}/api?token={TOKEN}", timeout=5)
                return {"base": base_url, "open": opener.open, "dir": copy, "port": port, "process": proc}
            except OSError:
                if time.monotonic() > deadline:
                    stop(proc)
                    raise AssertionError("JupyterLab did not answer:\n" + log.read_text()[-3000:]) from None
                time.sleep(1)

    return on_a_free_port(start)


def stop(proc):
    """Stop `make lab` and the server it started: they share a session of their own."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
