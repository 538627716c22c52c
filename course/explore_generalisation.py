"""Generalisation explorer: a small network fits a few noisy samples, with weight decay and dropout.

A [1, 64, 64, 1] tanh network learns y = sin 2x from a few noisy training
samples by full-batch gradient descent, with L2 weight decay lam and inverted
dropout (keep probability keep_prob) on both hidden layers. The figure shows the
samples, fresh validation samples and the fit, and the training and validation
costs during training with the iteration early stopping would keep.
"""
import functools

import numpy as np

from course.diagram import ACCENT, NEURON
from course.live import Explorer
from course.nn import MSE

DIMS = (1, 64, 64, 1)
NOISE = 0.3
LEARNING_RATE = 0.05
LAMBDAS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)


def noisy_sine(n, seed):
    """n inputs spread over [-2, 2] and targets sin 2x plus N(0, NOISE^2) noise, as (n, 1) columns."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-2, 2, size=(n, 1)), axis=0)
    return x, np.sin(2 * x) + rng.normal(scale=NOISE, size=(n, 1))


def forward(params, x, keep_prob=1.0, rng=None):
    """(output, hidden): hidden holds each hidden layer's (input, tanh output, mask scaled by 1 / keep_prob)."""
    hidden = []
    for l in (1, 2):
        a = np.tanh(x @ params[f"W{l}"] + params[f"b{l}"])
        mask = (rng.random(a.shape) < keep_prob) / keep_prob if keep_prob < 1 else np.ones_like(a)
        hidden.append((x, a, mask))
        x = a * mask
    return x @ params["W3"] + params["b3"], hidden


def gradients(params, x, y, keep_prob=1.0, rng=None, lam=0.0):
    """Gradients of the MSE plus (lam / 2) * sum of the squared weights, with dropout masks drawn from rng."""
    out, hidden = forward(params, x, keep_prob, rng)
    dz = (out - y) / len(y)
    below = hidden[1][1] * hidden[1][2]
    grads = {"W3": below.T @ dz + lam * params["W3"], "b3": dz.sum(axis=0, keepdims=True)}
    for l in (2, 1):
        inputs, a, mask = hidden[l - 1]
        dz = (dz @ params[f"W{l + 1}"].T) * mask * (1 - a ** 2)
        grads[f"W{l}"] = inputs.T @ dz + lam * params[f"W{l}"]
        grads[f"b{l}"] = dz.sum(axis=0, keepdims=True)
    return grads


@functools.lru_cache(maxsize=64)
def fit(samples, lam, keep_prob, n_it, seed=0):
    """Train once; returns (params, training costs, validation costs), costs every 10 iterations."""
    x, y = noisy_sine(samples, seed)
    x_val, y_val = noisy_sine(200, seed + 1000)
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(DIMS)):
        n_in, n_out = DIMS[l - 1], DIMS[l]
        params[f"W{l}"] = rng.normal(scale=np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))
        params[f"b{l}"] = np.zeros((1, n_out))
    train_costs, val_costs = [], []
    for it in range(n_it):
        grads = gradients(params, x, y, keep_prob, rng, lam)
        params = {key: value - LEARNING_RATE * grads[key] for key, value in params.items()}
        if it % 10 == 9:
            train_costs.append(MSE(predict(params, x), y))
            val_costs.append(MSE(predict(params, x_val), y_val))
    return params, np.array(train_costs), np.array(val_costs)


def predict(params, x):
    """The network's output, without dropout."""
    return forward(params, x)[0]


class GeneralisationExplorer(Explorer):
    """Sliders for the number of training samples, the weight decay, the keep probability and the iterations."""

    size = (12, 4.2)

    def __init__(self, samples=12, lam=0.0, keep_prob=1.0, iterations=3000):
        super().__init__()
        import ipywidgets as widgets
        lam = min(LAMBDAS, key=lambda v: abs(v - lam))
        self.samples = widgets.IntSlider(value=samples, min=5, max=60, description="samples")
        self.lam = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in LAMBDAS], value=lam, description="λ")
        self.keep_prob = widgets.FloatSlider(value=keep_prob, min=0.5, max=1.0, step=0.05, description="keep p")
        self.iterations = widgets.IntSlider(value=iterations, min=500, max=6000, step=500, description="iterations")
        self.watch(self.samples, self.lam, self.keep_prob, self.iterations)
        self.box = widgets.VBox([widgets.HBox([self.samples, self.lam]), widgets.HBox([self.keep_prob, self.iterations]),
                                 self.image, self.caption])
        self.box.add_class("course-widget")

    def result(self):
        return fit(self.samples.value, self.lam.value, round(self.keep_prob.value, 2), self.iterations.value)

    def draw(self, fig):
        params, train_costs, val_costs = self.result()
        left, right = fig.subplots(1, 2)
        x, y = noisy_sine(self.samples.value, 0)
        x_val, y_val = noisy_sine(200, 1000)
        grid = np.linspace(-2.2, 2.2, 300).reshape(-1, 1)
        left.plot(x_val, y_val, ".", color="grey", alpha=0.4, label="validation samples")
        left.plot(grid, np.sin(2 * grid), ":", color="black", lw=1, label="y = sin 2x")
        left.plot(grid, predict(params, grid), color=ACCENT, lw=2, label="the network")
        left.plot(x, y, "o", color=NEURON, ms=6, label="training samples")
        left.set_ylim(-2.2, 2.2)
        left.set_xlabel("x")
        left.legend(fontsize=8, loc="lower right")
        left.set_title(f"{self.samples.value} samples, λ = {self.lam.value:g}, keep p = {self.keep_prob.value:.2f}")
        steps = np.arange(1, len(train_costs) + 1) * 10
        right.semilogy(steps, train_costs, color=NEURON, label="training")
        right.semilogy(steps, val_costs, color=ACCENT, label="validation")
        best = int(np.argmin(val_costs))
        right.plot(steps[best], val_costs[best], "o", color=ACCENT, ms=8, label="early stopping keeps")
        right.axhline(NOISE ** 2 / 2, color="grey", ls=":", lw=1)
        right.text(steps[-1], NOISE ** 2 / 2, "noise floor ", ha="right", va="bottom", color="grey", fontsize=8)
        right.set_xlabel("iteration")
        right.set_ylabel("cost (MSE)")
        right.legend(fontsize=8)
        right.set_title("Cost during training")

    def describe(self):
        _, train_costs, val_costs = self.result()
        best = int(np.argmin(val_costs))
        gap = val_costs[-1] - train_costs[-1]
        return (f"<b>After {self.iterations.value} iterations:</b> training cost {train_costs[-1]:.3f}, "
                f"validation cost {val_costs[-1]:.3f} (gap {gap:+.3f}). "
                f"The lowest validation cost, {val_costs[best]:.3f}, came at iteration {(best + 1) * 10}. "
                f"No model can beat the noise floor {NOISE ** 2 / 2:.3f} on new samples.")
