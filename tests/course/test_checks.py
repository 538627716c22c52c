"""The graded cells' checks: right verdicts, useful messages, and no trust in student objects."""
import numpy as np
import pytest

from course import checks
from course.checks import check_array, check_equal, check_keys, check_scalar, check_shape, check_type, primitives


def fails(call, *args, match=None):
    with pytest.raises(AssertionError, match=match) as info:
        call(*args)
    return str(info.value)


def test_correct_results_pass():
    check_array("Z", np.array([[1.0, 2.0]]), [[1.0, 2.0 + 1e-9]])
    check_scalar("s", np.float64(0.1 + 0.2), 0.3)
    check_scalar("s", 3, 3.0)
    check_equal("n", np.int64(3), 3)
    check_equal("shapes", {"W1": (2, 3)}, {"W1": (2, 3)})
    check_keys("d", {"a": 1, "b": 2}, ["b", "a"])
    check_type("x", 2.5, float)


def test_type_shape_and_values_fail_separately_with_a_message():
    assert "should be a numpy array, but it is a list: [1, 2]." in fails(check_array, "f(x)", [1, 2], [1, 2])
    assert "should have shape (2, 3), but it has shape (3, 2). It looks transposed" in fails(
        check_array, "Z1", np.zeros((3, 2)), np.zeros((2, 3)))
    assert "1 dimension(s) instead of 2" in fails(check_shape, "b", np.zeros(3), (1, 3))
    message = fails(check_array, "Z1", np.array([[1.0, 5.0, 3.0]]), [[1.0, 2.0, 3.0]])
    assert message == "Z1 has wrong values: 1 of 3 entries differ. The entry, at index (0, 1), should be 2 but is 5."
    message = fails(check_array, "Z1", np.array([[0.0, 5.0, 4.0]]), [[1.0, 2.0, 3.0]])
    assert message.startswith("Z1 has wrong values: 3 of 3 entries differ. The first, at index (0, 0), should be 1")


def test_messages_read_as_sentences():
    assert fails(check_scalar, "MSE(a, Y)", 1.25, 2.5) == "MSE(a, Y) should be 2.5, but it is 1.25."
    assert fails(check_array, "x3", np.array([[0.5]]), [[0.0017178]]) == "x3 should hold 0.0017178, but it holds 0.5."
    assert fails(check_equal, "output_layer([5, 1])", 3, 1) == "output_layer([5, 1]) should be 1, but it is 3."


def test_a_failed_check_shows_one_line_without_a_traceback():
    with pytest.raises(checks.CheckFailed) as info:
        check_scalar("J", 1.0, 2.0)
    assert isinstance(info.value, AssertionError), "nbgrader and plain asserts treat it as a failed test"
    (line,) = info.value._render_traceback_()
    assert line.endswith("J should be 2, but it is 1.") and "Traceback" not in line


def test_messages_point_at_common_mistakes():
    assert "wrong sign" in fails(check_array, "g", np.array([-1.0, 2.0]), [1.0, -2.0])
    assert "overflow" in fails(check_array, "s", np.array([np.nan, 1.0]), [0.5, 1.0])
    assert "forget to `return`" in fails(check_scalar, "f(x)", None, 1.0)


def test_booleans_and_lookalikes_are_not_accepted():
    fails(check_scalar, "s", True, 1.0)
    fails(check_equal, "n", True, 1)
    fails(check_equal, "n", 3.0, 3)
    fails(check_equal, "t", [2, 3], (2, 3))

    class AlwaysEqual(tuple):
        def __eq__(self, other):
            return True

    fails(check_equal, "shape", AlwaysEqual((9, 9)), (2, 3))
    fails(check_equal, "key", AlwaysEqual(), "W1")


def test_patched_numpy_cannot_change_a_verdict(monkeypatch):
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "isclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "array_equal", lambda *a, **k: True)
    monkeypatch.setattr(np, "asarray", lambda *a, **k: np.zeros(2))
    fails(check_array, "Z", np.array([1.0, 2.0]), [1.0, 3.0])
    assert primitives._asarray is not np.asarray


def test_nan_matches_only_nan():
    check_array("x", np.array([np.nan]), [np.nan])
    fails(check_array, "x", np.array([0.0]), [np.nan])


def test_keys_report_what_is_missing_and_extra():
    message = fails(check_keys, "params", {"W1": 0, "W0": 0}, ["W1", "b1"])
    assert "missing ['b1']" in message and "unexpected ['W0']" in message


@pytest.mark.parametrize("module,name", [(np, "allclose"), (np, "maximum"), (np.random, "default_rng"),
                                         (__import__("builtins"), "round"), (__import__("math"), "isclose")])
def test_a_replaced_function_fails_every_later_check(monkeypatch, module, name):
    monkeypatch.setattr(module, name, lambda *a, **k: True)
    message = fails(check_equal, "n", 3, 3)
    assert f"{name} was replaced" in message


def test_in_a_kernel_a_failed_check_is_one_sentence_and_the_checks_frames_are_hidden():
    import nbformat
    from nbclient import NotebookClient

    from grader.kernels import use_ipc
    from grader.preprocessors.redact import ANSI
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from course.checks import check_scalar\ncheck_scalar('J', 1.0, 2.0)"),
        nbformat.v4.new_code_cell("from course.checks.notation import check_output_layer\n\n"
                                  "def output_layer(layers_dims):\n    return layers_dims[10]\n\n"
                                  "check_output_layer(output_layer)"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True, config=use_ipc()).execute()
    failed, raised = (next(o for o in c.outputs if o.output_type == "error") for c in nb.cells)
    assert [ANSI.sub("", line) for line in failed.traceback] == ["Check failed: J should be 2, but it is 1."]
    shown = ANSI.sub("", "\n".join(raised.traceback))
    assert "IndexError" in shown and "return layers_dims[10]" in shown, "the student's own frame is shown"
    assert "notation.py" not in shown and "skipping hidden 1 frame" in shown, "the check's frame is not"
