"""The NN class of notebook 4, with its ReLU, identity and MSE, for the notebooks after it.

Notebook 4 is where you write this yourself; from notebook 5 on, the course
imports this version so that every notebook starts from a known-good network.
"""
import numpy as np

LESSON = "04_nn_class"
__all__ = ["relu", "relu_derivative", "identity", "identity_derivative", "MSE", "MSE_derivative",
           "activation_relu_dict", "activation_output_dict", "loss_dict", "NN"]


def relu(z):
    return np.maximum(0, z)


def relu_derivative(z):
    return (z > 0).astype(float)


def identity(z):
    return z


def identity_derivative(z):
    return np.ones_like(z, dtype=float)


def MSE(a, Y):
    """Half the squared error, summed over outputs and averaged over the n samples."""
    return float(np.sum((a - Y) ** 2) / (2 * Y.shape[0]))


def MSE_derivative(a, Y):
    return (a - Y) / Y.shape[0]


activation_relu_dict = {"activation": relu, "derivative": relu_derivative}
activation_output_dict = {"activation": identity, "derivative": identity_derivative}
loss_dict = {"loss": MSE, "derivative": MSE_derivative}


class NN:
    """A fully connected feed-forward network trained by full-batch gradient descent."""

    def __init__(self, layers_dims, activation_hidden, activation_output, loss_function, seed=None):
        self.L = len(layers_dims)
        self.loss_function = loss_function
        self.params = {}
        self.a = [lambda x: x]
        if isinstance(activation_hidden, list):
            self.a.extend(activation_hidden)
        else:
            self.a.extend([activation_hidden] * (self.L - 2))
        self.a.append(activation_output)
        rng = np.random.default_rng(seed=seed)
        self.initialize_parameters(layers_dims, rng)

    def initialize_parameters(self, layers_dims, rng):
        for l in range(1, self.L):
            self.params[f"W{l}"] = rng.normal(scale=0.001, size=(layers_dims[l - 1], layers_dims[l]))
            self.params[f"b{l}"] = np.zeros((1, layers_dims[l]))

    def forward_pass(self, X, training=False):
        outputs = {"x0": X}
        for l in range(1, self.L):
            outputs[f"z{l}"] = outputs[f"x{l - 1}"] @ self.params[f"W{l}"] + self.params[f"b{l}"]
            outputs[f"x{l}"] = self.a[l]["activation"](outputs[f"z{l}"])
        return outputs if training else outputs[f"x{self.L - 1}"]

    def backward_pass(self, X, Y, coef):
        derivatives = {}
        l = self.L - 1
        derivatives[f"dZ{l}"] = (self.loss_function["derivative"](coef[f"x{l}"], Y)
                                 * self.a[l]["derivative"](coef[f"z{l}"]))
        for l in range(self.L - 1, 0, -1):
            if l < self.L - 1:
                derivatives[f"dZ{l}"] = ((derivatives[f"dZ{l + 1}"] @ self.params[f"W{l + 1}"].T)
                                         * self.a[l]["derivative"](coef[f"z{l}"]))
            derivatives[f"dW{l}"] = coef[f"x{l - 1}"].T @ derivatives[f"dZ{l}"]
            derivatives[f"db{l}"] = np.sum(derivatives[f"dZ{l}"], axis=0, keepdims=True)
        return derivatives

    def train(self, X, Y, n_it, learning_rate=0.01, verbose=True):
        for i in range(n_it):
            coef = self.forward_pass(X, training=True)
            derivatives = self.backward_pass(X, Y, coef)
            for l in range(1, self.L):
                self.params[f"W{l}"] -= learning_rate * derivatives[f"dW{l}"]
                self.params[f"b{l}"] -= learning_rate * derivatives[f"db{l}"]
            if verbose and i % 100 == 0:
                print(f"Iteration {i}: Loss = {self.loss_function['loss'](coef[f'x{self.L - 1}'], Y):.6f}")
