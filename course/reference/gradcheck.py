"""Numerical gradient checking, as built in notebook 3."""
import numpy as np

LESSON = "03_backprop"
__all__ = ["numerical_gradient", "relative_error", "check_network_gradients"]


def numerical_gradient(f, theta, h=1e-5):
    """Centred finite differences of f(theta) with respect to every entry of theta.

    theta is perturbed in place, one entry at a time, and restored exactly.
    """
    grad = np.zeros(theta.shape, dtype=float)
    for idx in np.ndindex(theta.shape):
        old = theta[idx]
        theta[idx] = old + h
        up = f(theta)
        theta[idx] = old - h
        down = f(theta)
        theta[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def relative_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|), entry by entry."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_network_gradients(net, X, Y, h=1e-5):
    """{parameter name: relative error} between a network's backward pass and finite differences.

    `net` follows the course's NN interface: params, forward_pass, backward_pass
    and loss_function.
    """
    def cost(_):
        return float(net.loss_function["loss"](net.forward_pass(X), Y))

    grads = net.backward_pass(X, Y, net.forward_pass(X, training=True))
    return {name: relative_error(grads["d" + name], numerical_gradient(cost, P, h))
            for name, P in net.params.items()}
