"""Shared fixtures: scratch nbgrader courses built from the repo, graded once per session."""
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from course.assignments import exercises, fill_in, nbgrader_meta, read

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def env():
    """The environment for nbgrader and jupyter commands: the venv first on PATH."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def run(cmd, cwd, timeout=900):
    """Run a command; on failure show everything it printed."""
    proc = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
                             f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}")
    return proc


def make_course(dest, assignments=None):
    """A scratch course: the repo's config and source assignments, nothing else."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "nbgrader_config.py", dest)
    for src in sorted((REPO / "source").iterdir()):
        if src.is_dir() and (assignments is None or src.name in assignments):
            shutil.copytree(src, dest / "source" / src.name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


def parallel(jobs):
    """Run callables concurrently, one per core, and return their results in order."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


@pytest.fixture(scope="session")
def assignments():
    return sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """A scratch course after one `nbgrader generate_assignment '*'`."""
    course = make_course(tmp_path_factory.mktemp("released") / "course")
    run(["nbgrader", "generate_assignment", "*", "--force"], course)
    return course


CONFIG_CASES = "01_notation"  # the assignment that also carries the config's own test cases
NOISE = '''
import sys as _sys, warnings as _warnings
def _noise(*args):
    print("debug: a line on stderr", file=_sys.stderr)
    _warnings.warn("a harmless warning", UserWarning)
get_ipython().events.register("post_run_cell", _noise)
'''


def submissions(assignment, release_nb, source_nb, config_cases):
    """{student id: notebook} for one assignment: the cases every test run grades.

    Every assignment gets the reference answers, the unedited release, and its
    listed mistakes in rounds (student "round03" holds the fourth round, see
    wrong_answers.rounds). With `config_cases`, it also gets the cases that
    test nbgrader_config.py itself: stderr noise and deleted test cells.
    """
    from wrong_answers import MISTAKES, rounds

    subs = {"reference": fill_in(release_nb, source_nb), "unedited": release_nb}
    mistakes = MISTAKES.get(assignment, [])
    if config_cases:
        noisy = fill_in(release_nb, source_nb)
        first = next(c for c in noisy.cells if nbgrader_meta(c).get("solution"))
        first.source += "\n" + NOISE
        subs["noisy"] = noisy
        first_mistake = mistakes[0]
        doomed = set(exercises(source_nb)[first_mistake.cell])
        for name, nb in [("deleted-tests", fill_in(release_nb, source_nb)),
                         ("deleted-tests-wrong", fill_in(release_nb, source_nb,
                                                         {first_mistake.cell: (first_mistake.old, first_mistake.new)}))]:
            nb.cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") not in doomed]
            subs[name] = nb
    for k, group in enumerate(rounds(mistakes, source_nb)):
        subs[f"round{k:02d}"] = fill_in(release_nb, source_nb, {e: (m.old, m.new) for e, m in group.items()})
    return subs


class Graded:
    """Scores from one `nbgrader autograde` run per assignment."""

    def __init__(self, courses):
        self.courses = courses
        self.scores = {}

    def load(self, assignment):
        from nbgrader.api import Gradebook
        course = self.courses[assignment]
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for sub in gb.assignment_submissions(assignment):
                cells = {}
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        cells[grade.name] = (grade.score, grade.max_score)
                self.scores[assignment, sub.student.id] = cells

    def cells(self, assignment, student):
        """{test cell grade_id: (score, max score)}"""
        return self.scores[assignment, student]

    def total(self, assignment, student):
        cells = self.cells(assignment, student).values()
        return sum(s for s, _ in cells), sum(m for _, m in cells)

    def autograded(self, assignment, student):
        course = self.courses[assignment]
        return sorted((course / "autograded" / student / assignment).glob("*.ipynb"))

    def student_for(self, assignment, mistake):
        """The round student whose submission holds this mistake."""
        from wrong_answers import MISTAKES, rounds
        source = sorted((self.courses[assignment] / "source" / assignment).glob("*.ipynb"))[0]
        for k, group in enumerate(rounds(MISTAKES[assignment], read(source))):
            if group.get(mistake.cell) == mistake:
                return f"round{k:02d}"
        raise KeyError(mistake)


@pytest.fixture(scope="session")
def graded(released, assignments, tmp_path_factory):
    """Every submission case of every assignment, autograded by real nbgrader.

    Each assignment is graded in its own copy of the released course, so the
    runs go in parallel without sharing a gradebook.
    """
    base = tmp_path_factory.mktemp("graded")

    def grade(assignment):
        course = base / assignment
        shutil.copytree(released, course)
        for source_path in sorted((course / "source" / assignment).glob("*.ipynb")):
            release_nb = read(course / "release" / assignment / source_path.name)
            cases = submissions(assignment, release_nb, read(source_path), assignment == CONFIG_CASES)
            for student, nb in cases.items():
                dest = course / "submitted" / student / assignment / source_path.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, str(dest))
        run(["nbgrader", "autograde", assignment, "--force"], course)
        return course

    courses = dict(zip(assignments, parallel([lambda a=a: grade(a) for a in assignments])))
    result = Graded(courses)
    for a in assignments:
        result.load(a)
    return result
