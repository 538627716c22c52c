"""Heavy test work run in its own process, so that it can overlap with the rest.

    python -m tests.support.workers validate OUT.json   nbgrader's Validator on every notebook
    python -m tests.support.workers learn OUTDIR        every release notebook, answered, run as a learner runs it
    python -m tests.support.workers dask COURSE OUT     `grade_class` on a real Dask LocalCluster on loopback
    python -m tests.support.workers visible OUT.json   each mistake marked visible against the visible tests alone
    python -m tests.support.workers cascade OUT.json   each exercise left unanswered in turn, every cell run

The Validator changes the working folder while it runs, so it gets a process
of its own rather than a thread.
"""
import json
import os
import sys
from pathlib import Path

import nbformat

from grader.assignments import fill_in, read, release_path
from grader.kernels import use_ipc
from tests.support.cases import CONFIG_CASES, noisy
from tests.support.courses import lesson_notebooks

UNANSWERED_CASES = "04_nn_class"  # every kind of exercise: functions, dictionaries, methods


def validate(out):
    from nbgrader.validator import Validator
    config = use_ipc()
    results = {}
    for path in lesson_notebooks():
        a = path.parent.name
        results[f"source/{a}"] = Validator(config=config).validate(str(path))
        results[f"invert/{a}"] = Validator(invert=True, config=config).validate(str(release_path(path)))
        if a == UNANSWERED_CASES:  # Validate on the notebook as released, nothing answered
            results[f"release/{a}"] = Validator(config=config).validate(str(release_path(path)))
        if a == CONFIG_CASES:
            noisy_path = Path(out).with_suffix(".noisy.ipynb")
            nbformat.write(noisy(read(release_path(path)), read(path)), str(noisy_path))
            results[f"noisy/{a}"] = Validator(config=config).validate(str(noisy_path))
    Path(out).write_text(json.dumps(results))


def learn(outdir):
    from nbclient import NotebookClient
    os.environ.pop("NBGRADER_EXECUTION", None)
    config = use_ipc()
    for path in lesson_notebooks():
        nb = fill_in(read(release_path(path)), read(path))
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True, config=config,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nbformat.write(nb, str(Path(outdir) / f"{path.parent.name}.ipynb"))


def visible(out):
    """{lesson:cell:what: [visible test cells that failed]} for every mistake marked visible.

    One kernel per lesson runs the answered release notebook (visible tests only) in order; after an
    exercise's last test cell, each of its visible mistakes replaces the answer, its test cells run
    again, and the right answer is put back before the notebook goes on.
    """
    from nbclient import NotebookClient
    from nbformat import from_dict

    from grader.assignments import exercises
    from grader.cells import grade_id
    from tests.support.wrong_answers import MISTAKES
    os.environ["NBGRADER_EXECUTION"] = "validate"  # the lessons' long runs cut short, as Validate does
    config = use_ipc()
    results = {}
    for path in lesson_notebooks():
        lesson = path.parent.name
        wanted = [m for m in MISTAKES.get(lesson, []) if m.visible]
        if not wanted:
            continue
        release, source = read(release_path(path)), read(path)
        nb = fill_in(release, source)
        tests = exercises(release)
        last_test = {ids[-1]: cell for cell, ids in tests.items() if ids}
        index_of = {grade_id(c): i for i, c in enumerate(nb.cells)}
        client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True, config=config,
                                resources={"metadata": {"path": str(path.parent)}})
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                client.execute_cell(cell, index)
                exercise = last_test.get(grade_id(cell))
                # Kept aside: nbclient stores each cell it runs in the notebook, the wrong answers too.
                right = from_dict(dict(nb.cells[index_of[exercise]])) if exercise else None
                for mistake in [m for m in wanted if m.cell == exercise]:
                    wrong = fill_in(release, source, {mistake.cell: (mistake.old, mistake.new)})
                    answer = from_dict(dict(wrong.cells[index_of[exercise]]))
                    client.execute_cell(answer, index_of[exercise])
                    results[f"{lesson}:{mistake.cell}:{mistake.what}"] = [
                        test for test in tests[exercise] if _fails(client, nb, index_of[test])]
                    client.execute_cell(from_dict(dict(right)), index_of[exercise])
                    results[f"{lesson}:{mistake.cell}:{mistake.what}:put back"] = [
                        test for test in tests[exercise] if _fails(client, nb, index_of[test])]
    Path(out).write_text(json.dumps(results))


def _fails(client, nb, index):
    """Run a copy of cell `index` again in the client's kernel; whether it raised."""
    from nbformat import from_dict
    copy = from_dict(dict(nb.cells[index]))
    client.execute_cell(copy, index)
    return any(o.get("output_type") == "error" for o in copy.outputs)


def cascade(out):
    """{lesson:exercise: [cells that raised]} with that one exercise unanswered and every other one answered.

    Each run is a fresh kernel on the release notebook, as Validate runs it; a cell is named by its
    grade_id, or by `cell N` for an ungraded one.
    """
    from nbclient import NotebookClient

    from grader.assignments import exercises
    from grader.cells import grade_id
    os.environ["NBGRADER_EXECUTION"] = "validate"
    config = use_ipc()
    results = {}
    for path in lesson_notebooks():
        lesson = path.parent.name
        release, source = read(release_path(path)), read(path)
        for exercise in exercises(release):
            if exercise.startswith("quiz_"):
                continue  # no cell reads the quiz's letters but its own tests
            nb = fill_in(release, source)
            index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == exercise)
            nb.cells[index] = release.cells[index]
            NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True, config=config,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            results[f"{lesson}:{exercise}"] = [
                grade_id(c) or f"cell {i}" for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.outputs)]
    Path(out).write_text(json.dumps(results))


def dask(course, out):
    from distributed import LocalCluster

    from grader.classroom import grade_class
    from grader.records import Limits
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        rows = grade_class(course, scheduler=cluster.scheduler_address,
                           limits=Limits(cell_timeout=30, memory_mb=2048))
    Path(out).write_text(json.dumps(rows))


if __name__ == "__main__":
    jobs = {"validate": validate, "learn": learn, "dask": dask, "visible": visible, "cascade": cascade}
    jobs[sys.argv[1]](*sys.argv[2:])
