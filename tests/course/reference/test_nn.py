"""The reference NN of notebook 4 and the gradient checker of notebook 3, against independent computations."""
import numpy as np
import pytest

from course.reference.gradcheck import check_network_gradients, numerical_gradient, relative_error
from course.reference.nn import MSE, NN, activation_output_dict, activation_relu_dict, loss_dict


def random_network(dims, seed=0):
    net = NN(dims, activation_relu_dict, activation_output_dict, loss_dict, seed=seed)
    rng = np.random.default_rng(seed)
    for key in net.params:
        net.params[key] = rng.normal(size=net.params[key].shape)
    return net


def test_reference_network_gradients_agree_with_finite_differences():
    net = random_network([3, 5, 4, 2])
    X, Y = np.random.default_rng(1).normal(size=(6, 3)), np.random.default_rng(2).normal(size=(6, 2))
    errors = check_network_gradients(net, X, Y)
    assert set(errors) == set(net.params) and max(errors.values()) < 1e-6


def test_the_gradient_checker_catches_a_wrong_backward_pass():
    net = random_network([3, 5, 2])
    X, Y = np.random.default_rng(1).normal(size=(6, 3)), np.random.default_rng(2).normal(size=(6, 2))
    right = net.backward_pass
    net.backward_pass = lambda X, Y, coef: {k: 2 * v for k, v in right(X, Y, coef).items()}
    assert min(check_network_gradients(net, X, Y).values()) > 0.3


def test_numerical_gradient_restores_theta_and_relative_error_handles_zeros():
    theta = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda t: float(np.sum(t ** 3)), theta)
    assert np.allclose(grad, 3 * theta ** 2, rtol=1e-8)
    assert theta.tolist() == [[1.0, -2.0], [0.5, 3.0]]
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 4.2)


def test_reference_network_trains_and_prints_every_100_iterations(capsys):
    X = np.random.default_rng(3).normal(size=(50, 2))
    Y = X[:, :1] * 2 - X[:, 1:]
    net = NN([2, 8, 1], activation_relu_dict, activation_output_dict, loss_dict, seed=0)
    before = MSE(net.forward_pass(X), Y)
    net.train(X, Y, 250, learning_rate=0.1)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Iteration 0", "Iteration 100", "Iteration 200"]
    assert MSE(net.forward_pass(X), Y) < before / 10
