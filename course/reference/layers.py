"""Layers, a sequential model, optimisers and a learning-rate schedule, as written in notebook 8.

Notation of the course: a layer's input A_prev is X(l-1), one row per sample; its receptors are
Z = A_prev W + b with W of shape (n(l-1), n(l)) and b of shape (1, n(l)); its output is A = activation(Z).
Gradients are those of the cost J: dA = dJ/dA, dW = dJ/dW, and so on.
"""
import math

import numpy as np

LESSON = "08_layers"
__all__ = ["ReLU", "Sigmoid", "Identity", "Dense", "Sequential", "Optimiser", "Momentum", "RMSProp", "Adam",
           "cosine_schedule"]


# Exercise 1: activation objects

class ReLU:
    """max(0, z), and its derivative: 1 where z > 0, else 0."""

    def __call__(self, z):
        return np.maximum(0, z)

    def derivative(self, z):
        return (z > 0).astype(float)


class Sigmoid:
    """1 / (1 + e^-z), without overflow for large |z|, and its derivative s (1 - s)."""

    def __call__(self, z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def derivative(self, z):
        s = self(z)
        return s * (1 - s)


class Identity:
    """z itself, and ones shaped like z."""

    def __call__(self, z):
        return z

    def derivative(self, z):
        return np.ones_like(z, dtype=float)


# Exercises 2 and 3: the Dense layer (its __init__ is given in the notebook)

class Dense:
    """A fully connected layer: receptors Z = A_prev W + b, output A = activation(Z)."""

    def __init__(self, n_in, n_out, activation, rng=None):
        rng = np.random.default_rng(rng)
        self.W = rng.normal(scale=np.sqrt(2 / n_in), size=(n_in, n_out))
        self.b = np.zeros((1, n_out))
        self.activation = activation
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)

    def forward(self, A_prev):
        self.A_prev = A_prev
        self.Z = A_prev @ self.W + self.b
        return self.activation(self.Z)

    def backward(self, dA):
        dZ = dA * self.activation.derivative(self.Z)
        self.dW = self.A_prev.T @ dZ
        self.db = np.sum(dZ, axis=0, keepdims=True)
        return dZ @ self.W.T


# Exercise 4: the sequential model

class Sequential(list):
    """Layers applied one after the other: Sequential([layer_1, layer_2, ...]) is the list of them."""

    def forward(self, X):
        A = X
        for layer in self:
            A = layer.forward(A)
        return A

    def backward(self, dA):
        for layer in reversed(self):
            dA = layer.backward(dA)
        return dA


# Exercises 5 to 7: optimisers (the base class is given in the notebook)

class Optimiser:
    """Moves the parameters of a model's layers against their gradients; each subclass says how, in `update`."""

    def __init__(self, learning_rate, **settings):
        self.learning_rate = learning_rate
        for name, value in settings.items():
            if not hasattr(self, name):
                raise TypeError(f"{type(self).__name__} has no setting {name!r}")
            setattr(self, name, value)
        self.t = 0
        self.state = {}

    def step(self, model):
        self.t += 1
        for l, layer in enumerate(model, start=1):
            layer.W = self.update(f"W{l}", layer.W, layer.dW)
            layer.b = self.update(f"b{l}", layer.b, layer.db)

    def update(self, key, param, grad):
        raise NotImplementedError("each optimiser writes its own update")


class Momentum(Optimiser):
    """SGD with momentum, as torch.optim.SGD(momentum=beta): v = beta v + g, then param - learning_rate v."""

    beta = 0.9

    def update(self, key, param, grad):
        velocity = self.beta * self.state.get(key, 0.0) + grad
        self.state[key] = velocity
        return param - self.learning_rate * velocity


class RMSProp(Optimiser):
    """s = rho s + (1 - rho) g^2, then param - learning_rate g / (sqrt(s) + eps)."""

    rho = 0.9
    eps = 1e-8

    def update(self, key, param, grad):
        square = self.rho * self.state.get(key, 0.0) + (1 - self.rho) * grad ** 2
        self.state[key] = square
        return param - self.learning_rate * grad / (np.sqrt(square) + self.eps)


class Adam(Optimiser):
    """Adam (Kingma and Ba, 2015, Algorithm 1), with bias correction and eps outside the square root."""

    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def update(self, key, param, grad):
        m, v = self.state.get(key, (0.0, 0.0))
        m = self.beta1 * m + (1 - self.beta1) * grad
        v = self.beta2 * v + (1 - self.beta2) * grad ** 2
        self.state[key] = (m, v)
        m_hat = m / (1 - self.beta1 ** self.t)
        v_hat = v / (1 - self.beta2 ** self.t)
        return param - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)


# Exercise 8: the learning-rate schedule

def cosine_schedule(epoch, total_epochs, lr_max, lr_min=0.0):
    """Cosine annealing: lr_max at epoch 0, falling along half a cosine to lr_min at epoch total_epochs."""
    return float(lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * epoch / total_epochs)) / 2)
