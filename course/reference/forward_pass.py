"""One layer's receptors and neurons, and the worked example's forward pass on the whole dataset, as in notebook 2."""
import numpy as np

from course.worked_example import make_dataset, parameters

LESSON = "02_forward_pass"
__all__ = ["receptors", "layer_forward", "Z1", "X1", "Z2", "X2", "Z3", "X3"]


def receptors(x_prev, W, b):
    """z = x_prev W + b for one sample, as a 1-D array."""
    return (np.asarray(x_prev, dtype=float) @ W + b).reshape(-1)


def layer_forward(X_prev, W, b, activation):
    Z = X_prev @ W + b
    return Z, activation(Z)


def _dataset_forward():
    X, _ = make_dataset()
    params = parameters()
    relu = lambda z: np.maximum(0, z)  # noqa: E731
    Z1, X1 = layer_forward(X, params["W1"], params["b1"], relu)
    Z2, X2 = layer_forward(X1, params["W2"], params["b2"], relu)
    Z3, X3 = layer_forward(X2, params["W3"], params["b3"], lambda z: z)
    return Z1, X1, Z2, X2, Z3, X3


Z1, X1, Z2, X2, Z3, X3 = _dataset_forward()
