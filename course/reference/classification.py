"""Classification, as written in notebook 5: the sigmoid, the binary cross-entropy from the receptors, softmax with
cross-entropy.

`bce_dict` takes the receptors z of the output layer, not probabilities: use it with the identity output
(`course.reference.nn.activation_output_dict`), and read the probabilities as `sigmoid(z)`.
"""
import numpy as np

LESSON = "05_classification"
__all__ = ["sigmoid", "sigmoid_derivative", "activation_sigmoid_dict", "bce_with_logits", "bce_with_logits_gradient",
           "bce_dict", "softmax", "one_hot", "cross_entropy", "softmax_cross_entropy_gradient",
           "expected_initial_loss", "activation_softmax_dict", "softmax_ce_dict"]


def sigmoid(z):
    """1 / (1 + e^-z), without overflow for large |z|."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def bce_with_logits(z, Y):
    """The binary cross-entropy of the probabilities sigmoid(z), from the receptors z:
    (1/n) sum(max(z, 0) - Y z + ln(1 + e^-|z|)), finite and accurate for every z."""
    z = np.asarray(z, dtype=float)
    return float(np.sum(np.maximum(z, 0) - Y * z + np.log1p(np.exp(-np.abs(z)))) / Y.shape[0])


def bce_with_logits_gradient(z, Y):
    """dJ/dz = (sigmoid(z) - Y) / n: the whole gradient at the output receptors, never lost to rounding."""
    return (sigmoid(z) - Y) / Y.shape[0]


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


def expected_initial_loss(k):
    """The cross-entropy of a prediction that gives each of k classes probability 1/k."""
    return float(np.log(k))


def softmax_cross_entropy_gradient(Z, Y):
    """d cross_entropy(softmax(Z), Y) / dZ = (softmax(Z) - Y) / n, for one-hot Y."""
    return (softmax(Z) - Y) / Z.shape[0]


activation_sigmoid_dict = {"activation": sigmoid, "derivative": sigmoid_derivative}
# For the identity output: NN multiplies the loss's derivative by the identity's, ones, so dZ = (sigmoid(Z) - Y) / n.
bce_dict = {"loss": bce_with_logits, "derivative": bce_with_logits_gradient}
# NN multiplies the loss derivative by the output activation's derivative, entry by entry:
# the combined gradient (P - Y) / n goes in the loss, and ones in the activation.
activation_softmax_dict = {"activation": softmax, "derivative": lambda Z: np.ones_like(Z)}
softmax_ce_dict = {"loss": cross_entropy, "derivative": lambda P, Y: (P - Y) / Y.shape[0]}
