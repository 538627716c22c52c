"""nbgrader's own Validator (its Python API: `nbgrader validate` exits 0 even on failure)."""
import pytest
from conftest import env

from course.assignments import release_path, source_notebooks

NOTEBOOKS = source_notebooks()
IDS = [p.parent.name for p in NOTEBOOKS]


def validate(path, **options):
    import os
    from nbgrader.validator import Validator
    saved = os.environ["PATH"]
    os.environ["PATH"] = env()["PATH"]
    try:
        return Validator(**options).validate(str(path))
    finally:
        os.environ["PATH"] = saved


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_source_notebook_passes_validation(path):
    assert validate(path) == {}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_test_cell_fails_on_the_unedited_release(path):
    result = validate(release_path(path), invert=True)
    passed = [cell["source"].split("\n")[0] for cell in result.get("passed", [])]
    assert not passed, f"these test cells pass without any answer: {passed}"
    assert result == {}
