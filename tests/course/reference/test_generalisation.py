"""The reference of notebook 7: dropout through a whole network, with the L2 penalty, against finite differences."""
import numpy as np
import pytest

from course.reference.activations import activation_tanh_dict
from course.reference.generalisation import (
    backward_with_dropout,
    forward_with_dropout,
    l2_gradients,
    l2_penalty,
    minibatches,
)
from course.reference.gradcheck import numerical_gradient, relative_error
from course.reference.nn import NN, activation_output_dict, loss_dict


@pytest.mark.parametrize("keep_prob,lam", [(1.0, 0.0), (0.6, 0.05)])
def test_dropout_and_weight_decay_gradients_match_finite_differences(keep_prob, lam):
    net = NN([1, 6, 6, 1], activation_tanh_dict, activation_output_dict, loss_dict)
    rng = np.random.default_rng(0)
    for key in net.params:
        net.params[key] = rng.normal(scale=0.5, size=net.params[key].shape)
    x, y = rng.uniform(-2, 2, size=(7, 1)), rng.normal(size=(7, 1))

    def penalised(_):  # the same masks on every call: the same seed
        values, _masks = forward_with_dropout(net, x, keep_prob, np.random.default_rng(4))
        return float(np.sum((values["x3"] - y) ** 2) / (2 * len(y))) + l2_penalty(net.params, lam)

    values, masks = forward_with_dropout(net, x, keep_prob, np.random.default_rng(4))
    assert bool(masks) == (keep_prob < 1)
    grads = l2_gradients(backward_with_dropout(net, y, values, masks, keep_prob), net.params, lam)
    for name, P in net.params.items():
        assert relative_error(grads["d" + name], numerical_gradient(penalised, P)) < 1e-6, name


def test_without_dropout_the_backward_pass_is_the_networks_own():
    net = NN([3, 4, 2], activation_tanh_dict, activation_output_dict, loss_dict, seed=1)
    X, Y = np.random.default_rng(2).normal(size=(5, 3)), np.random.default_rng(3).normal(size=(5, 2))
    values, masks = forward_with_dropout(net, X, 1.0, None)
    plain = net.backward_pass(X, Y, net.forward_pass(X, training=True))
    for key, value in backward_with_dropout(net, Y, values, masks, 1.0).items():
        np.testing.assert_array_equal(value, plain[key])


def test_minibatches_cover_every_row_once():
    X, Y = np.arange(10).reshape(-1, 1), np.arange(10)
    batches = minibatches(X, Y, 4, np.random.default_rng(0))
    assert [len(b) for b, _ in batches] == [4, 4, 2]
    assert sorted(np.concatenate([b[:, 0] for b, _ in batches]).tolist()) == list(range(10))
