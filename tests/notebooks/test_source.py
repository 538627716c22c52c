"""Source notebooks are clean nbgrader sources and complete lessons."""
import json
import re

import pytest

from grader.assignments import exercises, read, source_notebooks
from grader.cells import HIDDEN, is_solution, is_test, nbgrader_meta, region_lines
from tests.support.environment import REPO

NOTEBOOKS = source_notebooks(REPO)
IDS = [p.parent.name for p in NOTEBOOKS]


def test_there_are_source_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs_or_execution_counts(path):
    raw = json.loads(path.read_text())
    dirty = [c.get("id") for c in raw["cells"] if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


def test_grade_ids_are_unique():
    """Within a notebook (nbgrader needs it), and for answers and tests across the course."""
    seen = {}
    for path in NOTEBOOKS:
        ids = [nbgrader_meta(c).get("grade_id") for c in read(path).cells if nbgrader_meta(c)]
        assert len(ids) == len(set(ids)), f"{path.name} repeats a grade_id"
        for cell in read(path).cells:
            if is_solution(cell) or is_test(cell):
                gid = nbgrader_meta(cell)["grade_id"]
                assert gid not in seen, f"grade_id {gid!r} is used in {seen[gid]} and {path}"
                seen[gid] = path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_points_are_whole_and_on_test_cells_only(path):
    nb = read(path)
    total = 0
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if is_test(cell):
            points = meta.get("points")
            assert isinstance(points, int) and 1 <= points <= 5, f"{meta['grade_id']}: points {points!r}"
            total += points
        elif is_solution(cell):
            assert not meta.get("grade"), f"{meta['grade_id']}: answers are scored by their tests"
    assert 5 <= total <= 40, f"{path.name} is worth {total} points"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_visible_and_hidden_tests(path):
    nb = read(path)
    cells = {nbgrader_meta(c).get("grade_id"): c for c in nb.cells}
    for answer, tests in exercises(nb).items():
        assert tests, f"exercise {answer!r} has no test cell"
        for test in tests:
            source = cells[test].source
            hidden = region_lines(source, HIDDEN)
            visible = [line for n, line in enumerate(source.split("\n"), 1) if n not in hidden]
            assert any("check_" in line for line in visible if not line.lstrip().startswith(("#", "from"))), \
                f"{test}: no visible check"
        assert any(region_lines(cells[t].source, HIDDEN) for t in tests), \
            f"exercise {answer!r} has no hidden tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_locked_setup(path):
    first = next(c for c in read(path).cells if c.cell_type == "code")
    meta = nbgrader_meta(first)
    assert meta.get("locked") and not meta.get("solution") and not meta.get("grade")
    assert "setup()" in first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_is_a_lesson(path):
    nb = read(path)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = "\n".join(markdown)
    assert markdown[0].startswith("# "), "the notebook opens with its title"
    assert "By the end of this notebook you will be able to" in markdown[0], "objectives come first"
    assert "## Summary" in markdown[-1], "the notebook ends with a summary"
    assert len(re.findall(r"\$[^$]+\$", text)) >= 10, "explanations use LaTeX"
    for answer in exercises(nb):
        index = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == answer)
        before = next(c for c in reversed(nb.cells[:index]) if c.cell_type == "markdown")
        assert "Your turn" in before.source, \
            f"exercise {answer!r} is introduced by a 'Your turn' cell"
        assert "<details><summary>Hint" in before.source, f"exercise {answer!r} has a hint"
    assert nb.metadata.kernelspec.name == "python3"
