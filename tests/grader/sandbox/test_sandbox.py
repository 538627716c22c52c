"""The graded kernel's sandbox, probed from inside: what it can see, write, reach and leave behind."""
import json
import os
import signal
import time
from pathlib import Path

import pytest

from grader import sandbox
from grader.records import Limits
from grader.references import package_folder
from grader.sandbox import uids
from tests.support.environment import REPO
from tests.support.sandboxed import sandboxed_kernel

pytestmark = pytest.mark.skipif(sandbox.mode()[0] == "none", reason=f"no sandbox here: {sandbox.mode()[1]}")
ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="a uid of its own needs root")


def _status(kernel):
    return dict(line.split(":\t", 1) for line in kernel.run("print(open('/proc/self/status').read())").splitlines()
                if ":\t" in line)


def _with_marker(marker):
    """Processes whose command line holds `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def _gone(marker, seconds=10):
    deadline = time.monotonic() + seconds
    while _with_marker(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _with_marker(marker)


DAEMON = """import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sleep", ["sleep", "{marker}"])
    os._exit(0)
time.sleep(0.5)
print("started")"""


@ROOT
def test_each_kernel_runs_as_a_fresh_uid_of_its_own_without_capabilities():
    seen = []
    for _ in range(2):
        with sandboxed_kernel() as kernel:
            status = _status(kernel)
            uid = int(status["Uid"].split()[0])
            assert uids.FIRST <= uid < uids.FIRST + uids.COUNT and uid == kernel.spec.uid
            assert set(status["Uid"].split()) == {str(uid)} and set(status["Gid"].split()) == {str(uid)}
            assert status["CapEff"].strip() == status["CapPrm"].strip() == "0000000000000000"
            assert status["Groups"].strip() == ""
            seen.append(uid)
    assert seen[0] != seen[1], "a uid was used twice"


def test_nothing_of_the_host_is_visible_but_python_and_the_course_package():
    with sandboxed_kernel() as kernel:
        seen = json.loads(kernel.run(f"""import json, os
paths = {[str(REPO / "source"), str(REPO / "grader"), str(REPO / "gradebook.db"), str(REPO / "nbgrader_config.py"),
          str(REPO / "release"), "/etc/shadow", "/home", "/var/lib", "/root/.ssh", "/run/course-grader"]!r}
print(json.dumps({{"exists": [p for p in paths if os.path.exists(p)], "repo": sorted(os.listdir({str(REPO)!r})),
                  "root": sorted(os.listdir("/")), "cwd": os.getcwd()}}))"""))
    assert seen["exists"] == []
    assert set(seen["repo"]) <= {"course", ".venv"}, "only the course package (and a venv inside it) shows"
    assert set(seen["root"]) <= {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin",
                                 "tmp", "usr", *{Path(p).parts[1] for p in kernel.spec.read_only}}
    assert seen["cwd"] == "/tmp/student"


def test_only_the_capped_folders_can_be_written():
    with sandboxed_kernel() as kernel:
        folders = ["/usr/lib", str(package_folder()), os.path.dirname(os.__file__), "/etc", "/", "/run"]
        result = json.loads(kernel.run(f"""import json, os
def writable(folder):
    try:
        with open(os.path.join(folder, "probe.txt"), "w") as f:
            f.write("x")
        return True
    except OSError:
        return False
print(json.dumps({{f: writable(f) for f in {folders + [".", "/tmp", "/dev/shm"]!r}}}))"""))
    assert result == {**{f: False for f in folders}, ".": True, "/tmp": True, "/dev/shm": True}


def test_the_graded_lessons_references_show_only_stubs():
    with sandboxed_kernel("04_nn_class") as kernel:
        out = json.loads(kernel.run("""import json, os, course
folder = os.path.join(os.path.dirname(course.__file__), "reference")
cache = os.path.join(folder, "__pycache__")
print(json.dumps({"nn": open(os.path.join(folder, "nn.py")).read(),
                  "cache": os.listdir(cache) if os.path.isdir(cache) else []}))"""))
    assert out["nn"].startswith("raise ImportError(") and "def " not in out["nn"]
    assert out["cache"] == [], "compiled references would give the answers away"


def test_there_is_no_network():
    with sandboxed_kernel() as kernel:
        out = kernel.run("""import socket
for address in [("1.1.1.1", 53), ("127.0.0.1", 5432)]:
    try:
        socket.create_connection(address, timeout=2)
        print("reached", address)
    except OSError as error:
        print("refused", error.errno)""")
    assert "reached" not in out and out.count("refused") == 2


def test_a_disk_filling_loop_fills_only_the_capped_space():
    with sandboxed_kernel(limits=Limits(disk_mb=64)) as kernel:
        out = json.loads(kernel.run("""import json, os
written = {}
for folder in [".", "/tmp", "/dev/shm"]:
    total, error = 0, None
    try:
        for i in range(64):  # 1 GiB in 16 MiB files
            with open(os.path.join(folder, f"fill{i}"), "wb") as f:
                f.write(b"x" * (16 << 20))
            total += 16
    except OSError as e:
        error = e.strerror
    written[folder] = [total, error]
print(json.dumps(written))"""))
    for folder, (megabytes, error) in out.items():
        assert error == "No space left on device" and megabytes <= 64, (folder, megabytes, error)


def test_an_interrupt_stops_the_cell_and_keeps_the_kernel():
    with sandboxed_kernel() as kernel:
        kernel.run("x = 41")
        msg_id = kernel.kc.execute("while True: pass")
        time.sleep(1)
        kernel.km.interrupt_kernel()
        reply = kernel.kc.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["ename"] == "KeyboardInterrupt"
        time.sleep(1)  # ipykernel aborts what arrives just after an error
        assert kernel.run("print(x + 1)").strip() == "42"


def test_a_daemon_dies_with_its_kernel():
    marker = f"4242.{os.getpid()}1"
    with sandboxed_kernel() as kernel:
        assert kernel.run(DAEMON.format(marker=marker)).strip() == "started"
        assert _with_marker(marker), "the daemon did not start"
        kernel.stop()
        assert _gone(marker), "a daemon outlived its kernel"
        if kernel.spec.uid is not None:
            assert uids.running_as(kernel.spec.uid) == []


def test_a_daemon_dies_when_the_launcher_is_killed():
    marker = f"4242.{os.getpid()}2"
    with sandboxed_kernel() as kernel:
        assert kernel.run(DAEMON.format(marker=marker)).strip() == "started"
        os.kill(kernel.launcher_pid(), signal.SIGKILL)
        assert _gone(marker), "the sandbox outlived its launcher"  # checked before the uid is given back
