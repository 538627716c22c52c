"""Real `nbgrader autograde` runs on scratch courses: fair scores, hidden tests kept hidden."""
import html
import re

from conftest import CONFIG_CASES, run
from wrong_answers import MISTAKES

from course.assignments import HIDDEN, exercises, nbgrader_meta, read, region_text


def test_reference_solution_scores_full_marks(graded, assignments):
    for a in assignments:
        score, maximum = graded.total(a, "reference")
        assert maximum > 0 and score == maximum, f"{a}: reference scored {score}/{maximum}: {graded.cells(a, 'reference')}"


def test_unedited_release_scores_zero(graded, assignments):
    for a in assignments:
        score, maximum = graded.total(a, "unedited")
        assert score == 0 and maximum > 0, f"{a}: unedited notebook scored {score}/{maximum}"


def test_stderr_output_and_warnings_keep_full_marks(graded):
    score, maximum = graded.total(CONFIG_CASES, "noisy")
    assert score == maximum, f"a correct answer that writes to stderr scored {score}/{maximum}"


def test_the_noise_really_reaches_the_test_cells(graded):
    """Without the config's IgnorePattern, the noisy submission would lose its points."""
    from test_validate import validate
    a = CONFIG_CASES
    submitted = sorted((graded.courses[a] / "submitted" / "noisy" / a).glob("*.ipynb"))[0]
    failed = validate(submitted).get("failed", [])
    assert failed, "the noise did not reach any test cell, so the test above proves nothing"


def test_deleted_test_cells_come_back_and_are_run(graded):
    for a in [CONFIG_CASES]:
        cells = graded.cells(a, "deleted-tests")
        assert sum(s for s, _ in cells.values()) == sum(m for _, m in cells.values())
        wrong = graded.cells(a, "deleted-tests-wrong")
        assert sum(s for s, _ in wrong.values()) < sum(m for _, m in wrong.values()), \
            f"{a}: deleting the test cells of a wrong answer earned full marks"
        source = read(sorted((graded.courses[a] / "source" / a).glob("*.ipynb"))[0])
        deleted = exercises(source)[MISTAKES[a][0].cell]
        back = {nbgrader_meta(c).get("grade_id") for c in read(graded.autograded(a, "deleted-tests")[0]).cells}
        assert set(deleted) <= back, f"{a}: deleted test cells {deleted} were not restored"
        assert set(deleted) <= set(cells), f"{a}: restored test cells {deleted} were not graded"


def test_feedback_keeps_the_message_and_hides_the_hidden_tests(graded):
    a = "01_notation"
    student = graded.student_for(a, next(m for m in MISTAKES[a] if m.new == "return 3"))
    course = graded.courses[a]
    run(["nbgrader", "generate_feedback", a, "--student", student, "--force"], course)
    page = html.unescape(re.sub(r"<[^>]+>", "", (course / "feedback" / student / a / "notation.html").read_text()))
    assert "output_layer([5, 1]) should be 1, but it is 3." in page, "the failure message must stay"
    assert "hidden tests: not shown" in page
    source = read(course / "source" / a / "notation.ipynb")
    hidden = {line.strip() for c in source.cells for line in region_text(c.source, HIDDEN) if len(line.strip()) > 3}
    shown = sorted(line for line in hidden if line in page)
    assert not shown, f"feedback shows hidden test lines: {shown}"
    assert "BEGIN HIDDEN TESTS" not in page


def test_notebook_2_graded_shows_the_worked_example_numbers(graded):
    nb = read(graded.autograded("02_forward_pass", "reference")[0])
    assert_worked_example_printed(nb)


def assert_worked_example_printed(nb):
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    for line in ["z1 = [-0.314  0.818 -0.417]", "x1 = [0.    0.818 0.   ]", "z2 = [-0.07362  0.02454]",
                 "x2 = [0.      0.02454]", "z3 = [0.0017178]", "x3 = [0.0017178]"]:
        assert line in text, f"the executed notebook does not print {line!r}"
