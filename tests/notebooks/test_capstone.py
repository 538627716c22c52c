"""Notebook 9, the capstone: one exercise scored in bands, a written analysis graded by hand, and a rubric that never
reaches the release (the release tests look at code cells only; the rubric is markdown)."""
import re

import nbformat

from course.checks.capstone import BANDS
from grader.assignments import exercises, manual, read, release_path
from grader.cells import SOLUTION, grade_id, is_manual, nbgrader_meta, region_text
from tests.support.environment import REPO

SOURCE = REPO / "source" / "09_capstone" / "capstone.ipynb"
BAND_CELLS = [f"test_band_{band}" for band in range(1, len(BANDS) + 1)]


def _cells(nb):
    return {grade_id(c): c for c in nb.cells if grade_id(c)}


def test_a_written_answer_is_no_exercise():
    meta = {"solution": True, "grade": True, "points": 3, "grade_id": "essay", "locked": False, "schema_version": 3}
    essay = nbformat.v4.new_markdown_cell("Say why.\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION")
    essay.metadata["nbgrader"] = dict(meta)
    answer = nbformat.v4.new_code_cell("x = 1")
    answer.metadata["nbgrader"] = {**meta, "grade": False, "grade_id": "x"}
    test = nbformat.v4.new_code_cell("assert x == 1")
    test.metadata["nbgrader"] = {**meta, "solution": False, "locked": True, "grade_id": "test_x", "points": 1}
    nb = nbformat.v4.new_notebook(cells=[answer, essay, test])
    assert is_manual(essay) and not is_manual(answer) and not is_manual(test)
    assert exercises(nb) == {"x": ["test_x"]}, "the written answer neither is an exercise nor takes the test after it"
    assert manual(nb) == {"essay": 3}


def test_the_capstone_has_one_exercise_with_its_bands_and_a_written_analysis():
    nb = read(SOURCE)
    assert exercises(nb) == {"predict": ["test_predict", *BAND_CELLS]}
    assert manual(nb) == {"analysis": 4}
    cells = _cells(nb)
    for band, gid in enumerate(BAND_CELLS, start=1):
        hidden = cells[gid].source.split("### BEGIN HIDDEN TESTS")[1]
        assert f"check_capstone_heldout(predict, band={band})" in hidden, gid
    order = [grade_id(c) for c in nb.cells if grade_id(c)]
    assert order.index("analysis") > max(order.index(t) for t in ["test_predict", *BAND_CELLS]), \
        "the written analysis comes after every test cell"


def test_the_prose_states_the_bands_and_points_the_tests_give():
    nb = read(SOURCE)
    cells = _cells(nb)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    rows = re.findall(r"^\| (\d) \| at least \$(\d+)\\%\$ \| (\d) \|$", text, re.M)
    assert [(int(b), int(t)) for b, t, _ in rows] == list(enumerate(BANDS, start=1))
    assert [int(p) for _, _, p in rows] == [nbgrader_meta(cells[gid])["points"] for gid in BAND_CELLS]
    total = sum(nbgrader_meta(c)["points"] for c in nb.cells if nbgrader_meta(c).get("grade"))
    assert f"${total}$ points in all" in text


def test_the_rubric_never_reaches_the_release():
    source, release = read(SOURCE), read(release_path(SOURCE))
    released = _cells(release)
    for cell in source.cells:
        if is_manual(cell):
            rubric = [line.strip() for line in region_text(cell.source, SOLUTION) if len(line.strip()) > 20]
            assert len(rubric) >= 5, "the rubric is where the instructor expects it"
            shown = released[grade_id(cell)].source
            assert "YOUR ANSWER HERE" in shown and not [line for line in rubric if line in shown]
            assert not any(line in c.source for c in release.cells for line in rubric)


def test_the_final_training_is_not_cut_short_when_graded():
    answer = _cells(read(SOURCE))["predict"].source
    assert "iterations(" not in answer, "iterations() trains for a tenth of the epochs while the notebook is graded"
