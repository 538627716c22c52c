"""nbgrader's own Validator (its Python API: `nbgrader validate` exits 0 even on failure)."""


def test_every_source_notebook_passes_validation(validations, assignments):
    for a in assignments:
        assert validations[f"source/{a}"] == {}, f"source/{a} fails validation: {validations[f'source/{a}']}"


def test_every_test_cell_fails_on_the_unedited_release(validations, assignments):
    for a in assignments:
        result = validations[f"invert/{a}"]
        passed = [cell["source"].split("\n")[0] for cell in result.get("passed", [])]
        assert not passed, f"release/{a}: these test cells pass without any answer: {passed}"
        assert result == {}, f"release/{a}: {result}"
