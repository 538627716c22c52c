"""The table of exercises agrees with the notebooks, and the course's versions pass the visible checks."""
import ast
import importlib
import inspect
import re

import pytest

from course.exercises import EXERCISES
from grader.assignments import exercises, read
from grader.cells import grade_id
from tests.support.environment import REPO

NOTEBOOKS = {path.parent.name: read(path) for path in sorted(REPO.glob("source/*/*.ipynb"))}
# A measurement on the notebook's own data: the course keeps no copy of it, and nothing after it reads it.
NO_COURSE_VERSION = {"initial_loss"}
BY_ID = [pytest.param(e, id=f"{e.lesson}:{e.cell}") for e in EXERCISES]


def test_every_graded_exercise_of_every_lesson_is_in_the_table():
    listed = {(e.lesson, e.cell) for e in EXERCISES}
    in_notebooks = {(lesson, cell) for lesson, nb in NOTEBOOKS.items() for cell in exercises(nb)
                    if not cell.startswith("quiz_")}
    assert listed == in_notebooks


def _cells(exercise):
    nb = NOTEBOOKS[exercise.lesson]
    cells = {grade_id(c): c for c in nb.cells}
    return cells[exercise.cell], [cells[t] for t in exercises(nb)[exercise.cell]]


@pytest.mark.parametrize("exercise", BY_ID)
def test_the_checks_are_those_the_visible_tests_call_with_the_arguments_they_name(exercise):
    _, tests = _cells(exercise)
    calls, numbers = [], set()
    for cell in tests:
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        numbers |= set(re.findall(r"# Tests for Exercise (\d+)", visible))
        calls += [node for node in ast.walk(ast.parse(visible)) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id.startswith("check_")]
    assert numbers == {str(exercise.number)}
    assert [c.func.id for c in calls] == list(exercise.checks)
    module = importlib.import_module(exercise.checks_module)
    for call in calls:
        parameters = list(inspect.signature(getattr(module, call.func.id)).parameters)
        assert [ast.unparse(a) for a in call.args] == parameters, f"{call.func.id} is called with other names"


@pytest.mark.parametrize("exercise", BY_ID)
def test_the_answer_cell_defines_every_name(exercise):
    answer, _ = _cells(exercise)
    tree = ast.parse(answer.source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {ast.unparse(t) for t in node.targets}
            defined |= {ast.unparse(e) for t in node.targets if isinstance(t, ast.Tuple) for e in t.elts}
    assert set(exercise.names) <= defined


@pytest.mark.parametrize("exercise", BY_ID)
def test_the_course_version_passes_the_exercise_visible_checks(exercise, capsys):
    if NO_COURSE_VERSION & set(exercise.names):
        pytest.skip("the course keeps no version of " + ", ".join(sorted(NO_COURSE_VERSION & set(exercise.names))))
    reference = importlib.import_module(exercise.reference)
    checks = importlib.import_module(exercise.checks_module)
    space = {**vars(checks), **vars(reference)}
    for check in exercise.checks:
        function = getattr(checks, check)
        function(*(space[p] for p in inspect.signature(function).parameters))


def test_a_function_name_belongs_to_one_exercise():
    """An unanswered function's NotImplementedError is traced to its exercise by the function's name alone."""
    owners = {}
    for e in EXERCISES:
        for name in e.names:
            owners.setdefault(name.rsplit(".", 1)[-1], []).append(f"{e.lesson}:{e.cell}")
    assert not {name: where for name, where in owners.items() if len(where) > 1}
