"""Scratch copies of the course, and submissions written into them."""
import os
import shutil

from grader.assignments import source_notebooks
from tests.support.environment import REPO


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


def assignment_names():
    """The lessons the heavy jobs work on: every one, or those COURSE_LESSONS names (comma-separated)."""
    chosen = set(filter(None, os.environ.get("COURSE_LESSONS", "").split(",")))
    return sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir() and (not chosen or p.name in chosen))


def lesson_notebooks():
    """The source notebooks of assignment_names()."""
    names = set(assignment_names())
    return [p for p in source_notebooks(REPO) if p.parent.name in names]
