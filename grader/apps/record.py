"""`python -m course record [LESSON ...]`: record what the reference answers give in the visible checks.

Each lesson's release notebook is answered with the solutions of its source
notebook and run top to bottom in a fresh interpreter, every `Expected.check`
of that lesson writing down the value it was given instead of comparing it
(and every `Expected.value` the value its reference computation gives).
The values go to course/data/expected/<lesson>.json, which the visible checks
then compare students' results with.
"""
import json
import multiprocessing
import os
from pathlib import Path

from grader.assignments import fill_in, read, source_notebooks
from grader.template import make_template


def _run(nb, lesson, out):
    """In a fresh process: run the answered notebook, recording the lesson's checks; write them to `out`."""
    os.environ["NBGRADER_EXECUTION"] = "validate"  # short training runs, plain figures
    from IPython.core.interactiveshell import InteractiveShell

    from course.checks import expected

    recorded, original = {}, expected.Expected.recorded

    def record(self, name, got):
        if self.lesson != lesson:
            return original(self, name, got)
        value = expected.encode(got)
        if recorded.get(name, value) != value:
            raise RuntimeError(f"{name!r} was recorded twice with different values: give each result its own name")
        recorded[name] = value
        return expected.decode(value)

    def record_value(self, name, compute):
        return record(self, name, compute()) if self.lesson == lesson else original_value(self, name, compute)

    original_value = expected.Expected.value
    expected.Expected.recorded, expected.Expected.value = record, record_value
    shell = InteractiveShell.instance()
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            outcome = shell.run_cell(cell.source, store_history=False, silent=True)
            if not outcome.success:
                raise RuntimeError(f"{lesson}: cell {index} of the answered notebook failed: {outcome.error_in_exec!r}")
    Path(out).write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


def record(course, lesson):
    """{name: value} the visible checks of `lesson` compare with, as its reference answers give them."""
    import nbformat

    from course.checks.expected import FOLDER
    source = next(p for p in source_notebooks(course) if p.parent.name == lesson)
    template = make_template(course, lesson)
    release = nbformat.reads(template.release(source.name).decode(), as_version=4)
    out = FOLDER / f"{lesson}.json"
    FOLDER.mkdir(parents=True, exist_ok=True)
    answered = fill_in(release, read(source))
    child = multiprocessing.get_context("spawn").Process(target=_run, args=(answered, lesson, out))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"recording {lesson} failed (see above)")
    return json.loads(out.read_text())


def main(*, course, lessons=()):
    for lesson in lessons or sorted(p.parent.name for p in source_notebooks(course)):
        values = record(course, lesson)
        print(f"{lesson}: {len(values)} value(s) recorded")
    return 0
