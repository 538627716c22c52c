"""The loss objects of notebook 8: the costs of notebooks 4 and 5, as objects with `__call__` and `derivative`.

An activation object of notebook 8 is called on the receptors, `activation(Z)`, and gives its derivative with
`activation.derivative(Z)`; a loss object works the same way on the network's output A and the targets Y:
`loss(A, Y)` is the cost J and `loss.derivative(A, Y)` is dJ/dA, the gradient that `Sequential.backward` starts
from. Both costs are those of the earlier notebooks, taken from the course's versions of them.
"""
import numpy as np

from course.reference.classification import cross_entropy, one_hot, softmax, softmax_cross_entropy_gradient
from course.reference.nn import MSE, MSE_derivative

__all__ = ["MeanSquaredError", "SoftmaxCrossEntropy"]


class MeanSquaredError:
    """J = (1 / 2n) * the sum of (a - y)^2 over the n samples and every output (notebook 4)."""

    def __call__(self, A, Y):
        return MSE(A, Y)

    def derivative(self, A, Y):
        """dJ/dA = (A - Y) / n."""
        return MSE_derivative(A, Y)


class SoftmaxCrossEntropy:
    """The cross-entropy of softmax(Z) for the output layer's receptors Z (logits) (notebook 5).

    Y holds one-hot rows, or integer labels. Use it with an identity output layer: the softmax is part of the loss,
    so its derivative is the combined (softmax(Z) - Y) / n of notebook 5.
    """

    def __call__(self, Z, Y):
        return cross_entropy(softmax(Z), _one_hot(Y, Z.shape[1]))

    def derivative(self, Z, Y):
        """dJ/dZ = (softmax(Z) - Y) / n."""
        return softmax_cross_entropy_gradient(Z, _one_hot(Y, Z.shape[1]))


def _one_hot(Y, k):
    Y = np.asarray(Y)
    return one_hot(Y, k) if Y.ndim == 1 else Y
