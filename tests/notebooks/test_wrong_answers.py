"""Every plausible wrong answer loses points in its own exercise; the reference loses none."""
import functools

import nbformat
import pytest

from grader.assignments import exercises, read, source_notebooks
from tests.support.courses import assignment_names
from tests.support.environment import REPO
from tests.support.wrong_answers import INDEPENDENT, MISTAKES, Mistake, rounds

CASES = [(a, k, m) for a, ms in MISTAKES.items() for k, m in enumerate(ms)]


@functools.cache
def exercise_tests():
    """{(assignment, answer grade_id): [its test grade_ids]}, read once."""
    result = {}
    for path in source_notebooks(REPO):
        for answer, tests in exercises(read(path)).items():
            result[path.parent.name, answer] = tests
    return result


def test_every_exercise_has_at_least_two_listed_mistakes():
    counts = {key: 0 for key in exercise_tests()}
    for a, ms in MISTAKES.items():
        for m in ms:
            assert (a, m.cell) in counts, f"{a}: no exercise {m.cell!r}"
            counts[a, m.cell] += 1
    thin = [key for key, n in counts.items() if n < 2]
    assert not thin, f"exercises with fewer than two listed mistakes: {thin}"


@pytest.mark.parametrize("assignment", sorted(INDEPENDENT))
def test_exercises_declared_independent_are(graded, assignment):
    """With one answer left unanswered, only that exercise loses points."""
    tests = exercise_tests()
    for stubbed in INDEPENDENT[assignment]:
        cells = graded.cells(assignment, f"stub-{stubbed}")
        own = tests[assignment, stubbed]
        assert all(cells[t].score == 0 for t in own), f"leaving {stubbed} unanswered should cost all its points"
        others = {t: cells[t] for e in INDEPENDENT[assignment] if e != stubbed for t in tests[assignment, e]}
        lost = {t: v for t, v in others.items() if not v.full}
        assert not lost, f"{assignment}: with {stubbed!r} unanswered these tests of other exercises fail: {lost}"


@pytest.mark.parametrize("assignment,k,mistake", CASES, ids=[f"{a}:{m.cell}:{m.what}" for a, _, m in CASES])
def test_mistake_loses_points_in_its_exercise(graded, assignment, k, mistake):
    cells = graded.cells(assignment, graded.student_for(assignment, mistake))
    own = exercise_tests()[assignment, mistake.cell]
    lost = [t for t in own if not cells[t].full]
    assert lost, f"{mistake.what!r} kept full marks in {own}: {cells}"


QUIZ_CASES = [(a, k, m) for a, k, m in CASES if m.cell.startswith("quiz_")]


@pytest.mark.parametrize("assignment,k,mistake", QUIZ_CASES, ids=[f"{a}:{m.what}" for a, _, m in QUIZ_CASES])
def test_every_wrong_quiz_answer_loses_its_point(graded, assignment, k, mistake):
    cells = graded.cells(assignment, graded.student_for(assignment, mistake))
    own = exercise_tests()[assignment, mistake.cell]
    kept = [t for t in own if cells[t].score > 0]
    assert not kept, f"wrong answers kept their points in {kept}"


def test_every_notebook_ends_with_a_knowledge_check():
    for path in source_notebooks(REPO):
        quizzes = [(a, e) for a, e in exercise_tests() if a == path.parent.name and e.startswith("quiz_")]
        assert len(quizzes) == 1, f"{path.parent.name} has {len(quizzes)} knowledge checks"
        assert 3 <= len(exercise_tests()[quizzes[0]]) <= 5, "3 to 5 questions"


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, gid, source in cells:
        cell = nbformat.v4.new_code_cell(source)
        if kind != "given":
            cell.metadata["nbgrader"] = {"grade_id": gid, "solution": kind == "answer", "grade": kind == "test",
                                         "locked": kind != "answer", "points": 1, "schema_version": 3}
        nb.cells.append(cell)
    return nb


def test_rounds_keep_apart_exercises_that_reach_each_other_through_given_code():
    nb = _notebook(
        ("answer", "a", "def helper(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
        ("test", "test_a", "assert helper(1) == 1"),
        ("given", None, "class Net:\n    def run(self):\n        return helper(2)"),
        ("answer", "b", "def other():\n    ### BEGIN SOLUTION\n    return 3\n    ### END SOLUTION"),
        ("test", "test_b", "assert Net().run() == 2 and other() == 3"),
        ("answer", "c", "def third():\n    ### BEGIN SOLUTION\n    return 4\n    ### END SOLUTION"),
        ("test", "test_c", "W = 5\nassert third() == 4 and W == 5"),
    )
    ma, mb, mc = (Mistake(e, "wrong", old, "0") for e, old in [("a", "x"), ("b", "3"), ("c", "4")])
    groups = rounds([ma, mb, mc], nb)
    assert all(not ({"a", "b"} <= set(g)) for g in groups), "b reaches a's helper through the given class"
    assert any({"a", "c"} <= set(g) for g in groups), "c is independent of a and can share its round"


VISIBLE_CASES = [(a, m) for a, ms in MISTAKES.items() for m in ms if m.visible and a in assignment_names()]


def test_the_lessons_warnings_are_listed_as_visible_mistakes():
    assert len(VISIBLE_CASES) >= 8 or set(assignment_names()) != set(MISTAKES)


@pytest.mark.parametrize("assignment,mistake", VISIBLE_CASES, ids=[f"{a}:{m.cell}:{m.what}" for a, m in VISIBLE_CASES])
def test_a_mistake_the_lesson_warns_about_fails_a_visible_test(visible_runs, assignment, mistake):
    failed = visible_runs[f"{assignment}:{mistake.cell}:{mistake.what}"]
    assert failed, f"{mistake.what!r} passes every visible test of {mistake.cell} (Validate would say Success)"
    put_back = visible_runs[f"{assignment}:{mistake.cell}:{mistake.what}:put back"]
    assert not put_back, f"with the right answer put back after {mistake.what!r}, {put_back} still fail"
