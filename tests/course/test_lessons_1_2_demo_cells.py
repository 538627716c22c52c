"""Notebooks 1 and 2 teach on when an exercise is unfinished: no cell but an exercise's own reads its answer.

A static counterpart of the cascade test (tests/notebooks/test_cascade.py), cheap enough for every run:
every cell that is not an exercise's own (its answer cell or its test cells) takes the answers it uses
through `my = working(...)`, and asks `working` for every `my.<name>` it reads.
"""
import ast

import pytest

from grader.assignments import exercises, read
from grader.cells import grade_id, is_solution, is_test, reference_solution
from tests.support.environment import REPO
from tests.support.names import bindings, free_names, parse

LESSONS = ("01_notation", "02_forward_pass")


def _notebook(lesson):
    return read(next((REPO / "source" / lesson).glob("*.ipynb")))


def _answers(nb):
    """{answer grade_id: the names only that answer binds (not also bound by a given or demo cell)}."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    elsewhere = set().union(*(bindings(c.source) for c in code if not is_solution(c) and not is_test(c)))
    return {grade_id(c): bindings(reference_solution(c.source)) - elsewhere for c in code if is_solution(c)}


def _working_names(tree):
    """The names asked of `working(...)` in this code."""
    return {arg.value for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "working" for arg in node.args if isinstance(arg, ast.Constant)}


def _my_attributes(tree):
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "my"}


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_cell_reads_another_exercise_s_answer_directly(lesson):
    nb = _notebook(lesson)
    answers = _answers(nb)
    own = {t: answer for answer, tests in exercises(nb).items() for t in tests}
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        gid = grade_id(cell)
        mine = gid if is_solution(cell) else own.get(gid)
        source = reference_solution(cell.source) if is_solution(cell) else cell.source
        for answer, names in answers.items():
            if answer != mine and free_names(source) & names:
                found.append(f"{gid or f'cell {index}'} reads {sorted(free_names(source) & names)} of {answer}")
    assert not found, found


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_my_name_is_asked_of_working_in_its_cell(lesson):
    nb = _notebook(lesson)
    users = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or is_test(cell):
            continue
        tree = parse(reference_solution(cell.source) if is_solution(cell) else cell.source)
        used = _my_attributes(tree)
        assert used <= _working_names(tree), f"cell {index} reads my.{sorted(used - _working_names(tree))}"
        users += bool(used)
    assert users >= 1


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_student_is_told_before_the_first_cell_that_uses_working(lesson):
    nb = _notebook(lesson)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "working(" in c.source
                 and c.get("id") != "setup")
    before = next(c for c in reversed(nb.cells[:first]) if c.cell_type == "markdown")
    assert "`working(...)`" in before.source and "course's version" in before.source
