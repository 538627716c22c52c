"""Initialisation explorer: how the spread of the neurons changes from layer to layer.

A deep, square network (every hidden layer `width` neurons wide) gets weights
drawn from N(0, sigma^2), biases zero, and a fixed batch of standardised
inputs. The figure shows the standard deviation of every layer's neurons and
the histograms of a few layers, so that a learner sees a scale that makes the
signal die out, one that keeps it, and one that blows it up.
"""
import numpy as np

from course.widgets.activations import NAMES, activation_functions
from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer

WIDTH = 100
SAMPLES = 500


def layer_spreads(sigma, depth, activation="tanh", width=WIDTH, samples=SAMPLES, seed=0):
    """(standard deviation of x(l) for l = 0..depth, the list of x(l) arrays).

    Inputs are `samples` x `width` standard normal numbers; every W(l) is
    `width` x `width` with entries N(0, sigma^2), drawn in layer order from one
    generator seeded with `seed`; biases are zero.
    """
    rng = np.random.default_rng(seed)
    f = activation_functions()[activation]["activation"]
    x = rng.standard_normal((samples, width))
    layers = [x]
    for _ in range(depth):
        x = f(x @ rng.normal(scale=sigma, size=(width, width)))
        layers.append(x)
    return np.array([float(np.std(a)) for a in layers]), layers


def recommended(activation, width=WIDTH):
    """The scale that keeps the spread: He sqrt(2/n) for ReLU-like units, Xavier sqrt(1/n) otherwise."""
    return float(np.sqrt((2.0 if "ReLU" in activation else 1.0) / width))


class InitExplorer(Explorer):
    """Sliders for the weight scale sigma and the depth, a menu for the activation."""

    size = (12, 4.4)

    def __init__(self, sigma=0.01, depth=10, activation="tanh"):
        super().__init__()
        import ipywidgets as widgets
        self.sigma = widgets.FloatLogSlider(value=sigma, base=10, min=-3, max=0, step=0.05,
                                            description="σ of W", readout_format=".3f")
        self.depth = widgets.IntSlider(value=depth, min=1, max=20, description="layers")
        self.activation = widgets.Dropdown(options=list(NAMES), value=activation, description="activation")
        self.watch(self.sigma, self.depth, self.activation)
        self.box = widgets.VBox([widgets.HBox([self.sigma, self.depth, self.activation]), self.image, self.caption])
        self.box.add_class("course-widget")

    def spreads(self):
        return layer_spreads(self.sigma.value, self.depth.value, self.activation.value)

    def draw(self, fig):
        stds, layers = self.spreads()
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
        depth = len(stds) - 1
        left.semilogy(range(depth + 1), np.maximum(stds, 1e-300), "o-", color=NEURON, lw=2)
        left.axhline(stds[0], color="grey", ls=":", lw=1)
        left.set_xlabel("layer l")
        left.set_ylabel("standard deviation of x(l)")
        left.set_title(f"Spread per layer, σ = {self.sigma.value:.3f}")
        left.set_xticks(range(0, depth + 1, max(1, depth // 10)))
        left.grid(alpha=0.3, which="both")
        shown = sorted({1, max(1, depth // 2), depth})
        colours = [NEURON, "#7f7f7f", ACCENT]
        for colour, l in zip(colours, shown, strict=False):
            values = layers[l].ravel()
            spread = max(float(np.abs(values).max()), 1e-12)
            right.hist(values, bins=60, range=(-spread, spread), histtype="step", lw=2, color=colour,
                       density=True, label=f"layer {l}")
        right.set_yscale("log")
        right.set_xlabel("value of a neuron")
        right.set_title(f"Histograms, {self.activation.value}")
        right.legend()

    def describe(self):
        stds, _ = self.spreads()
        best = recommended(self.activation.value)
        verdict = ("dies out" if stds[-1] < 0.05 * stds[0] else
                   "blows up" if stds[-1] > 20 * stds[0] else "keeps its size")
        return (f"<b>{self.activation.value}, {self.depth.value} layers of {WIDTH} neurons, "
                f"σ = {self.sigma.value:.3f}.</b> "
                f"Input spread {stds[0]:.3f}, last layer {stds[-1]:.3g}: the spread {verdict}. "
                f"The recommended scale for {WIDTH} inputs is σ ≈ {best:.3f} "
                f"({'He' if 'ReLU' in self.activation.value else 'Xavier'}).")
