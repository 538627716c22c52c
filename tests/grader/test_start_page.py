"""The learner's start page (grader/apps/start.py): made once, its progress table rewritten, the rest kept."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from grader.apps.start import CHECKS, START_PAGE, TEMPLATE, read_cells, record_check, refresh
from grader.cells import is_solution
from tests.support.environment import REPO, env


@pytest.fixture
def course(tmp_path):
    """A course folder with the repo's release, template and config, and a learner's workspace copy."""
    shutil.copytree(REPO / "release", tmp_path / "release", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(tmp_path / "release", tmp_path / "workspace")
    (tmp_path / TEMPLATE).parent.mkdir()
    shutil.copy2(REPO / TEMPLATE, tmp_path / TEMPLATE)
    shutil.copy2(REPO / "nbgrader_config.py", tmp_path)
    return tmp_path


def page(course):
    return (course / "workspace" / START_PAGE).read_text()


def row(course, notebook):
    return next(line for line in page(course).split("\n") if f"]({notebook})" in line)


def answer_first_exercise(path):
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if is_solution(c))
    cell["source"] = "def output_layer(layers_dims):\n    return len(layers_dims) - 1\n"
    path.write_text(json.dumps(nb))


def release_notebooks(course):
    return [p.relative_to(course / "release").as_posix() for p in sorted((course / "release").glob("*/*.ipynb"))]


def test_made_from_the_template_with_a_row_per_lesson(course):
    assert refresh(course) == "made"
    text = page(course)
    assert text.startswith((course / TEMPLATE).read_text().split("<!-- BEGIN PROGRESS")[0])
    for notebook in release_notebooks(course):
        solutions = sum(1 for c in read_cells(course / "release" / notebook) if is_solution(c))
        assert f"| 0 of {solutions} | not checked yet |" in row(course, notebook)
    assert "| 1 | [Notation: the anatomy of a feed-forward network](01_notation/notation.ipynb) |" in text


def test_only_the_progress_table_is_rewritten(course):
    refresh(course)
    mine = page(course).replace("## Validate as you go", "My own notes.\n\n## Validate as you go")
    (course / "workspace" / START_PAGE).write_text(mine)
    answer_first_exercise(course / "workspace" / "01_notation" / "notation.ipynb")
    assert refresh(course) == "refreshed"
    assert "My own notes." in page(course)
    assert "| 1 of " in row(course, "01_notation/notation.ipynb")


def test_an_unchanged_table_leaves_the_file_alone(course):
    refresh(course)
    before = os.stat(course / "workspace" / START_PAGE).st_mtime_ns
    assert refresh(course) == "unchanged"
    assert os.stat(course / "workspace" / START_PAGE).st_mtime_ns == before


def test_a_page_without_its_markers_is_left_alone(course):
    (course / "workspace" / START_PAGE).write_text("my own page")
    assert refresh(course).startswith("left alone")
    assert page(course) == "my own page"


def test_a_check_shows_its_points_until_the_notebook_changes(course):
    notebook = course / "workspace" / "02_forward_pass" / "forward_pass.ipynb"
    assert record_check(course, notebook, "02_forward_pass", "forward_pass.ipynb",
                        [("receptors", 2.0, 2.0), ("layer_forward", 0.0, 3.0)])
    refresh(course)
    assert "2 / 5 points (" in row(course, "02_forward_pass/forward_pass.ipynb")
    assert "changed since" not in row(course, "02_forward_pass/forward_pass.ipynb")
    checks = json.loads((course / "workspace" / CHECKS).read_text())
    assert checks["02_forward_pass/forward_pass.ipynb"]["exercises"] == {"receptors": [2.0, 2.0],
                                                                         "layer_forward": [0.0, 3.0]}
    notebook.write_text(notebook.read_text() + "\n")
    refresh(course)
    assert "2 / 5 points (" in row(course, "02_forward_pass/forward_pass.ipynb")
    assert "changed since" in row(course, "02_forward_pass/forward_pass.ipynb")


def test_a_notebook_outside_the_workspace_is_not_recorded(course):
    outside = course / "release" / "02_forward_pass" / "forward_pass.ipynb"
    assert not record_check(course, outside, "02_forward_pass", "forward_pass.ipynb", [("receptors", 2.0, 2.0)])
    assert not (course / "workspace" / CHECKS).exists()


def test_the_command_makes_the_page(course):
    proc = subprocess.run([sys.executable, "-m", "course", "--course", str(course), "start-page"], cwd=REPO,
                          env=env(), capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout and not proc.stderr, proc.stdout + proc.stderr
    assert (course / "workspace" / START_PAGE).exists()
