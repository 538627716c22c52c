"""A notebook run the way a learner runs it: every cell, figures drawn, no errors."""
import os

from nbclient import NotebookClient
from test_autograde import assert_worked_example_printed

from course.assignments import read, source_notebooks


def execute(path):
    nb = read(path)
    saved = os.environ.pop("NBGRADER_EXECUTION", None)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if saved is not None:
            os.environ["NBGRADER_EXECUTION"] = saved
    return nb


def test_notebook_2_shows_the_worked_example_numbers_and_its_diagrams():
    path = next(p for p in source_notebooks() if p.parent.name == "02_forward_pass")
    nb = execute(path)
    assert_worked_example_printed(nb)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the weights diagram and the forward-pass diagram are drawn"
