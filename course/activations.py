"""Activation functions and their derivatives, in the course's {'activation', 'derivative'} form."""
import numpy as np

from course.nn import relu, relu_derivative


def sigmoid(z):
    """1 / (1 + e^-z), without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    return 1 - np.tanh(z) ** 2


def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, 1.0, alpha)


ACTIVATIONS = {
    "sigmoid": {"activation": sigmoid, "derivative": sigmoid_derivative},
    "tanh": {"activation": tanh, "derivative": tanh_derivative},
    "ReLU": {"activation": relu, "derivative": relu_derivative},
    "leaky ReLU": {"activation": leaky_relu, "derivative": leaky_relu_derivative},
}
