"""`python -m course check NOTEBOOK`: grade one notebook of your own as an instructor would, hidden tests included."""
import re
import sys
from pathlib import Path

import nbformat

from grader.apps.start import START_PAGE, record_check, refresh
from grader.assignments import exercises, read
from grader.autograde import grade_submission
from grader.cells import grade_id
from grader.classroom import refuse_without_sandbox
from grader.preprocessors.redact import ANSI
from grader.records import CellScore, Task
from grader.template import make_template

UNANSWERED = "not answered yet (the answer cell still raises NotImplementedError)"


def assignment_of(nb, course):
    """(assignment, notebook name) of the source notebook whose graded cells this notebook shares most."""
    ids = {grade_id(c) for c in nb.cells} - {None}
    best, overlap = (None, None), 0
    for path in sorted(Path(course, "source").glob("*/*.ipynb")):
        shared = len(ids & ({grade_id(c) for c in read(path).cells} - {None}))
        if shared > overlap:
            best, overlap = (path.parent.name, path.name), shared
    return best


def failure_message(cell):
    """The last line of a test cell's error output: the check's own message."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [ANSI.sub("", line) for entry in output.get("traceback", []) for line in entry.split("\n")]
            lines = [line for line in lines if line.strip()]
            return lines[-1] if lines else f"{output.get('ename')}: {output.get('evalue')}"
    return "failed"


def main(*, notebook, course, assignment=None, limits):
    path = Path(notebook)
    if not path.exists():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as error:  # noqa: BLE001 (nbformat raises several kinds for broken files)
        print(f"{path} is not a notebook that can be read: {error}", file=sys.stderr)
        return 2
    assignment, name = (assignment, None) if assignment else assignment_of(nb, course)
    if assignment is None:
        print(f"{path} does not look like any assignment of this course", file=sys.stderr)
        return 2
    if limits.sandbox:
        refuse_without_sandbox()
    template = make_template(course, assignment)
    name = name or template.notebooks[0]
    print(f"checking {path} as {assignment}/{name} (hidden tests included) ...", flush=True)
    result = grade_submission(Task(template=template, student="learner", files={name: path.read_bytes()},
                                   limits=limits))
    entry = result.notebooks.get(name)
    if entry is None:
        for reason in result.reasons:
            print(f"  could not grade: {reason}", file=sys.stderr)
        return 1
    graded = nbformat.reads(entry.autograded.decode(), as_version=4) if entry.autograded else None
    by_id = {grade_id(c): c for c in graded.cells} if graded else {}
    total = maximum = 0.0
    rows = []  # (exercise, earned, possible), for the start page
    for answer, tests in exercises(read(Path(course, "source", assignment, name))).items():
        scores = [entry.cells.get(t, CellScore(0.0, 0.0)) for t in tests]
        earned, possible = sum(s.score for s in scores), sum(s.max_score for s in scores)
        total, maximum = total + earned, maximum + possible
        rows.append((answer, earned, possible))
        print(f"  {'✓' if earned == possible else '✗'} {answer:28s} {earned:g} / {possible:g}")
        for test, score in zip(tests, scores, strict=True):
            if not score.full:
                message = re.sub(r"\s+", " ", failure_message(by_id[test]) if test in by_id else "not run").strip()
                print(f"      {test}: {UNANSWERED if message.startswith('NotImplementedError') else message[:300]}")
    print(f"  total: {total:g} / {maximum:g}")
    for reason in result.reasons:
        print(f"  note: {reason}")
    for flag in result.flags:
        print(f"  review: {flag}")
    if record_check(course, path, assignment, name, rows):  # a workspace notebook: the start page shows it
        refresh(course)
        print(f"  recorded in workspace/{START_PAGE}")
    return 0
