"""Notebook 5's binary cross-entropy at extreme receptors: a finite, right cost and the whole gradient, no warning.

The course computes the cost from the receptors z (max(z, 0) - y z + ln(1 + e^-|z|)) and the gradient as
(sigmoid(z) - y) / n. Through the probabilities instead, sigmoid(40) rounds to 1.0: ln(1 - a) is -inf and
sigmoid'(40) is 0, so a confident mistake would cost inf (or a clipped, wrong value) and teach nothing.
"""
import decimal
import warnings

import numpy as np
import pytest

from course.reference.classification import bce_dict, bce_with_logits, bce_with_logits_gradient, sigmoid
from course.reference.nn import NN, activation_output_dict, activation_relu_dict

RECEPTORS = [-500.0, -40.0, 40.0, 500.0]
CASES = [(z, y) for z in RECEPTORS for y in (0.0, 1.0)]


def exact(z, y):
    """The sample's loss ln(1 + e^z) - y z and its gradient sigmoid(z) - y, to 300 digits."""
    with decimal.localcontext() as context:
        context.prec = 300  # ln(1 + e^-500) needs the 1 and the e^-500 (about 1e-217) in one number
        z, y = decimal.Decimal(z), decimal.Decimal(y)
        loss = (1 + z.exp()).ln() - y * z
        gradient = 1 / (1 + (-z).exp()) - y
        return float(loss), float(gradient)


def quietly(compute):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        return compute()


@pytest.mark.parametrize(("z", "y"), CASES, ids=[f"z={z:g},y={y:g}" for z, y in CASES])
def test_one_sample_costs_what_it_should_with_its_whole_gradient(z, y):
    Z, Y = np.array([[z]]), np.array([[y]])
    cost, dz = quietly(lambda: (bce_with_logits(Z, Y), bce_with_logits_gradient(Z, Y)))
    loss, gradient = exact(z, y)
    assert np.isfinite(cost)
    assert cost == pytest.approx(loss, rel=1e-14, abs=0), "even a tiny loss such as ln(1 + e^-500) keeps its digits"
    np.testing.assert_array_equal(dz, (sigmoid(Z) - Y) / 1)
    assert dz[0, 0] == pytest.approx(gradient, rel=1e-14, abs=1e-17)


def test_a_confident_mistake_keeps_the_largest_gradient():
    Z = np.array([[40.0], [-40.0], [500.0], [-500.0], [1000.0], [-1000.0]])
    Y = np.array([[0.0], [1.0], [0.0], [1.0], [0.0], [1.0]])
    n = len(Z)
    cost, dz = quietly(lambda: (bce_with_logits(Z, Y), bce_with_logits_gradient(Z, Y)))
    assert cost == pytest.approx((40 + 40 + 500 + 500 + 1000 + 1000) / n, rel=1e-15)
    np.testing.assert_array_equal(dz, (sigmoid(Z) - Y) / n)
    np.testing.assert_array_equal(dz, np.array([[1.0], [-1.0], [1.0], [-1.0], [1.0], [-1.0]]) / n)


def test_many_samples_and_outputs_average_over_the_samples():
    rng = np.random.default_rng(5)
    Z = rng.normal(scale=30, size=(8, 3))
    Y = (rng.uniform(size=(8, 3)) < 0.5).astype(float)
    cost, dz = quietly(lambda: (bce_with_logits(Z, Y), bce_with_logits_gradient(Z, Y)))
    assert cost == pytest.approx(sum(exact(z, y)[0] for z, y in zip(Z.ravel(), Y.ravel(), strict=True)) / 8,
                                 rel=1e-13)
    np.testing.assert_array_equal(dz, (sigmoid(Z) - Y) / 8)


@pytest.mark.parametrize("z", [40.0, -40.0, 500.0, -500.0])
def test_the_network_gets_dz_exactly_through_its_identity_output(z):
    """NN multiplies the cost's derivative by the output activation's: the identity's ones give (sigmoid(z) - y) / n."""
    net = NN([1, 1], activation_relu_dict, activation_output_dict, bce_dict, seed=0)
    net.params["W1"], net.params["b1"] = np.array([[z]]), np.zeros((1, 1))
    X, Y = np.ones((2, 1)), np.array([[0.0], [1.0]])
    derivatives = quietly(lambda: net.backward_pass(X, Y, net.forward_pass(X, training=True)))
    np.testing.assert_array_equal(derivatives["dZ1"], (sigmoid(np.full((2, 1), z)) - Y) / 2)
    assert abs(derivatives["dZ1"]).max() == 0.5, "the wrong one of the two samples keeps the whole gradient, 1/n"
