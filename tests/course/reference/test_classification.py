"""The reference classification of notebook 5: stable sigmoid and softmax, and their costs."""
import warnings

import numpy as np

from course.reference.classification import (
    bce_with_logits,
    cross_entropy,
    one_hot,
    sigmoid,
    softmax,
    softmax_cross_entropy_gradient,
)
from course.reference.gradcheck import numerical_gradient, relative_error


def test_sigmoid_and_softmax_are_safe_for_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
        P = softmax(np.array([[1000.0, 1000.0], [-1000.0, 0.0]]))
    np.testing.assert_allclose(P, [[0.5, 0.5], [0.0, 1.0]])


def test_costs_match_their_definitions():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert cross_entropy(P, np.array([0, 2])) == cross_entropy(P, one_hot(np.array([0, 2]), 3))
    assert np.isclose(cross_entropy(P, np.array([0, 2])), -(np.log(0.7) + np.log(0.8)) / 2)
    z, Y = np.array([[2.0], [-1.5]]), np.array([[1.0], [0.0]])
    a = 1 / (1 + np.exp(-z))
    assert np.isclose(bce_with_logits(z, Y), -(np.log(a[0, 0]) + np.log(1 - a[1, 0])) / 2, rtol=1e-12)


def test_the_combined_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    Z, Y = rng.normal(size=(5, 4)), one_hot(np.array([0, 3, 1, 1, 2]), 4)
    numeric = numerical_gradient(lambda t: cross_entropy(softmax(t), Y), Z.copy())
    assert relative_error(softmax_cross_entropy_gradient(Z, Y), numeric) < 1e-6
