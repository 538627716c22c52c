"""nbgrader's own Validator (its Python API: `nbgrader validate` exits 0 even on failure)."""

import re

import pytest

from tests.support.workers import UNANSWERED_CASES


def test_every_source_notebook_passes_validation(validations, assignments):
    for a in assignments:
        assert validations[f"source/{a}"] == {}, f"source/{a} fails validation: {validations[f'source/{a}']}"


def test_every_test_cell_fails_on_the_unedited_release(validations, assignments):
    for a in assignments:
        result = validations[f"invert/{a}"]
        passed = [cell["source"].split("\n")[0] for cell in result.get("passed", [])]
        assert not passed, f"release/{a}: these test cells pass without any answer: {passed}"
        assert result == {}, f"release/{a}: {result}"


def test_validate_names_the_exercise_to_finish_for_every_failed_test(validations, assignments):
    if UNANSWERED_CASES not in assignments:
        pytest.skip(f"COURSE_LESSONS leaves out {UNANSWERED_CASES}")
    failed = validations[f"release/{UNANSWERED_CASES}"]["failed"]
    assert failed, "nothing failed on a notebook without answers"
    for cell in failed:
        assert re.search(r"`[\w.]+` is not (written|defined) yet: (finish Exercise \d|answer the knowledge check)",
                         cell["error"]), \
            f"a test's failure does not say which exercise to finish:\n{cell['source']}\n{cell['error'][-600:]}"
