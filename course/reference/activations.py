"""The tanh and the leaky ReLU with their derivatives, as written in notebook 6."""
import numpy as np

LESSON = "06_why_training_fails"
__all__ = ["tanh", "tanh_derivative", "activation_tanh_dict", "leaky_relu", "leaky_relu_derivative",
           "activation_leaky_relu_dict"]


def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    return 1 - np.tanh(z) ** 2


def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, 1.0, alpha)


activation_tanh_dict = {"activation": tanh, "derivative": tanh_derivative}
activation_leaky_relu_dict = {"activation": leaky_relu, "derivative": leaky_relu_derivative}
