"""One layer's receptors and neurons, the worked example's forward pass on the whole dataset, and a whole network's
forward pass with loops only, as in notebook 2."""
import numpy as np

from course.worked_example import make_dataset, parameters

LESSON = "02_forward_pass"
__all__ = ["receptors", "layer_forward", "Z1", "X1", "Z2", "X2", "Z3", "X3", "forward_loop"]


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


def forward_loop(X, params):
    """The output of a ReLU network with an identity output layer, one sample, one neuron, one weight at a time.

    Loops only, as notebook 2 times them against the matrix products: the course's version must be as slow
    as a student's would be.
    """
    L = len(params) // 2
    out = np.zeros((len(X), params[f"W{L}"].shape[1]))
    for i in range(len(X)):
        values = [float(v) for v in X[i]]
        for l in range(1, L + 1):
            W, b = params[f"W{l}"], params[f"b{l}"]
            sums = [float(b[0, k]) + sum(float(W[j, k]) * values[j] for j in range(W.shape[0]))
                    for k in range(W.shape[1])]
            values = sums if l == L else [max(0.0, s) for s in sums]
        out[i] = values
    return out
