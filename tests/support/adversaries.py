"""Submissions that cheat or break things, for the grading tool's tests.

Each case is built from notebook 1 (output_layer 1 point, parameter_shapes 4,
count_parameters 2, weight 2, leaving_arriving 2, then the knowledge check) and
says the exact score it must get.
"""
import warnings

import nbformat
from nbformat.v4 import new_code_cell
from nbformat.warnings import DuplicateCellId

from grader.assignments import fill_in, read, release_path, source_notebooks
from grader.cells import nbgrader_meta
from tests.support.environment import REPO

NB1 = next(p for p in source_notebooks(REPO) if p.parent.name == "01_notation")


def _points(prefix=""):
    """Points of notebook 1's test cells whose grade_id starts with `prefix`."""
    return sum(nbgrader_meta(c)["points"] for c in read(NB1).cells
               if nbgrader_meta(c).get("grade") and nbgrader_meta(c)["grade_id"].startswith(prefix))


FULL = _points()
QUIZ = _points("test_quiz_")


def _base(**edits):
    return fill_in(read(release_path(NB1)), read(NB1), edits)


def _with_cell(nb, code, after="setup"):
    """Insert a code cell of the student's own after the cell with this grade_id."""
    index = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == after)
    nb.cells.insert(index + 1, new_code_cell(code))
    return nb


def _prepend_to_answer(nb, grade_id, code):
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)
    cell.source = code + "\n" + cell.source
    return nb


PATCH_NUMPY = "import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.maximum = lambda *a, **k: 0"
FAKE_NUMPY = """class Everything:
    def __getattr__(self, name):
        return lambda *a, **k: True
np = Everything()"""
WRITE_GRADEBOOK = """import sqlite3
try:
    db = sqlite3.connect({path!r})
    db.execute('update grade set auto_score = 99')
    db.commit()
except Exception as error:
    print('blocked:', error)"""
WRITE_OUTSIDE = """for write in [lambda: open({course!r}, 'w'), lambda: open({host!r}, 'w')]:
    try:
        write().write('x')
    except OSError as e:
        print(e)"""
FORK_BURST = """import os, time
started = 0
for _ in range(100):
    try:
        if os.fork() == 0:
            time.sleep(120)
            os._exit(0)
        started += 1
    except OSError:
        break
print('children:', started)"""

WRONG_OUTPUT_LAYER = {"output_layer": ("len(layers_dims) - 1", "3")}  # passes the visible test only
WRONG_LEAVING = {"leaving_arriving": ('params[f"W{l + 1}"][i - 1, :]', 'params[f"W{l}"][i - 1, :]')}


def cases(course_root, host_tmp):
    """{student: (files, expected score, a phrase the reasons or flags must contain, or None)}"""
    unanswered = read(release_path(NB1))
    foreign = fill_in(read(release_path(next(p for p in source_notebooks(REPO) if p.parent.name == "02_forward_pass"))),
                      read(next(p for p in source_notebooks(REPO) if p.parent.name == "02_forward_pass")))
    deleted = _base()
    deleted.cells = [c for c in deleted.cells if nbgrader_meta(c).get("grade_id") != "test_output_layer"]
    edited = _base(**WRONG_OUTPUT_LAYER)
    next(c for c in edited.cells if nbgrader_meta(c).get("grade_id") == "test_output_layer").source = "pass"
    points = _base()
    counted = next(c for c in points.cells if nbgrader_meta(c).get("grade_id") == "test_count_parameters")
    counted.metadata["nbgrader"]["points"] = 100
    duplicated = _base()
    first = next(i for i, c in enumerate(duplicated.cells) if nbgrader_meta(c).get("grade_id") == "output_layer")
    duplicated.cells.insert(first + 1, nbformat.from_dict(dict(duplicated.cells[first])))

    def nb(notebook, name="notation.ipynb"):
        with warnings.catch_warnings():  # the "duplicated" case is meant to repeat cell ids
            warnings.simplefilter("ignore", DuplicateCellId)
            return {name: nbformat.writes(notebook).encode()}

    gradebook = f"{course_root}/gradebook.db"
    return {
        "correct": (nb(_base()), FULL, None),
        "unanswered": (nb(unanswered), 0, None),
        # tests after the patch (leaving_arriving's and the knowledge check's) cannot trust numpy: they fail
        "patched": (nb(_with_cell(_base(**WRONG_LEAVING), PATCH_NUMPY, after="leaving_arriving")), FULL - 2 - QUIZ,
                    "changes numpy.allclose"),
        # every test cell imports numpy afresh: the wrong answer loses its point as usual
        "rebound": (nb(_with_cell(_base(**WRONG_LEAVING), FAKE_NUMPY, after="leaving_arriving")), FULL - 1,
                    "rebinds np"),
        "transformer": (nb(_with_cell(read(release_path(NB1)),
                                      "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])")),
                        0, "input_transformers_post"),
        "gradebook": (nb(_with_cell(read(release_path(NB1)), WRITE_GRADEBOOK.format(path=gradebook))), 0,
                      "imports sqlite3"),
        "writer": (nb(_with_cell(_base(), WRITE_OUTSIDE.format(course=str(course_root / "pwned.txt"),
                                                               host=str(host_tmp / "pwned.txt")))),
                   FULL, "outside its folder"),
        "timeout": (nb(_prepend_to_answer(_base(), "count_parameters", "while True:\n    pass")), FULL - 2,
                    "ran out of time"),
        "memory": (nb(_prepend_to_answer(_base(), "weight", "hog = bytearray(3 * 1024 ** 3)")), FULL - 2, None),
        "exit": (nb(_prepend_to_answer(_base(), "count_parameters", "import os\nos._exit(1)")), FULL - 2,
                 "kernel died"),
        "sysexit": (nb(_prepend_to_answer(_base(), "output_layer", "import sys\nsys.exit(1)")), FULL - 1, None),
        "burst": (nb(_with_cell(_base(), FORK_BURST)), FULL, "os.fork"),
        "corrupt": ({"notation.ipynb": b'{"cells": [ not json'}, 0, "not a valid notebook"),
        "empty": ({"notation.ipynb": b""}, 0, "empty file"),
        "missing": ({"notes.txt": b"I forgot"}, 0, "missing"),
        "renamed": (nb(_base(), "my notation (1).ipynb"), FULL, "submitted as"),
        "foreign": (nb(foreign), 0, "another assignment"),
        "deleted": (nb(deleted), FULL, "was deleted"),
        "edited": (nb(edited), FULL - 1, "was edited"),
        "points": (nb(points), FULL, "points or type"),
        "duplicated": (nb(duplicated), FULL, "repeats the cells"),
    }
