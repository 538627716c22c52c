"""Prediction explorer: one image at a time, with the probability the classifier gives each class."""
import numpy as np

from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer


class PredictionExplorer(Explorer):
    """Slide through samples (all, or only the misclassified ones) and see the softmax output for each."""

    size = (9, 3.2)

    def __init__(self, net, X, y, image_shape=(8, 8)):
        super().__init__()
        import ipywidgets as widgets
        self.X, self.y, self.image_shape = np.asarray(X, dtype=float), np.asarray(y), image_shape
        self.P = np.asarray(net.forward_pass(self.X), dtype=float)
        if self.P.shape != (len(self.y), self.P.shape[1]) or self.X.shape[1] != int(np.prod(image_shape)):
            raise ValueError(f"expected one row of probabilities per sample and {int(np.prod(image_shape))} pixels "
                             f"per row; got P {self.P.shape}, X {self.X.shape}")
        self.predicted = self.P.argmax(axis=1)
        self.only_mistakes = widgets.Checkbox(value=False, description="only the mistakes")
        self.sample = widgets.IntSlider(value=1, min=1, max=len(self.y), description="sample")
        self.only_mistakes.observe(self._filter, names="value")
        self.watch(self.sample)
        self.box = widgets.VBox([widgets.HBox([self.sample, self.only_mistakes]), self.image, self.caption])
        self.box.add_class("course-widget")

    def chosen(self):
        """The samples the slider runs over."""
        if self.only_mistakes.value:
            return np.flatnonzero(self.predicted != self.y)
        return np.arange(len(self.y))

    def index(self):
        chosen = self.chosen()
        return int(chosen[min(self.sample.value, len(chosen)) - 1]) if len(chosen) else 0

    def _filter(self, _):
        with self.held():
            self.sample.max = max(1, len(self.chosen()))
            self.sample.value = 1
        self.changed()

    def draw(self, fig):
        k = self.index()
        picture, bars = fig.subplots(1, 2, width_ratios=[1, 2.4])
        picture.imshow(self.X[k].reshape(self.image_shape), cmap="gray_r")
        picture.set_xticks([])
        picture.set_yticks([])
        picture.set_title(f"sample {k + 1}: label {self.y[k]}")
        classes = np.arange(self.P.shape[1])
        colours = [ACCENT if c == self.predicted[k] else NEURON for c in classes]
        bars.bar(classes, self.P[k], color=colours)
        bars.set_xticks(classes)
        bars.set_ylim(0, 1.05)
        bars.set_xlabel("class")
        bars.set_ylabel("probability")
        bars.set_title("The network's softmax output (its answer in orange)")

    def describe(self):
        k = self.index()
        verdict = "right" if self.predicted[k] == self.y[k] else "<b>wrong</b>"
        mistakes = int(np.sum(self.predicted != self.y))
        return (f"Answer {self.predicted[k]} with probability {self.P[k, self.predicted[k]]:.1%}; the label is "
                f"{self.y[k]}: {verdict}. Cost of this sample: −ln p = {-np.log(max(self.P[k, self.y[k]], 1e-12)):.3f}."
                f" ({mistakes} mistakes among {len(self.y)} samples.)")
