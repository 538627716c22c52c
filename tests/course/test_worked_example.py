"""The worked example reproduces the seed tutorial's printed numbers, computed independently."""
import numpy as np
import pytest

from course.worked_example import FIRST_INPUT, FIRST_TARGET, LAYERS_DIMS, make_dataset, parameters, target


def forward_one(x, params):
    """The forward pass for one sample in plain Python: receptors and neurons of every layer."""
    values, prev = {}, list(x)
    for l in range(1, len(LAYERS_DIMS)):
        W, b = params[f"W{l}"].tolist(), params[f"b{l}"].tolist()[0]
        z = [sum(W[j][k] * prev[j] for j in range(len(prev))) + b[k] for k in range(len(b))]
        prev = z if l == len(LAYERS_DIMS) - 1 else [max(0.0, v) for v in z]
        values[f"z{l}"], values[f"x{l}"] = z, prev
    return values


def test_first_row_is_the_seed_example():
    X, Y = make_dataset()
    assert tuple(X[0]) == FIRST_INPUT == (6.1, 8.7)
    assert Y[0, 0] == FIRST_TARGET == 113
    assert X.shape == (6, 2) and Y.shape == (6, 1)


def test_forward_pass_reproduces_every_printed_number():
    v = forward_one(FIRST_INPUT, parameters())
    assert v["z1"] == pytest.approx([-0.314, 0.818, -0.417], abs=1e-12)
    assert v["x1"] == pytest.approx([0, 0.818, 0], abs=1e-12)
    assert v["z2"] == pytest.approx([-0.07362, 0.02454], abs=1e-12)
    assert v["x2"] == pytest.approx([0, 0.02454], abs=1e-12)
    assert v["z3"] == pytest.approx([0.0017178], abs=1e-12)
    assert v["x3"] == v["z3"]


def test_free_rows_do_not_change_the_first_sample():
    params = parameters()
    params["W2"][[0, 2]] = 123.0
    params["W3"][0] = -7.0
    assert forward_one(FIRST_INPUT, params)["x3"] == pytest.approx([0.0017178], abs=1e-12)


def test_weights_have_the_course_shapes_and_are_fresh_copies():
    params = parameters()
    assert {k: v.shape for k, v in params.items()} == {
        "W1": (2, 3), "b1": (1, 3), "W2": (3, 2), "b2": (1, 2), "W3": (2, 1), "b3": (1, 1)}
    assert all(not v.any() for k, v in params.items() if k.startswith("b"))
    params["W1"][0, 0] = 99
    assert parameters()["W1"][0, 0] == -0.08


def test_dataset_is_deterministic_with_a_stable_prefix():
    X6, Y6 = make_dataset()
    X200, Y200 = make_dataset(200)
    np.testing.assert_array_equal(X200[:6], X6)
    np.testing.assert_array_equal(Y200[:6], Y6)
    np.testing.assert_array_equal(make_dataset()[0], X6)
    assert not np.array_equal(make_dataset(6, seed=1)[0][1:], X6[1:])


def test_targets_follow_the_rule_and_the_dataset_exercises_every_hidden_neuron():
    X, Y = make_dataset()
    assert [int(y) for y in Y[:, 0]] == [int(x1 * x1 + x2 * x2 + 0.5) for x1, x2 in X.tolist()]
    assert target([[0.5, 0.5]])[0, 0] == 1.0, "halves round up"
    active = np.maximum(0, X @ parameters()["W1"]) > 0
    assert active.any(axis=0).all(), "each neuron of layer 1 fires for some sample"
    assert X.min() >= 0.5 and X.max() < 10 and np.array_equal(np.round(X, 1), X)


def test_rejects_an_empty_dataset():
    with pytest.raises(ValueError):
        make_dataset(0)
