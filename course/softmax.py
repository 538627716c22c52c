"""The softmax output layer with the cross-entropy cost, as written in notebook 5."""
import numpy as np


def softmax(Z):
    """Row-wise softmax of an (n, k) matrix, stable for large receptors."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, k):
    """(n, k) matrix with a 1.0 in row i, column y[i]."""
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def cross_entropy(P, Y):
    """-(1/n) sum of ln P[i, true class of i]; Y holds integer labels (n,) or one-hot rows (n, k)."""
    P = np.clip(P, 1e-12, 1.0)
    n = P.shape[0]
    if Y.ndim == 1:
        return float(-np.sum(np.log(P[np.arange(n), Y])) / n)
    return float(-np.sum(Y * np.log(P)) / n)


# NN multiplies the loss derivative by the output activation's derivative, entry by entry:
# the combined gradient (P - Y) / n goes in the loss, and ones in the activation.
activation_softmax_dict = {"activation": softmax, "derivative": lambda Z: np.ones_like(Z)}
softmax_ce_dict = {"loss": cross_entropy, "derivative": lambda P, Y: (P - Y) / Y.shape[0]}
