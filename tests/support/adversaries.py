"""Submissions that cheat, break things or are honest but unusual, for the grading tool's tests.

Most cases are built from notebook 1 (output_layer 1 point, parameter_shapes 4,
count_parameters 2, weight 2, leaving_arriving 2, then the knowledge check);
the honest-but-unusual students and the reference copiers also use notebooks 2
and 4. Each case says the exact score it must get.
"""
import warnings
from dataclasses import dataclass

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbformat.warnings import DuplicateCellId

from grader.assignments import fill_in, read, release_path, source_notebooks
from grader.cells import nbgrader_meta
from tests.support.environment import REPO

SOURCES = {p.parent.name: p for p in source_notebooks(REPO)}
NB1 = SOURCES["01_notation"]


@dataclass(frozen=True)
class Case:
    """One student's submission and what grading it must give."""

    assignment: str
    files: dict  # file name: bytes
    score: float  # the exact total it must get
    phrase: str | None = None  # what its reasons or flags must contain


def points(assignment, prefixes=("",)):
    """Points of an assignment's test cells whose grade_id starts with one of `prefixes`."""
    return sum(nbgrader_meta(c)["points"] for c in read(SOURCES[assignment]).cells
               if nbgrader_meta(c).get("grade") and nbgrader_meta(c)["grade_id"].startswith(tuple(prefixes)))


FULL = points("01_notation")
QUIZ = points("01_notation", ["test_quiz_"])


def _base(assignment="01_notation", **edits):
    source = SOURCES[assignment]
    return fill_in(read(release_path(source)), read(source), edits)


def _with_cell(nb, code, after="setup"):
    """Insert a code cell of the student's own after the cell with this grade_id."""
    index = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == after)
    nb.cells.insert(index + 1, new_code_cell(code))
    return nb


def _with_markdown(nb, text, after="setup"):
    index = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == after)
    nb.cells.insert(index + 1, new_markdown_cell(text))
    return nb


def _prepend_to_answer(nb, grade_id, code):
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)
    cell.source = code + "\n" + cell.source
    return nb


def _append_to_answer(nb, grade_id, code):
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)
    cell.source = cell.source + "\n" + code
    return nb


def _replace_answer(nb, grade_id, code):
    next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id).source = code
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
print('children:', started, 'started as uid', os.getuid())"""

LEAKER = """import linecache
import sys
_seen = []

def output_layer(layers_dims):  # keeps the source of whatever calls it: a test cell's, if it ran here
    _seen.append("".join(linecache.getlines(sys._getframe(1).f_code.co_filename)))
    return len(layers_dims) - 1"""
LEAK_DUMP = """import linecache
found = [*In, *set(_seen), *("".join(entry[2]) for entry in linecache.cache.values() if len(entry) > 2)]
print(" | ".join("\\n".join(found).split("\\n"))[:900_000])  # on one line, past nbgrader's line limit"""
DAEMON = """import os, signal, time
kernel = os.getpid()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:  # a new PID every 0.2 s; once its kernel is gone, it kills whatever runs as its uid
            time.sleep(0.2)
            if os.fork() != 0:
                os._exit(0)
            try:
                os.kill(kernel, 0)
            except OSError:
                os.kill(-1, signal.SIGKILL)
    os._exit(0)
print("started as uid", os.getuid())"""
FILL_DISK = """import os
for folder in [".", "/tmp", "/dev/shm"]:
    written = 0
    try:
        for i in range(64):  # 1 GiB in 16 MiB files
            with open(os.path.join(folder, f"fill{i}"), "wb") as f:
                f.write(b"x" * (16 << 20))
            written += 16
        print(folder, "filled", written, "MiB")
    except OSError as error:
        print(folder, "stopped after", written, "MiB:", error.strerror)"""
FLOOD = 'print("x" * 100_000_000)'
FLOOD_RAW = """import sys
from jupyter_client.session import Session
out = sys.stdout  # Session.send itself, past the kernel's own cap
Session.send(out.session, out.pub_thread, "stream", {"name": "stdout", "text": "y" * 100_000_000},
             parent=out.parent_header, ident=out.topic)"""
SCRIPT = """from IPython.display import HTML, Javascript, display
display(HTML("<b>hi</b><script>document.title = 'pwned-html'</script><img src=x onerror=alert('pwned-img')>"))
display(Javascript("alert('pwned-js')"))"""
SCRIPT_MARKDOWN = "<script>alert('pwned-md')</script>"
DYNAMIC_IMPORT = """db = __import__("sqlite3").connect({path!r})"""
OS_ALIAS = """import os as o
if o.fork() == 0:
    o._exit(0)"""

# Against the checks themselves: under the course's grader they run in the judge, out of the kernel's reach.
PATCH_CHECKS = """import course.checks as cc
import course.checks.primitives as cp
from course.checks import expected as ce
for module in (cc, cp):
    for name in dir(module):
        if name.startswith("check_"):
            setattr(module, name, lambda *args, **kwargs: None)
ce.Expected.check = lambda *args, **kwargs: None"""
SWAP_CODE = """import course.checks.primitives as cp
def _passes(*args, **kwargs):
    return None
for name in dir(cp):
    function = getattr(cp, name)
    if name.startswith("check_") and hasattr(function, "__code__"):
        function.__code__ = _passes.__code__.replace(co_name=name)"""
SETTRACE = """import sys
def _agree(frame, event, arg):  # makes every check's `got` its `expected`, and every quiz answer the key
    if event == "call" and "expected" in frame.f_locals and "got" in frame.f_locals:
        frame.f_locals["got"] = frame.f_locals["expected"]
    if event == "call" and "answer" in frame.f_locals and frame.f_locals.get("answer"):
        frame.f_locals["got"] = frame.f_locals["answer"]
    return _agree
sys.settrace(_agree)
import threading
threading.settrace(_agree)"""
FORGE_PROBE = """import course.probe.server as server
server._perform = lambda request: {"seq": request["seq"], "value": None}"""
WRONG_QUIZ = {"quiz_notation": ('q1 = "c"', 'q1 = "a"')}
WRONG_OUTPUT_LAYER = {"output_layer": ("len(layers_dims) - 1", "3")}  # passes the visible test only
WRONG_LEAVING = {"leaving_arriving": ('params[f"W{l + 1}"][i - 1, :]', 'params[f"W{l}"][i - 1, :]')}


def _files(notebook, name):
    with warnings.catch_warnings():  # the "duplicated" case is meant to repeat cell ids
        warnings.simplefilter("ignore", DuplicateCellId)
        return {name: nbformat.writes(notebook).encode()}


def cases(course_root, host_tmp):
    """{student: Case}: cheats and faults in notebook 1, honest-but-unusual students and reference copiers."""
    unanswered = read(release_path(NB1))
    foreign = _base("02_forward_pass")
    deleted = _base()
    deleted.cells = [c for c in deleted.cells if nbgrader_meta(c).get("grade_id") != "test_output_layer"]
    edited = _base(**WRONG_OUTPUT_LAYER)
    next(c for c in edited.cells if nbgrader_meta(c).get("grade_id") == "test_output_layer").source = "pass"
    repointed = _base()
    counted = next(c for c in repointed.cells if nbgrader_meta(c).get("grade_id") == "test_count_parameters")
    counted.metadata["nbgrader"]["points"] = 100
    duplicated = _base()
    first = next(i for i, c in enumerate(duplicated.cells) if nbgrader_meta(c).get("grade_id") == "output_layer")
    duplicated.cells.insert(first + 1, nbformat.from_dict(dict(duplicated.cells[first])))

    def nb(notebook, name="notation.ipynb"):
        return _files(notebook, name)

    gradebook = f"{course_root}/gradebook.db"
    notebook_1 = {
        "correct": (nb(_base()), FULL, None),
        "unanswered": (nb(unanswered), 0, None),
        # the kernel's numpy is the student's own business: the judge's is untouched, the wrong answer loses
        "patched": (nb(_with_cell(_base(**WRONG_LEAVING), PATCH_NUMPY, after="leaving_arriving")), FULL - 1,
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
        "points": (nb(repointed), FULL, "points or type"),
        "duplicated": (nb(duplicated), FULL, "repeats the cells"),
        "disk": (nb(_with_cell(_base(), FILL_DISK)), FULL, None),
        "flood": (nb(_with_cell(_base(**WRONG_LEAVING), FLOOD)), FULL - 1, None),
        # past the kernel's cap the message is refused: its output is lost, the wrong answer still loses
        "flood-raw": (nb(_with_cell(_base(**WRONG_LEAVING), FLOOD_RAW)), FULL - 1, None),
        "script": (nb(_with_markdown(_with_cell(_base(), SCRIPT), SCRIPT_MARKDOWN)), FULL, None),
        "dynamic-import": (nb(_with_cell(_base(), DYNAMIC_IMPORT.format(path=gradebook))), FULL,
                           "imports sqlite3 with __import__()"),
        "os-alias": (nb(_with_cell(_base(), OS_ALIAS)), FULL, "calls os.fork (as o.fork)"),
        "leaker": (nb(_with_cell(_replace_answer(_base(), "output_layer", LEAKER), LEAK_DUMP,
                                 after="test_quiz_notation_q5")), FULL, "imports linecache"),
        "patches-checks": (nb(_with_cell(_base(**WRONG_OUTPUT_LAYER, **WRONG_LEAVING, **WRONG_QUIZ), PATCH_CHECKS)),
                           FULL - 3, None),
        "swaps-code": (nb(_with_cell(_base(**WRONG_OUTPUT_LAYER, **WRONG_LEAVING, **WRONG_QUIZ), SWAP_CODE)),
                       FULL - 3, None),
        "settrace": (nb(_with_cell(_base(**WRONG_OUTPUT_LAYER, **WRONG_LEAVING, **WRONG_QUIZ), SETTRACE)), FULL - 3,
                     None),
        # the kernel answers whatever it likes, and so only ever gets what its values earn: here none
        "forges-probe": (nb(_with_cell(_base(), FORGE_PROBE)), 0, None),
    }
    return {**{student: Case("01_notation", *case) for student, case in notebook_1.items()},
            **honest(), **copiers()}


def sharing_a_worker():
    """Two students graded one after the other by one worker: a daemon's, then a correct one."""
    return {"a-daemon": Case("01_notation", _files(_with_cell(_base(), DAEMON), "notation.ipynb"), FULL, "os.fork"),
            "b-next": Case("01_notation", _files(_base(), "notation.ipynb"), FULL)}


def honest():
    """Students who do nothing wrong but what a real student does, and keep every point."""
    no_demo = _base()
    no_demo.cells = [c for c in no_demo.cells if "example_params = {}" not in c.source]  # deleted the demo cell
    return {
        "deleted-demo": Case("01_notation", _files(no_demo, "notation.ipynb"), FULL),
        "scratch-x": Case("02_forward_pass", _files(_with_cell(_base("02_forward_pass"), "X = np.array([[1.0, 2.0]])",
                                                               after="forward_dataset"), "forward_pass.ipynb"),
                          points("02_forward_pass")),
        "scratch-xy": Case("04_nn_class", _files(_append_to_answer(_base("04_nn_class"), "forward_pass",
                                                                   "X, Y = make_dataset(20)"), "nn_class.ipynb"),
                           points("04_nn_class")),
    }


COPY_NN = """import course.nn
NN.{method} = course.nn.NN.{method}"""
READ_NN = """import importlib.util
from pathlib import Path

_origin = importlib.util.find_spec("course.reference.nn").origin
_namespace = {{}}
exec(Path(_origin).read_text(), _namespace)
NN.{method} = _namespace["NN"].{method}"""
HIDDEN_NN = """import importlib
NN.{method} = importlib.import_module("course." + "refer" + "ence.nn").NN.{method}"""


def copiers():
    """Students of notebook 4 who take an exercise from the course's own NN: no points for it, and a reason."""
    full = points("04_nn_class")
    found = {}
    for student, template, method, tests in [
            ("copies-nn", COPY_NN, "backward_pass", ["test_backward_"]),
            ("reads-nn", READ_NN, "forward_pass", ["test_forward_"]),
            ("hides-nn", HIDDEN_NN, "train", ["test_train_"])]:
        nb = _replace_answer(_base("04_nn_class"), method, template.format(method=method))
        found[student] = Case("04_nn_class", _files(nb, "nn_class.ipynb"), full - points("04_nn_class", tests),
                              "holds this lesson's answers")
    return found
