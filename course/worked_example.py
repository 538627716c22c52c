"""The worked example that runs through the course: network, weights and data.

Network [2, 3, 2, 1]: ReLU in the hidden layers, identity at the output, all
biases zero. The seed tutorial prints its forward pass for x = (6.1, 8.7) but
not its weights; W1, row 2 of W2 and row 2 of W3 below reproduce every number
it prints. For that input the neurons x_1^(1), x_3^(1) and x_1^(2) are zero, so
rows 1 and 3 of W2 and row 1 of W3 do not affect it: we chose them, and they
are fixed here so that every notebook uses the same network.
"""
import numpy as np

LAYERS_DIMS = (2, 3, 2, 1)
FIRST_INPUT = (6.1, 8.7)
FIRST_TARGET = 113

_WEIGHTS = {
    "W1": [[-0.08, 0.02, 0.06],
           [0.02, 0.08, -0.09]],
    "W2": [[0.08, -0.05],
           [-0.09, 0.03],
           [0.07, 0.01]],
    "W3": [[-0.04],
           [0.07]],
}


def parameters():
    """A fresh copy of the weights and biases: {'W1', 'b1', 'W2', 'b2', 'W3', 'b3'}."""
    params = {}
    for l in range(1, len(LAYERS_DIMS)):
        params[f"W{l}"] = np.array(_WEIGHTS[f"W{l}"], dtype=float)
        params[f"b{l}"] = np.zeros((1, LAYERS_DIMS[l]))
    return params


def target(X):
    """y = round(x1**2 + x2**2), halves rounded up: (6.1, 8.7) gives 113."""
    X = np.asarray(X, dtype=float)
    return np.floor(X[:, 0] ** 2 + X[:, 1] ** 2 + 0.5).reshape(-1, 1)


def make_dataset(n=6, seed=11):
    """Inputs X of shape (n, 2) with one decimal, targets Y of shape (n, 1).

    The first row is always the seed's (6.1, 8.7) -> 113; the others are drawn
    uniformly from [0.5, 10) with `seed`, so the dataset never changes.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    X = np.round(rng.uniform(0.5, 10.0, size=(n, 2)), 1)
    X[0] = FIRST_INPUT
    return X, target(X)
