"""Every reference module says which lesson it solves, and the old module paths still give the same objects."""
import ast
import importlib
from pathlib import Path

import pytest

import course

PACKAGE = Path(course.__file__).parent
REFERENCES = sorted(p.stem for p in (PACKAGE / "reference").glob("*.py") if p.stem != "__init__")
LESSONS = sorted(p.name for p in (PACKAGE.parent / "source").iterdir() if p.is_dir())
SHIMS = sorted(p.stem for p in PACKAGE.glob("*.py")
               if "Deprecated" in (ast.get_docstring(ast.parse(p.read_text())) or ""))


@pytest.mark.parametrize("name", REFERENCES)
def test_each_reference_module_names_the_lesson_it_solves(name):
    module = importlib.import_module(f"course.reference.{name}")
    assert module.LESSON in LESSONS, f"course.reference.{name}.LESSON = {module.LESSON!r} is not a lesson"
    assert module.__all__, "it says which names it offers"


def test_the_old_module_paths_still_work():
    assert len(SHIMS) >= 15, SHIMS
    for name in SHIMS:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text())
        code = [node for node in tree.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        assert all(isinstance(node, (ast.ImportFrom, ast.Assign)) for node in code), f"course.{name} only re-exports"
        old = importlib.import_module(f"course.{name}")
        for node in code:
            if isinstance(node, ast.ImportFrom):
                new = importlib.import_module(node.module)
                names = new.__all__ if node.names[0].name == "*" and hasattr(new, "__all__") else \
                    [a.name for a in node.names if a.name != "*"]
                for attr in names:
                    assert getattr(old, attr) is getattr(new, attr), f"course.{name}.{attr}"
