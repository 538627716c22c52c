"""Generalisation explorer: a small network fits a few noisy samples, with weight decay and dropout.

A [1, 64, 64, 1] tanh network learns y = sin 2x from a few noisy training
samples by full-batch gradient descent, with L2 weight decay lam and inverted
dropout (keep probability keep_prob) on both hidden layers. The figure shows the
samples, fresh validation samples and the fit, and the training and validation
costs during training with the iteration early stopping would keep.
"""
import functools

import numpy as np

from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer

DIMS = (1, 64, 64, 1)
NOISE = 0.3
LEARNING_RATE = 0.05
LAMBDAS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)


def noisy_sine(n, seed):
    """n inputs spread over [-2, 2] and targets sin 2x plus N(0, NOISE^2) noise, as (n, 1) columns."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-2, 2, size=(n, 1)), axis=0)
    return x, np.sin(2 * x) + rng.normal(scale=NOISE, size=(n, 1))


def network(rng):
    """The explorer's network from the course's references: tanh hidden layers, identity output, the MSE cost.

    Its weights are Xavier's, drawn from `rng`.
    """
    from course.reference.activations import activation_tanh_dict
    from course.reference.init import xavier_init
    from course.reference.nn import NN, activation_output_dict, loss_dict
    net = NN(list(DIMS), activation_tanh_dict, activation_output_dict, loss_dict)
    net.params = xavier_init(DIMS, rng)
    return net


def gradients(net, x, y, keep_prob=1.0, rng=None, lam=0.0):
    """{'dW1', 'db1', ...} of the MSE plus (lam / 2) * the sum of the squared weights, with dropout masks from rng."""
    from course.reference.generalisation import backward_with_dropout, forward_with_dropout, l2_gradients
    values, masks = forward_with_dropout(net, x, keep_prob, rng)
    return l2_gradients(backward_with_dropout(net, y, values, masks, keep_prob), net.params, lam)


@functools.lru_cache(maxsize=64)
def fit(samples, lam, keep_prob, n_it, seed=0):
    """Train once; returns (net, training costs, validation costs), costs every 10 iterations."""
    x, y = noisy_sine(samples, seed)
    x_val, y_val = noisy_sine(200, seed + 1000)
    rng = np.random.default_rng(seed)
    net = network(rng)
    cost = net.loss_function["loss"]
    train_costs, val_costs = [], []
    for it in range(n_it):
        grads = gradients(net, x, y, keep_prob, rng, lam)
        net.params = {key: value - LEARNING_RATE * grads["d" + key] for key, value in net.params.items()}
        if it % 10 == 9:
            train_costs.append(cost(net.forward_pass(x), y))
            val_costs.append(cost(net.forward_pass(x_val), y_val))
    return net, np.array(train_costs), np.array(val_costs)


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
        self.box = widgets.VBox([widgets.HBox([self.samples, self.lam]),
                                 widgets.HBox([self.keep_prob, self.iterations]),
                                 self.image, self.caption])
        self.box.add_class("course-widget")

    def result(self):
        return fit(self.samples.value, self.lam.value, round(self.keep_prob.value, 2), self.iterations.value)

    def draw(self, fig):
        net, train_costs, val_costs = self.result()
        left, right = fig.subplots(1, 2)
        x, y = noisy_sine(self.samples.value, 0)
        x_val, y_val = noisy_sine(200, 1000)
        grid = np.linspace(-2.2, 2.2, 300).reshape(-1, 1)
        left.plot(x_val, y_val, ".", color="grey", alpha=0.4, label="validation samples")
        left.plot(grid, np.sin(2 * grid), ":", color="black", lw=1, label="y = sin 2x")
        left.plot(grid, net.forward_pass(grid), color=ACCENT, lw=2, label="the network")
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
