"""Shared fixtures. The heavy ones start in the background as soon as the tests are collected.

Grading with nbgrader, validating and running notebooks cost seconds per
notebook, mostly in separate processes. Once pytest knows which tests it will
run, every heavy job those tests need starts at once in a thread pool, so the
processes overlap instead of waiting for each other; the fixtures then wait
for their job's result.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from course.assignments import read

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 2


def env():
    """The environment for nbgrader and jupyter commands: the venv first on PATH, kernels on Unix sockets."""
    config_path = os.pathsep.join(filter(None, [str(REPO / "tests" / "jupyter_config"),
                                                os.environ.get("JUPYTER_CONFIG_PATH")]))
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "JUPYTER_CONFIG_PATH": config_path}


def run(cmd, cwd, timeout=1800):
    """Run a command; on failure show everything it printed."""
    proc = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
                             f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


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


def make_course(dest):
    """A scratch course: the repo's config and source assignments, nothing else."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "nbgrader_config.py", dest)
    shutil.copytree(REPO / "source", dest / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


def grading_course(dest):
    """A scratch course for `python -m course grade`: config, source and release, no gradebook yet."""
    course = make_course(dest)
    shutil.copytree(REPO / "release", course / "release")
    return course


def submit(course, assignment, by_student):
    """Write {student: {file name: bytes}} under submitted/."""
    for student, files in by_student.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


def sandbox_processes():
    """Processes owned by the grader's sandbox user ids (61000-64999)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and 61000 <= entry.stat().st_uid < 65000:
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def assignment_names():
    return sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


class Graded:
    """Scores from real `nbgrader autograde` runs, one per scratch course copy."""

    def __init__(self):
        self.scores, self.course_of = {}, {}

    def load(self, course):
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for a in assignment_names():
                for sub in gb.assignment_submissions(a):
                    self.scores[a, sub.student.id] = {g.name: (g.score, g.max_score)
                                                      for nb in sub.notebooks for g in nb.grades}
                    self.course_of[a, sub.student.id] = course

    def cells(self, assignment, student):
        """{test cell grade_id: (score, max score)}"""
        return self.scores[assignment, student]

    def total(self, assignment, student):
        cells = self.cells(assignment, student).values()
        return sum(s for s, _ in cells), sum(m for _, m in cells)

    def autograded(self, assignment, student):
        course = self.course_of[assignment, student]
        return sorted((course / "autograded" / student / assignment).glob("*.ipynb"))

    def student_for(self, assignment, mistake):
        from cases import round_of
        source = read(sorted((REPO / "source" / assignment).glob("*.ipynb"))[0])
        return round_of(assignment, mistake, source)


class Jobs:
    """The session's heavy jobs, each started once and shared by the tests that need it."""

    def __init__(self, base):
        self.base = base
        self.pool = ThreadPoolExecutor(max_workers=8)
        self.futures = {}
        self.lab_process = None

    def get(self, name):
        if name not in self.futures:
            self.futures[name] = self.pool.submit(getattr(self, name))
        return self.futures[name].result()

    def start(self, names):
        for name in names:
            if name not in self.futures:
                self.futures[name] = self.pool.submit(getattr(self, name))

    def released(self):
        """A scratch course after one `nbgrader generate_assignment '*'`."""
        course = make_course(self.base / "released")
        run(["nbgrader", "generate_assignment", "*", "--force"], course)
        return course

    def graded(self):
        """Every submission case of every assignment, autograded by real nbgrader.

        The submissions are dealt out to one copy of the released course per
        core, and each copy runs one `nbgrader autograde '*'`, with a gradebook
        of its own. The feedback test's student also gets its feedback made.
        """
        from cases import CONFIG_CASES, FEEDBACK_MISTAKE, round_of, submissions

        released = self.get("released")
        copies = []
        for k in range(CORES):
            copy = self.base / f"graded{k}"
            shutil.copytree(released, copy)
            copies.append(copy)
        feedback_student = round_of(CONFIG_CASES, FEEDBACK_MISTAKE, read(next((released / "source" / CONFIG_CASES).glob("*.ipynb"))))
        feedback = None
        dealt = 0
        for a in assignment_names():
            for source_path in sorted((released / "source" / a).glob("*.ipynb")):
                source_nb = read(source_path)
                release_nb = read(released / "release" / a / source_path.name)
                for student, nb in submissions(a, release_nb, source_nb).items():
                    course = copies[dealt % CORES]
                    dealt += 1
                    dest = course / "submitted" / student / a / source_path.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    nbformat.write(nb, str(dest))
                    if a == CONFIG_CASES and student == feedback_student:
                        feedback = (course, a, student)

        def grade(course):
            run(["nbgrader", "autograde", "*", "--force"], course)
            if feedback and feedback[0] == course:
                run(["nbgrader", "generate_feedback", feedback[1], "--student", feedback[2], "--force"], course)

        list(ThreadPoolExecutor(CORES).map(grade, copies))
        result = Graded()
        for course in copies:
            result.load(course)
        result.feedback = feedback
        return result

    def validations(self):
        """nbgrader's Validator on every source and release notebook, in a process of its own."""
        import json
        out = self.base / "validations.json"
        run([sys.executable, str(REPO / "tests" / "workers.py"), "validate", str(out)], REPO)
        return json.loads(out.read_text())

    def learner_runs(self):
        """{assignment: executed notebook}: each release notebook answered and run outside nbgrader."""
        out = self.base / "learner"
        out.mkdir()
        run([sys.executable, str(REPO / "tests" / "workers.py"), "learn", str(out)], REPO)
        return {p.stem: read(p) for p in sorted(out.glob("*.ipynb"))}

    def battery(self):
        """Every adversarial case graded by `python -m course grade`, twice (the second run re-grades nothing)."""
        from adversaries import cases
        course = grading_course(self.base / "battery")
        host_tmp = Path(tempfile.mkdtemp(prefix="course-host-"))
        expected = cases(course, host_tmp)
        submit(course, "01_notation", {student: files for student, (files, _, _) in expected.items()})
        submit(course, "01_notation", {"correct": {"timestamp.txt": b"2026-11-20 10:00:00.000000 UTC",
                                                   "submission_secret.txt": b"a-secret-of-the-student"}})
        command = [sys.executable, "-m", "course", "--course", str(course), "grade", "--cell-timeout", "30",
                   "--memory", "2048"]
        first = run(command, REPO)
        leftovers = sandbox_processes()
        again = run(command, REPO)
        return {"course": course, "host_tmp": host_tmp, "expected": expected, "first": first, "again": again,
                "leftovers": leftovers}

    def plain_transformer(self):
        """The input-transformer cheat under plain `nbgrader autograde`, for comparison."""
        from adversaries import cases
        course = make_course(self.base / "plain")
        run(["nbgrader", "generate_assignment", "01_notation"], course)
        files, _, _ = cases(course, course)["transformer"]
        submit(course, "01_notation", {"transformer": files})
        run(["nbgrader", "autograde", "01_notation"], course)
        graded = Graded()
        graded.load(course)
        return graded.total("01_notation", "transformer")

    def dask_run(self):
        """Three submissions graded on a real Dask LocalCluster."""
        import json
        from adversaries import cases
        course = grading_course(self.base / "dask")
        chosen = {k: v for k, v in cases(course, course).items() if k in ("correct", "edited", "corrupt")}
        submit(course, "01_notation", {student: files for student, (files, _, _) in chosen.items()})
        out = self.base / "dask.json"
        run([sys.executable, str(REPO / "tests" / "workers.py"), "dask", str(course), str(out)], REPO)
        return {"rows": json.loads(out.read_text()), "expected": chosen}

    def killed_run(self):
        """A grading run killed after its first merge, then run again."""
        import signal
        from adversaries import cases
        course = grading_course(self.base / "killed")
        files = cases(course, course)["correct"][0]
        students = [f"student{k}" for k in range(4)]
        submit(course, "01_notation", {s: files for s in students})
        command = [sys.executable, "-m", "course", "--course", str(course), "grade", "--jobs", "1"]
        proc = subprocess.Popen(command, cwd=REPO, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 900
        while not list(course.glob("autograded/*/*/.course-grade.json")):
            assert proc.poll() is None and time.monotonic() < deadline, "the first grading run never merged anything"
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        merged = sorted(p.parent.parent.name for p in course.glob("autograded/*/*/.course-grade.json"))
        graded = Graded()
        graded.load(course)
        before = {s: graded.total("01_notation", s) for s in merged}
        rerun = run(command, REPO)
        after = Graded()
        after.load(course)
        return {"merged": merged, "before": before, "rerun": rerun.stderr + rerun.stdout,
                "after": {s: after.total("01_notation", s) for s in students}}

    def lab(self):
        from test_lab import start_lab
        info = start_lab(self.base / "lab")
        self.lab_process = info["process"]
        return info

    def close(self):
        if self.lab_process is not None:
            from test_lab import stop
            stop(self.lab_process)
        self.pool.shutdown(wait=False, cancel_futures=True)


HEAVY = ["lab", "released", "graded", "validations", "learner_runs", "battery", "plain_transformer", "dask_run",
         "killed_run"]


def pytest_collection_finish(session):
    needed = set()
    for item in session.items:
        needed |= set(getattr(item, "fixturenames", ())) & set(HEAVY)
    if needed:
        jobs(session.config).start([name for name in HEAVY if name in needed])


def pytest_sessionfinish(session):
    if hasattr(session.config, "_course_jobs"):
        session.config._course_jobs.close()


def jobs(config):
    if not hasattr(config, "_course_jobs"):
        config._course_jobs = Jobs(config._tmp_path_factory.mktemp("jobs"))
    return config._course_jobs


@pytest.fixture(scope="session")
def assignments():
    return assignment_names()


def _heavy_fixture(name):
    def fixture(request):
        return jobs(request.config).get(name)
    fixture.__doc__ = getattr(Jobs, name).__doc__
    return pytest.fixture(scope="session", name=name)(fixture)


for _name in HEAVY:
    globals()[_name] = _heavy_fixture(_name)
