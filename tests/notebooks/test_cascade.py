"""A stuck student still sees the lesson: an unanswered exercise raises only in its own cell and its own tests."""
import pytest

from grader.assignments import exercises, read, release_path
from tests.support.courses import assignment_names, lesson_notebooks

CASES = [(path.parent.name, cell) for path in lesson_notebooks()
         for cell in exercises(read(release_path(path))) if not cell.startswith("quiz_")]


@pytest.mark.parametrize(("lesson", "cell"), CASES, ids=[f"{lesson}:{cell}" for lesson, cell in CASES])
def test_an_unanswered_exercise_raises_only_in_its_own_cells(cascade_runs, lesson, cell):
    if lesson not in assignment_names():
        pytest.skip(f"COURSE_LESSONS leaves out {lesson}")
    path = next(p for p in lesson_notebooks() if p.parent.name == lesson)
    tests = exercises(read(release_path(path)))[cell]
    raised = set(cascade_runs[f"{lesson}:{cell}"])
    assert raised <= {cell, *tests}, f"with {cell} unanswered, other cells raise too: {sorted(raised - {cell, *tests})}"
    assert raised & set(tests), "its own tests do not fail, so the exercise was not left out"
