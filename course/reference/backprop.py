"""The single neurons, the path gradients, the matrix backward pass and the bugs found in one, of notebook 3."""
import numpy as np

from course.reference.gradcheck import numerical_gradient, relative_error
from course.worked_example import make_dataset, parameters

LESSON = "03_backprop"
__all__ = ["sigmoid_neuron_gradients", "train_relu_neuron", "output_weight_gradient", "dj_dw3_21", "dJ_dw2", "dJ_dw1",
           "backprop", "numerical_gradient", "relative_error", "wrong_gradients", "fixed_backprop"]


def sigmoid_neuron_gradients(w, x, b, y):
    """(a, dℓ/dw, dℓ/db) for the loss ℓ = (a - y)**2 / 2, a = sigmoid(w . x + b)."""
    x = np.asarray(x, dtype=float)
    a = 1.0 / (1.0 + np.exp(-(np.dot(w, x) + b)))
    delta = (a - y) * a * (1.0 - a)
    return a, delta * x, delta


def train_relu_neuron(w, b, x, y, lr, n_iter):
    """(w, b, losses) after n_iter steps of gradient descent on the loss (relu(w . x + b) - y)**2."""
    w, b, x = np.array(w, dtype=float), float(b), np.asarray(x, dtype=float)
    losses = []
    for _ in range(n_iter):
        z = float(np.dot(w, x) + b)
        a = max(z, 0.0)
        losses.append((a - y) ** 2)
        delta = 2.0 * (a - y) * (z > 0)
        w, b = w - lr * delta * x, b - lr * delta
    return w, b, losses


def output_weight_gradient(x_prev, x_out, y, i):
    """dJ/dw(L)_{i,1} for one sample and an identity output."""
    return (x_out - y) * x_prev[i - 1]


def _relu_slope(z):
    return 1.0 if z > 0 else 0.0


def dJ_dw2(v, params, y, i, j):
    return (v["x3"][0] - y) * params["W3"][j - 1, 0] * _relu_slope(v["z2"][j - 1]) * v["x1"][i - 1]


def dJ_dw1(v, params, y, i, j):
    through_layer_2 = sum(params["W3"][m, 0] * _relu_slope(v["z2"][m]) * params["W2"][j - 1, m]
                          for m in range(params["W2"].shape[1]))
    return (v["x3"][0] - y) * through_layer_2 * _relu_slope(v["z1"][j - 1]) * v["x0"][i - 1]


def backprop(X, Y, params):
    """{'dW1', 'db1', ...} of J = sum((X_L - Y)**2) / (2n), ReLU hidden layers, identity output."""
    L = len(params) // 2
    Z, A = {}, {0: X}
    for l in range(1, L + 1):
        Z[l] = A[l - 1] @ params[f"W{l}"] + params[f"b{l}"]
        A[l] = Z[l] if l == L else np.maximum(0, Z[l])
    grads, dZ = {}, (A[L] - Y) / X.shape[0]
    for l in range(L, 0, -1):
        grads[f"dW{l}"], grads[f"db{l}"] = A[l - 1].T @ dZ, dZ.sum(axis=0, keepdims=True)
        if l > 1:
            dZ = (dZ @ params[f"W{l}"].T) * (Z[l - 1] > 0)
    return grads


def _first_sample_gradient():
    X, Y = make_dataset()
    params = parameters()
    x1 = np.maximum(0, X[0] @ params["W1"] + params["b1"][0])
    x2 = np.maximum(0, x1 @ params["W2"] + params["b2"][0])
    x3 = x2 @ params["W3"] + params["b3"][0]
    return output_weight_gradient(x2, x3[0], Y[0, 0], 2)


dj_dw3_21 = _first_sample_gradient()


# Exercise 7: what the gradient checker finds in the notebook's `buggy_backprop` (section 6.1), and the fix.
wrong_gradients = frozenset({"W1", "b1", "W2", "b3"})


def _sigmoid_network_forward(X, params):
    X1 = 1.0 / (1.0 + np.exp(-(X @ params["W1"] + params["b1"])))
    X2 = 1.0 / (1.0 + np.exp(-(X1 @ params["W2"] + params["b2"])))
    return X1, X2, X2 @ params["W3"] + params["b3"]


def fixed_backprop(X, Y, params):
    """{'dW1', 'db1', ...} of J = sum((X3 - Y)**2) / (2n), two sigmoid hidden layers, identity output."""
    X1, X2, X3 = _sigmoid_network_forward(X, params)
    dZ3 = (X3 - Y) / X.shape[0]
    dZ2 = (dZ3 @ params["W3"].T) * X2 * (1.0 - X2)
    dZ1 = (dZ2 @ params["W2"].T) * X1 * (1.0 - X1)
    grads = {}
    for l, (A, dZ) in enumerate([(X, dZ1), (X1, dZ2), (X2, dZ3)], start=1):
        grads[f"dW{l}"], grads[f"db{l}"] = A.T @ dZ, dZ.sum(axis=0, keepdims=True)
    return grads
