"""Real `nbgrader autograde` runs on scratch courses: fair scores, hidden tests kept hidden."""
import html
import re

import pytest

from grader.assignments import exercises, read
from grader.cells import nbgrader_meta
from tests.support.cases import CONFIG_CASES
from tests.support.courses import assignment_names
from tests.support.environment import REPO
from tests.support.hidden import hidden_lines
from tests.support.lessons import assert_prints_the_lesson_numbers
from tests.support.wrong_answers import MISTAKES


def test_reference_solution_scores_full_marks(graded, assignments):
    for a in assignments:
        score, maximum = graded.total(a, "reference")
        assert maximum > 0 and score == maximum, \
            f"{a}: reference scored {score}/{maximum}: {graded.cells(a, 'reference')}"


def test_unedited_release_scores_zero(graded, assignments):
    for a in assignments:
        score, maximum = graded.total(a, "unedited")
        assert score == 0 and maximum > 0, f"{a}: unedited notebook scored {score}/{maximum}"


def test_stderr_output_and_warnings_keep_full_marks(graded):
    score, maximum = graded.total(CONFIG_CASES, "noisy")
    assert score == maximum, f"a correct answer that writes to stderr scored {score}/{maximum}"


def test_the_noise_really_reaches_the_test_cells(validations):
    """The Validator keeps stderr: there the same submission fails, so the noise is real."""
    if CONFIG_CASES not in assignment_names():
        pytest.skip(f"COURSE_LESSONS leaves out {CONFIG_CASES}")
    failed = validations[f"noisy/{CONFIG_CASES}"].get("failed", [])
    assert failed, "the noise did not reach any test cell, so the test above proves nothing"


def test_deleted_test_cells_come_back_and_are_run(graded):
    for a in [CONFIG_CASES]:
        cells = graded.cells(a, "deleted-tests")
        assert all(c.full for c in cells.values()), cells
        wrong = graded.cells(a, "deleted-tests-wrong")
        assert not all(c.full for c in wrong.values()), \
            f"{a}: deleting the test cells of a wrong answer earned full marks"
        source = read(sorted((REPO / "source" / a).glob("*.ipynb"))[0])
        deleted = exercises(source)[MISTAKES[a][0].cell]
        back = {nbgrader_meta(c).get("grade_id") for c in read(graded.autograded(a, "deleted-tests")[0]).cells}
        assert set(deleted) <= back, f"{a}: deleted test cells {deleted} were not restored"
        assert set(deleted) <= set(cells), f"{a}: restored test cells {deleted} were not graded"


def test_feedback_keeps_the_message_and_hides_the_hidden_tests(graded):
    if graded.feedback is None:
        pytest.skip(f"COURSE_LESSONS leaves out {CONFIG_CASES}")
    course, a, student = graded.feedback
    page = html.unescape(re.sub(r"<[^>]+>", "", (course / "feedback" / student / a / "notation.html").read_text()))
    assert "output_layer([5, 1]) should be 1, but it is 3." in page, "the failure message must stay"
    assert "hidden tests: not shown" in page
    source = read(REPO / "source" / a / "notation.ipynb")
    hidden = hidden_lines(source)
    shown = sorted(line for line in hidden if line in page)
    assert not shown, f"feedback shows hidden test lines: {shown}"
    assert "BEGIN HIDDEN TESTS" not in page
    assert graded.cells(a, student)["test_output_layer"].score == 0, "the hard-coded answer lost the points"


def test_graded_reference_prints_the_numbers_of_each_lesson(graded, assignments):
    for a in assignments:
        assert_prints_the_lesson_numbers(a, read(graded.autograded(a, "reference")[0]))


def test_under_nbgrader_widgets_fall_back_to_plain_figures(graded, assignments):
    """No widget comms while grading: each explorer prints its caption and builds an ordinary figure instead."""
    for a in assignments:
        nb = read(graded.autograded(a, "reference")[0])
        views = [c.source.split("\n")[0] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert not views, f"{a}: widget views in a graded notebook: {views}"
        explorers = [c for c in nb.cells if c.cell_type == "code"
                     and re.search(r"from course\.widgets\.\w+ import \w*(Explorer|Stepper|Playground)", c.source)]
        assert explorers, f"{a} has no explorer cell"
        for cell in explorers:
            printed = "".join(o.get("text", "") for o in cell.outputs)
            assert printed.strip() and not any(o.output_type == "error" for o in cell.outputs), \
                f"{a}: the explorer's static fallback printed nothing or failed: {cell.outputs}"
