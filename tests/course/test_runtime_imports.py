"""The learner's runtime (`course` and its subpackages) imports nothing of the grader or its dependencies."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import course

PACKAGE = Path(course.__file__).parent
GRADING = ("nbgrader", "sqlalchemy", "alembic", "dask", "distributed", "psycopg", "grader")
MODULES = sorted("course." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                 for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def test_importing_every_runtime_module_loads_no_grading_dependency():
    code = ("import importlib, json, sys\n"
            f"for name in {MODULES!r}:\n    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(proc.stdout)
    found = sorted(m for m in loaded if m.split(".")[0] in GRADING)
    assert not found, f"the runtime pulled in {found}"
    assert len(MODULES) > 30 and "course.checks.primitives" in loaded


def test_no_runtime_file_imports_the_grader():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        bad = sorted(m for m in imported if m.split(".")[0] in GRADING)
        if path.name == "__main__.py":  # the command line hands over to the grader, inside main()
            assert bad == ["grader.cli"] and all(isinstance(n, (ast.Expr, ast.Import, ast.FunctionDef, ast.If))
                                                 for n in tree.body), "only inside main()"
            continue
        assert not bad, f"{path.relative_to(PACKAGE.parent)} imports {bad}"


def test_importing_the_runtime_has_no_side_effects():
    code = ("import os, sys, warnings\n"
            "import numpy, matplotlib, matplotlib.pyplot, ipywidgets, IPython, threadpoolctl  # their own effects\n"
            "before = (dict(os.environ), list(sys.path), list(warnings.filters), warnings.showwarning)\n"
            "import course, course.checks, course.notebook, course.datasets, course.worked_example\n"
            "import course.reference.nn, course.widgets.playground\n"
            "after = (dict(os.environ), list(sys.path), list(warnings.filters), warnings.showwarning)\n"
            "print(before == after)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "True", "importing the runtime changed the environment, sys.path or warnings"
