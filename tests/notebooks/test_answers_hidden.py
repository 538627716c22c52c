"""No release notebook puts an answer on screen, and its test cells read at a glance.

A graded function of lesson N (a function defined in one of its answer cells)
must not be implemented in any visible cell of release N or of an earlier
release: not in a test cell, a locked cell or a demo. Visible test cells are
short calls into `course.checks`, define nothing and use only the names their
exercise asks for; the checks themselves never import the reference of their
own lesson or a later one.
"""
import ast
import builtins
from pathlib import Path

import pytest

import course
from grader import references
from grader.assignments import exercises, read, release_path, source_notebooks
from grader.cells import grade_id, is_locked, is_solution, is_test, reference_solution
from tests.support.environment import REPO
from tests.support.names import bindings, free_names, parse

SOURCES = source_notebooks(REPO)
LESSONS = [p.parent.name for p in SOURCES]
SOURCE_OF = {p.parent.name: p for p in SOURCES}
CHECKS = Path(course.__file__).parent / "checks"
MAX_LINES = 8


def code_lines(source):
    return [line for line in source.split("\n") if line.strip() and not line.strip().startswith("#")]


class _Anonymous(ast.NodeTransformer):
    """Every name and argument the same: two bodies that differ only in naming dump the same."""

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id="_", ctx=node.ctx), node)

    def visit_arg(self, node):
        return ast.copy_location(ast.arg(arg="_"), node)


def shape(body):
    """A name-blind fingerprint of a function body or a lambda's expression."""
    tree = ast.Module(body=body if isinstance(body, list) else [ast.Expr(body)], type_ignores=[])
    body_nodes = tree.body
    if body_nodes and isinstance(body_nodes[0], ast.Expr) and isinstance(body_nodes[0].value, ast.Constant) \
            and isinstance(body_nodes[0].value.value, str):
        tree.body = body_nodes[1:]  # the docstring
    return ast.dump(_Anonymous().visit(tree), annotate_fields=False)


def _stub(body):
    """A skeleton's method: a docstring at most, then `raise NotImplementedError(...)`."""
    code = [n for n in body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return len(code) == 1 and isinstance(code[0], ast.Raise) and "NotImplementedError" in ast.unparse(code[0])


def functions(tree):
    """(name, fingerprint) of every def but a stub, and every lambda bound to a name or a dictionary entry."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _stub(node.body):
            found.append((node.name, shape(node.body)))
        elif isinstance(node, ast.Lambda):
            found.append((None, shape(node.body)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            for target in node.targets:
                name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
                found.append((name, shape(node.value.body)))
    return found


def graded_functions(source_nb):
    """{name: fingerprint} of the functions the answer cells of a lesson define."""
    graded = {}
    for cell in source_nb.cells:
        if is_solution(cell):
            for name, fingerprint in functions(parse(reference_solution(cell.source))):
                if name:
                    graded[name] = fingerprint
    return graded


GRADED = {p.parent.name: graded_functions(read(p)) for p in SOURCES}
# Bodies that implement nothing worth hiding.
TRIVIAL = {shape(ast.parse(code).body) for code in ("return z", "pass", "return None")}


def later(lesson):
    """The graded functions of `lesson` and of every lesson after it."""
    found = {}
    for other in LESSONS[LESSONS.index(lesson):]:
        found.update({name: (other, fp) for name, fp in GRADED[other].items()})
    return found


def visible(release_nb):
    """(kind, grade_id, source) of every code cell as a student first sees it, answer cells' given code included."""
    for index, cell in enumerate(release_nb.cells, start=1):
        if cell.cell_type == "code":
            kind = ("answer cell" if is_solution(cell) else "test cell" if is_test(cell)
                    else "locked cell" if is_locked(cell) else "demo cell")
            yield kind, grade_id(cell) or f"cell {index}", cell.source


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_visible_cell_implements_a_graded_function_of_this_lesson_or_a_later_one(lesson):
    answers = later(lesson)
    bodies = {fp: (name, other) for name, (other, fp) in answers.items() if fp not in TRIVIAL}
    shown = []
    for kind, where, source in visible(read(release_path(SOURCE_OF[lesson]))):
        for name, fingerprint in functions(parse(source)):
            if fingerprint in TRIVIAL:
                continue
            if name in answers:
                shown.append(f"{kind} {where} defines {name}, the answer of {answers[name][0]}")
            elif fingerprint in bodies:
                shown.append(f"{kind} {where} implements {bodies[fingerprint][0]} of {bodies[fingerprint][1]}")
    assert not shown, shown


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_visible_cell_imports_the_reference_of_this_lesson_or_a_later_one(lesson):
    hidden = references.hidden(lesson)
    used = [(kind, where, references.uses(source, hidden))
            for kind, where, source in visible(read(release_path(SOURCE_OF[lesson])))]
    assert not [u for u in used if u[2]], [u for u in used if u[2]]


def test_the_graded_functions_are_found():
    assert {"relu", "MSE", "forward_pass", "backward_pass", "train"} <= set(GRADED["04_nn_class"])
    assert {"softmax", "cross_entropy"} <= set(GRADED["05_classification"])
    assert sum(len(g) for g in GRADED.values()) >= 40


def test_the_check_would_see_an_answer_under_another_name():
    source = "def helper(self, X, training=False):\n    return X\n"
    fingerprint = dict(functions(ast.parse(source)))["helper"]
    renamed = "def other(a, b, c=False):\n    return a\n"
    assert dict(functions(ast.parse(renamed)))["other"] == fingerprint


def _test_cells():
    for path in SOURCES:
        for answer, tests in exercises(read(path)).items():
            for test in tests:
                yield pytest.param(path.parent.name, answer, test, id=f"{path.parent.name}:{test}")


def _cell(nb, gid):
    return next(c for c in nb.cells if grade_id(c) == gid)


TEST_CELLS = list(_test_cells())


@pytest.mark.parametrize("lesson,answer,test", TEST_CELLS)
def test_a_visible_test_cell_is_a_short_call_that_defines_nothing(lesson, answer, test):
    source = _cell(read(release_path(SOURCE_OF[lesson])), test).source
    lines = code_lines(source)
    assert len(lines) <= MAX_LINES, f"{len(lines)} lines of code: {lines}"
    tree = parse(source)
    defined = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
    assert not defined, f"the test cell defines {defined}"


@pytest.mark.parametrize("lesson,answer,test", TEST_CELLS)
def test_a_visible_test_cell_uses_only_the_names_its_exercise_asks_for(lesson, answer, test):
    """Nothing from a demo cell or another test cell: a student may rebind or delete those."""
    nb = read(SOURCE_OF[lesson])
    source = _cell(read(release_path(SOURCE_OF[lesson])), test).source
    allowed = bindings(reference_solution(_cell(nb, answer).source)) | set(dir(builtins))
    for cell in nb.cells:
        if cell.cell_type == "code" and is_locked(cell) and not is_test(cell):
            allowed |= bindings(cell.source)  # given code a student cannot change: the set-up, a class skeleton
    stray = sorted(free_names(source) - allowed)
    assert not stray, f"the test cell reads {stray}, which its exercise does not define"


def _check_modules():
    for path in sorted(CHECKS.glob("*.py")):
        lesson = next((name for name in LESSONS if name[3:] == path.stem), None)
        if lesson:
            yield pytest.param(path, lesson, id=path.stem)


@pytest.mark.parametrize("path,lesson", list(_check_modules()))
def test_a_lessons_checks_use_only_the_references_of_earlier_lessons(path, lesson):
    assert not references.uses(path.read_text(), references.hidden(lesson)), \
        f"{path.name} imports a reference that solves {lesson} or a later lesson"


def test_every_lesson_has_its_checks():
    assert sorted(p.values[1] for p in _check_modules()) == LESSONS
