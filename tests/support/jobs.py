"""The session's heavy jobs: real nbgrader runs, validations, learner runs, grading batteries, the lab server.

Grading with nbgrader, validating and running notebooks cost seconds per
notebook, mostly in separate processes. Once pytest knows which tests it will
run, every heavy job those tests need starts at once in a thread pool, so the
processes overlap instead of waiting for each other; the fixtures then wait
for their job's result.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from grader.assignments import read
from grader.records import CellScore
from tests.support.adversaries import cases, sharing_a_worker
from tests.support.cases import CONFIG_CASES, FEEDBACK_MISTAKE, round_of, submissions
from tests.support.courses import assignment_names, grading_course, make_course, submit
from tests.support.environment import CORES, REPO, env, python_module, run
from tests.support.lab import start_lab, stop


class Graded:
    """Scores from real `nbgrader autograde` runs, one per scratch course copy."""

    def __init__(self):
        self.scores, self.course_of = {}, {}

    def load(self, course):
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for a in assignment_names():
                for sub in gb.assignment_submissions(a):
                    self.scores[a, sub.student.id] = {g.name: CellScore(float(g.score or 0), float(g.max_score))
                                                      for nb in sub.notebooks for g in nb.grades}
                    self.course_of[a, sub.student.id] = course

    def cells(self, assignment, student):
        """{test cell grade_id: CellScore}"""
        if assignment not in assignment_names():
            pytest.skip(f"COURSE_LESSONS leaves out {assignment}")
        return self.scores[assignment, student]

    def total(self, assignment, student):
        cells = self.cells(assignment, student).values()
        return sum(c.score for c in cells), sum(c.max_score for c in cells)

    def autograded(self, assignment, student):
        course = self.course_of[assignment, student]
        return sorted((course / "autograded" / student / assignment).glob("*.ipynb"))

    def student_for(self, assignment, mistake):
        source = read(sorted((REPO / "source" / assignment).glob("*.ipynb"))[0])
        return round_of(assignment, mistake, source)


class Jobs:
    """The session's heavy jobs, each started once and shared by the tests that need it."""

    def __init__(self, base):
        self.base = base
        self.pool = ThreadPoolExecutor(max_workers=8)
        self.futures = {}
        self.lab_processes = []
        self.outside = []  # folders made outside pytest's, removed at the end

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
        released = self.get("released")
        copies = []
        for k in range(CORES):
            copy = self.base / f"graded{k}"
            shutil.copytree(released, copy)
            copies.append(copy)
        config_source = read(next((released / "source" / CONFIG_CASES).glob("*.ipynb")))
        feedback_student = round_of(CONFIG_CASES, FEEDBACK_MISTAKE, config_source)
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
        out = self.base / "validations.json"
        run(python_module("tests.support.workers", "validate", out), REPO)
        return json.loads(out.read_text())

    def learner_runs(self):
        """{assignment: executed notebook}: each release notebook answered and run outside nbgrader."""
        out = self.base / "learner"
        out.mkdir()
        run(python_module("tests.support.workers", "learn", out), REPO)
        return {p.stem: read(p) for p in sorted(out.glob("*.ipynb"))}

    def visible_runs(self):
        """{lesson:cell:what: [visible test cells that failed]}: each mistake marked visible, visible tests only."""
        out = self.base / "visible.json"
        run(python_module("tests.support.workers", "visible", out), REPO)
        return json.loads(out.read_text())

    def cascade_runs(self):
        """{lesson:exercise: [cells that raised]}: each exercise left unanswered alone, every cell run."""
        out = self.base / "cascade.json"
        run(python_module("tests.support.workers", "cascade", out), REPO)
        return json.loads(out.read_text())

    def battery(self):
        """Every adversarial case graded by `python -m course grade`, twice (the second run re-grades nothing)."""
        course = grading_course(self.base / "battery")
        host_tmp = Path(tempfile.mkdtemp(prefix="course-host-"))
        expected = cases(course, host_tmp)
        for case_assignment in sorted({case.assignment for case in expected.values()}):
            submit(course, case_assignment, {student: case.files for student, case in expected.items()
                                             if case.assignment == case_assignment})
        submit(course, "01_notation", {"correct": {"timestamp.txt": b"2026-11-20 10:00:00.000000 UTC",
                                                   "submission_secret.txt": b"a-secret-of-the-student"}})
        command = python_module("course", "--course", course, "grade", "--cell-timeout", "30", "--memory", "2048")
        first = run(command, REPO)
        leftovers = left_behind(course)
        again = run(command, REPO)
        return {"course": course, "host_tmp": host_tmp, "expected": expected, "first": first, "again": again,
                "leftovers": leftovers}

    def shared_worker(self):
        """A daemon's submission, then a correct one, graded by one worker (--jobs 1), one after the other."""
        course = grading_course(self.base / "shared")
        expected = sharing_a_worker()
        submit(course, "01_notation", {student: case.files for student, case in expected.items()})
        run(python_module("course", "--course", course, "grade", "--jobs", "1"), REPO)
        return {"course": course, "expected": expected, "left_behind": left_behind(course)}

    def rootless(self):
        """Three submissions graded by an unprivileged user (nobody), whose sandbox is rootless bubblewrap."""
        if os.geteuid() != 0:
            pytest.skip("the tests already run without root: the whole battery is the rootless path")
        outside = Path(tempfile.mkdtemp(prefix="course-rootless-", dir="/var/tmp"))  # pytest's folders are private
        self.outside.append(outside)
        outside.chmod(0o755)
        python = nobodys_python(outside / "venv")
        course = grading_course(outside / "course")
        host_tmp = Path(tempfile.mkdtemp(prefix="course-host-"))
        chosen = {k: v for k, v in cases(course, host_tmp).items() if k in ("correct", "edited", "writer")}
        submit(course, "01_notation", {student: case.files for student, case in chosen.items()})
        home = outside / "home"
        home.mkdir()
        for path in (course, home, host_tmp, *course.rglob("*")):
            os.chown(path, 65534, 65534)
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", f"HOME={home}"]
        proc = run([*as_nobody, python, "-m", "course", "--course", course, "grade"], REPO)
        return {"course": course, "host_tmp": host_tmp, "expected": chosen, "out": proc.stdout + proc.stderr}

    def unsandboxed(self):
        """Grading where bubblewrap cannot run: refused, then run with --no-sandbox."""
        if not os.path.exists("/usr/bin/bwrap"):
            pytest.skip("bubblewrap is not installed")
        course = grading_course(self.base / "unsandboxed")
        submit(course, "01_notation", {"correct": cases(course, course)["correct"].files})
        # the grade command runs where /usr/bin/bwrap cannot be executed
        hidden = ["bwrap", "--dev-bind", "/", "/", "--ro-bind", "/dev/null", "/usr/bin/bwrap", "--"]
        command = [*hidden, *python_module("course", "--course", course, "grade")]
        refused = subprocess.run(command, cwd=REPO, env=env(), capture_output=True, text=True)
        allowed = run([*command, "--no-sandbox"], REPO)
        return {"course": course, "refused": refused, "allowed": allowed}

    def plain_transformer(self):
        """The input-transformer cheat under plain `nbgrader autograde`, for comparison."""
        course = make_course(self.base / "plain")
        run(["nbgrader", "generate_assignment", "01_notation"], course)
        submit(course, "01_notation", {"transformer": cases(course, course)["transformer"].files})
        run(["nbgrader", "autograde", "01_notation"], course)
        graded = Graded()
        graded.load(course)
        return graded.total("01_notation", "transformer")

    def dask_run(self):
        """Three submissions graded on a real Dask LocalCluster."""
        course = grading_course(self.base / "dask")
        chosen = {k: v for k, v in cases(course, course).items() if k in ("correct", "edited", "corrupt")}
        submit(course, "01_notation", {student: case.files for student, case in chosen.items()})
        out = self.base / "dask.json"
        run(python_module("tests.support.workers", "dask", course, out), REPO)
        return {"rows": json.loads(out.read_text()), "expected": chosen}

    def killed_run(self):
        """A grading run killed after its first merge, then run again."""
        course = grading_course(self.base / "killed")
        files = cases(course, course)["correct"].files
        students = [f"student{k}" for k in range(4)]
        submit(course, "01_notation", {s: files for s in students})
        command = python_module("course", "--course", course, "grade", "--jobs", "1")
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
        """`make lab` in a fresh clone: the learner's lab."""
        info = start_lab(self.base / "lab", "learner")
        self.lab_processes.append(info["process"])
        return info

    def instructor_lab(self):
        """`make instructor` in a fresh clone of its own: the instructor's lab."""
        info = start_lab(self.base / "instructor_lab", "instructor")
        self.lab_processes.append(info["process"])
        return info

    def close(self):
        for process in self.lab_processes:
            stop(process)
        for folder in self.outside:
            shutil.rmtree(folder, ignore_errors=True)
        self.pool.shutdown(wait=False, cancel_futures=True)


def left_behind(course):
    """{uid: pids} still running, for each uid a submission printed as "started as uid N"."""
    import re

    from grader.sandbox.uids import running_as
    printed = set()
    for graded in course.glob("autograded/*/*/*.ipynb"):
        printed |= {int(uid) for uid in re.findall(r"started as uid (\d+)", graded.read_text())}
    return {uid: pids for uid in printed if (pids := running_as(uid))}


def nobodys_python(venv):
    """A venv that user nobody can run (this Python may live under /root), seeing this venv's packages."""
    import sysconfig
    system = Path("/usr/bin/python3")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    found = subprocess.run([str(system), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True) if system.exists() else None
    if found is None or found.stdout.strip() != version:
        pytest.skip(f"no system Python {version} for user nobody to run")
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "course-grader.pth").write_text(f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
    return venv / "bin" / "python"


HEAVY = ["lab", "instructor_lab", "released", "graded", "validations", "learner_runs", "visible_runs", "cascade_runs",
         "battery", "plain_transformer", "dask_run", "killed_run", "shared_worker", "rootless", "unsandboxed"]

