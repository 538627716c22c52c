"""Exercise 7 of notebook 3: the planted bugs are what the course says, the checker finds each one, nothing leaks."""
import itertools

import numpy as np
import pytest

from course.checks import backprop as checks
from course.reference import backprop as reference
from course.reference.gradcheck import numerical_gradient, relative_error
from grader.assignments import read, release_path, source_notebooks
from grader.cells import grade_id, reference_solution
from tests.support.environment import REPO

SOURCE = next(p for p in source_notebooks(REPO) if p.parent.name == "03_backprop")
PARAMETERS = ["W1", "b1", "W2", "b2", "W3", "b3"]
# Each planted bug: the wrong line, its fix, and the gradients it alone spoils.
BUGS = [
    ("db3 = np.mean(dZ3, axis=0, keepdims=True)", "db3 = np.sum(dZ3, axis=0, keepdims=True)", {"b3"}),
    ("dW2 = dZ2.T @ X1", "dW2 = X1.T @ dZ2", {"W2"}),
    ('dZ1 = dZ2 @ params["W2"].T', 'dZ1 = (dZ2 @ params["W2"].T) * X1 * (1 - X1)', {"W1", "b1"}),
]


def _cell(nb, gid):
    return next(c for c in nb.cells if grade_id(c) == gid)


def _given(source=None):
    """The names the notebook's given cell defines, run from `source` (by default the cell itself)."""
    space = {"np": np}
    exec(source or _cell(read(SOURCE), "buggy_network").source, space)
    return space


def _wrong(backward, space):
    """{parameter: relative error} of `backward` on the notebook's network, where the checker says it is wrong."""
    params, X, Y = space["params_bug"], space["X_bug"], space["Y_bug"]
    grads = backward(X, Y, params)
    errors = {name: relative_error(grads["d" + name],
                                   numerical_gradient(lambda _: space["sigmoid_network_cost"](params, X, Y), P))
              for name, P in params.items()}
    assert all(e < 1e-7 or e > 1e-1 for e in errors.values()), f"no clear verdict: {errors}"
    return {name for name, e in errors.items() if e > 1e-1}


def test_the_checker_finds_exactly_the_gradients_the_course_names():
    space = _given()
    assert _wrong(space["buggy_backprop"], space) == set(reference.wrong_gradients) == {"W1", "b1", "W2", "b3"}


@pytest.mark.parametrize("kept", range(len(BUGS)), ids=[bug[0] for bug in BUGS])
def test_each_bug_alone_spoils_only_its_own_gradients(kept):
    source = _cell(read(SOURCE), "buggy_network").source
    for k, (wrong, fixed, _) in enumerate(BUGS):
        assert source.count(wrong) == 1
        if k != kept:
            source = source.replace(wrong, fixed)
    space = _given(source)
    assert _wrong(space["buggy_backprop"], space) == BUGS[kept][2]


def test_the_three_fixes_make_it_right():
    source = _cell(read(SOURCE), "buggy_network").source
    for wrong, fixed, _ in BUGS:
        source = source.replace(wrong, fixed)
    space = _given(source)
    assert _wrong(space["buggy_backprop"], space) == set()


def test_the_solution_and_the_course_version_agree_on_other_widths():
    space = _given()
    exec(reference_solution(_cell(read(SOURCE), "find_the_bugs").source), space)
    assert set(space["wrong_gradients"]) == set(reference.wrong_gradients)
    rng = np.random.default_rng(0)
    for dims, n in [([3, 4, 2, 2], 5), ([1, 6, 3, 1], 1)]:
        params = {f"{kind}{l}": rng.normal(size=(dims[l - 1], dims[l]) if kind == "W" else (1, dims[l]))
                  for l in (1, 2, 3) for kind in "Wb"}
        X, Y = rng.normal(size=(n, dims[0])), rng.normal(size=(n, dims[-1]))
        ours, theirs = reference.fixed_backprop(X, Y, params), space["fixed_backprop"](X, Y, params)
        for name, P in params.items():
            numeric = numerical_gradient(lambda _, p=params, x=X, y=Y: space["sigmoid_network_cost"](p, x, y), P)
            assert relative_error(ours["d" + name], numeric) < 1e-7
            np.testing.assert_allclose(theirs["d" + name], ours["d" + name], rtol=1e-12, atol=1e-15)


def test_the_release_shows_the_bugs_but_not_the_fixes_or_the_names():
    release = read(release_path(SOURCE))
    shown = "\n".join(c.source for c in release.cells if c.cell_type == "code")
    assert all(wrong in shown for wrong, _, _ in BUGS)
    assert not [fixed for _, fixed, _ in BUGS if fixed in shown]
    assert "wrong_gradients =" not in shown


def test_the_visible_checks_give_nothing_away():
    """Every well-formed set of names passes, and so does the buggy backward pass itself."""
    for k in range(len(PARAMETERS) + 1):
        for names in itertools.combinations(PARAMETERS, k):
            checks.check_wrong_gradients(set(names))
    checks.check_wrong_gradients(["W1", "b2"])
    checks.check_fixed_backprop(_given()["buggy_backprop"])
    checks.check_fixed_backprop(reference.fixed_backprop)


@pytest.mark.parametrize(("answer", "message"), [
    ("W1, b1", "should be a set of parameter names"),
    (None, "but it is None"),
    (3, "should be a set of parameter names"),
    ({"W1": True}, "should be a set of parameter names"),
    ({"W4"}, "'W4', which is not the name of a parameter"),
    ({"dW1"}, "'dW1', which is not the name of a parameter"),
    (["W1", "W1"], "names a parameter twice"),
])
def test_a_badly_formed_answer_gets_a_message(answer, message):
    with pytest.raises(AssertionError, match=message):
        checks.check_wrong_gradients(answer)


def test_a_fixed_backprop_that_changes_its_input_or_drops_a_gradient_fails():
    def in_place(X, Y, params):
        grads = reference.fixed_backprop(X, Y, params)
        params["W1"] -= grads["dW1"]
        return grads

    def no_db1(X, Y, params):
        return {k: v for k, v in reference.fixed_backprop(X, Y, params).items() if k != "db1"}

    with pytest.raises(AssertionError, match="must not change"):
        checks.check_fixed_backprop(in_place)
    with pytest.raises(AssertionError, match="missing"):
        checks.check_fixed_backprop(no_db1)
