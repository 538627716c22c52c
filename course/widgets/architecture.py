"""Architecture explorer: pick a network and a weight; see where w(l)_{i,j} sits on the diagram and in W(l)."""
import numpy as np

from course.widgets.diagram import ACCENT, draw_network
from course.widgets.explorer import Explorer

MAX_NEURONS = 8


def parse_dims(text):
    """'2, 3, 2, 1' -> [2, 3, 2, 1], or ValueError with a message a learner can act on."""
    try:
        dims = [int(part) for part in str(text).replace("[", "").replace("]", "").split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"write whole numbers separated by commas, like 2, 3, 2, 1 (got {text!r})") from None
    if len(dims) < 2:
        raise ValueError("a network needs at least two layers: an input and an output")
    if min(dims) < 1 or max(dims) > MAX_NEURONS:
        raise ValueError(f"every layer needs between 1 and {MAX_NEURONS} neurons here")
    return dims


class ArchitectureExplorer(Explorer):
    """Type layers_dims, slide l, i and j: the weight is lit on the diagram and in its matrix."""

    size = (12, 4.6)

    def __init__(self, layers_dims="2, 3, 2, 1", l=2, i=2, j=1):
        super().__init__()
        import ipywidgets as widgets
        self.dims_text = widgets.Text(value=str(layers_dims).strip("[]"), description="layers_dims",
                                      continuous_update=False)
        self.l = widgets.IntSlider(value=l, min=1, max=3, description="layer l")
        self.i = widgets.IntSlider(value=i, min=1, max=3, description="row i")
        self.j = widgets.IntSlider(value=j, min=1, max=3, description="column j")
        self.dims = parse_dims(self.dims_text.value)
        self.error = ""
        self._bound()
        self.dims_text.observe(self._new_dims, names="value")
        self.l.observe(self._bound, names="value")
        self.watch(self.l, self.i, self.j)
        self.box = widgets.VBox([self.dims_text, widgets.HBox([self.l, self.i, self.j]), self.image, self.caption])
        self.box.add_class("course-widget")

    def _new_dims(self, change):
        try:
            self.dims, self.error = parse_dims(change["new"]), ""
        except ValueError as err:
            self.error = str(err)
        self._bound()
        self.changed()

    def _bound(self, *_):
        """Keep l, i, j inside the current network."""
        L = len(self.dims) - 1
        with self.held():
            self.l.max = L
            self.i.max, self.j.max = self.dims[self.l.value - 1], self.dims[self.l.value]

    def weight(self):
        return self.l.value, self.i.value, self.j.value

    def draw(self, fig):
        l, i, j = self.weight()
        diagram, matrix = fig.subplots(1, 2, width_ratios=[2.2, 1])
        lit = [("w", l, i, j), ("x", l - 1, i), ("x", l, j)]
        draw_network(self.dims, highlight=lit, ax=diagram, weight_labels=False,
                     title=rf"$w^{{({l})}}_{{{i},{j}}}$: from neuron {i} of layer {l - 1} to neuron {j} of layer {l}")
        rows, cols = self.dims[l - 1], self.dims[l]
        shade = np.zeros((rows, cols))
        shade[i - 1, :] += 1
        shade[:, j - 1] += 1
        matrix.imshow(shade, cmap="Oranges", vmin=0, vmax=3.2)
        for r in range(rows):
            for c in range(cols):
                on = (r, c) == (i - 1, j - 1)
                matrix.text(c, r, f"$w_{{{r + 1},{c + 1}}}^{{({l})}}$", ha="center", va="center",
                            fontsize=11, color="white" if on else "black",
                            bbox=dict(boxstyle="round", fc=ACCENT, ec="none") if on else None)
        matrix.set_xticks(range(cols), [str(c + 1) for c in range(cols)])
        matrix.set_yticks(range(rows), [str(r + 1) for r in range(rows)])
        matrix.set_xlabel(f"column j: arriving at neuron j of layer {l}")
        matrix.set_ylabel(f"row i: leaving neuron i of layer {l - 1}")
        matrix.set_title(f"W({l}), shape {rows} × {cols}")

    def describe(self):
        l, i, j = self.weight()
        dims = self.dims
        counts = [dims[k - 1] * dims[k] + dims[k] for k in range(1, len(dims))]
        lines = [f"<span style='color:#b00'>⚠ {self.error}; showing [{', '.join(map(str, dims))}]</span>"
                 ] if self.error else []
        lines += [f"layers_dims = {dims}: layers 0 to L = {len(dims) - 1}, so <code>len(layers_dims)</code>"
                  f" = {len(dims)} = L + 1.",
                  f"Row {i} of W<sup>({l})</sup> holds the {dims[l]} weights leaving neuron {i} of layer {l - 1};"
                  f" column {j} holds the {dims[l - 1]} weights arriving at neuron {j} of layer {l}.",
                  "Parameters: " + " + ".join(f"({dims[k - 1]}·{dims[k]} + {dims[k]})" for k in range(1, len(dims)))
                  + f" = <b>{sum(counts)}</b>."]
        return "<br>".join(lines)
