"""Notebook 6's answers in one place: its activations, its initialisers and the gradient norms."""
import numpy as np

from course.reference.activations import (
    activation_leaky_relu_dict,
    activation_tanh_dict,
    leaky_relu,
    leaky_relu_derivative,
    tanh,
    tanh_derivative,
)
from course.reference.init import he_init, xavier_init

LESSON = "06_why_training_fails"
__all__ = ["tanh", "tanh_derivative", "activation_tanh_dict", "leaky_relu", "leaky_relu_derivative",
           "activation_leaky_relu_dict", "xavier_init", "he_init", "gradient_norms"]


def gradient_norms(grads):
    """The Frobenius norms of dW1, dW2, ..., in layer order."""
    L = sum(key.startswith("dW") for key in grads)
    return np.array([np.linalg.norm(grads[f"dW{l}"]) for l in range(1, L + 1)])
