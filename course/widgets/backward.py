"""Backward-pass stepper: δ on every receptor and ∂J/∂w on every edge, layer by layer back from J."""
import numpy as np

from course.widgets.diagram import draw_network, paths_to_weight
from course.widgets.explorer import Explorer
from course.widgets.forward import _num, _sym, example, forward_values, network, sample_cost

MAX_BUTTONS = 36  # weights per layer shown as a clickable matrix


def backward_values(params, values, y):
    """{'delta1', 'dW1', 'db1', ...} for one sample, J = ½ Σ (ŷ − y)², ReLU hidden and identity output.

    The reference NN's backward pass, with each layer's δ = ∂J/∂z(l) under the name the stepper shows.
    """
    grads = network(params).backward_pass(values["x0"], np.asarray(y, dtype=float).reshape(1, -1), values)
    return {("delta" + key[2:] if key.startswith("dZ") else key): value for key, value in grads.items()}


def count_paths(dims, values, l, j):
    """(all, open): paths from neuron j of layer l to J, and those crossing no ReLU receptor with z <= 0."""
    L = len(dims) - 1
    total, live = 1, {j: values[f"z{l}"][0, j - 1] > 0 or l == L}
    counts = {j: int(live[j])}
    for layer in range(l + 1, L + 1):
        total *= dims[layer]
        through = sum(counts.values())
        counts = {m: through if (layer == L or values[f"z{layer}"][0, m - 1] > 0) else 0
                  for m in range(1, dims[layer] + 1)}
    return total, sum(counts.values())


class BackwardStepper(Explorer):
    """Step back from the cost of one sample; click a weight to see the paths its gradient sums over."""

    size = (9, 5.4)

    def __init__(self, X=None, Y=None, params=None):
        super().__init__()
        import ipywidgets as widgets
        self.X, self.Y, self.params, self.dims = example(X, Y, params)
        if self.Y is None:
            raise ValueError("the backward stepper needs the targets Y: the cost J depends on them")
        self.L = len(self.dims) - 1
        self.selected = None
        self.row = widgets.IntSlider(value=1, min=1, max=len(self.X), description="sample")
        self.step = widgets.IntSlider(value=0, min=0, max=self.L, description="step back")
        ahead = widgets.Button(description="back one layer ◀", layout=widgets.Layout(width="150px"))
        ahead.on_click(lambda _: setattr(self.step, "value", min(self.step.value + 1, self.L)))
        clear = widgets.Button(description="clear selection", layout=widgets.Layout(width="130px"))
        clear.on_click(lambda _: self.select(None))
        self.watch(self.row, self.step)
        self.buttons = {}
        grids = []
        for l in range(1, self.L + 1):
            rows, cols = self.dims[l - 1], self.dims[l]
            if rows * cols > MAX_BUTTONS:
                continue
            cells = []
            for i in range(1, rows + 1):
                for j in range(1, cols + 1):
                    b = widgets.Button(description=f"w({l}) {i},{j}", tooltip=f"row {i}, column {j} of W({l})",
                                       layout=widgets.Layout(width="78px"))
                    b.on_click(lambda _, key=(l, i, j): self.select(key))
                    self.buttons[l, i, j] = b
                    cells.append(b)
            grid = widgets.GridBox(cells, layout=widgets.Layout(grid_template_columns=f"repeat({cols}, 80px)"))
            grids.append(widgets.VBox([widgets.HTML(f"<b>W<sup>({l})</sup></b> ({rows} × {cols})"), grid]))
        self.box = widgets.VBox([widgets.HBox([self.row, self.step, ahead, clear]),
                                 widgets.HBox(grids, layout=widgets.Layout(justify_content="space-around")),
                                 self.image, self.caption])
        self.box.add_class("course-widget")

    def select(self, key):
        """Highlight the paths of weight key = (l, i, j), or nothing with None."""
        if key is not None:
            paths_to_weight(self.dims, *key)  # raises a clear error for a weight the network does not have
        self.selected = None if key is None else tuple(key)
        for k, b in self.buttons.items():
            b.button_style = "warning" if k == self.selected else ""
        self.changed()

    def values(self):
        return forward_values(self.params, self.X[self.row.value - 1])

    def gradients(self):
        return backward_values(self.params, self.values(), self.Y[self.row.value - 1])

    def revealed(self):
        """The layers whose δ and ∂J/∂W the current step has computed."""
        return list(range(self.L, self.L - self.step.value, -1))

    def lit(self):
        if self.selected is not None:
            return paths_to_weight(self.dims, *self.selected, values=self.values())
        if self.step.value == 0:
            return [("J", k) for k in range(1, self.dims[-1] + 1)]
        l = self.revealed()[-1]
        return ([("z", l, k) for k in range(1, self.dims[l] + 1)]
                + [("w", l, i, j) for i in range(1, self.dims[l - 1] + 1) for j in range(1, self.dims[l] + 1)])

    def cost(self):
        return sample_cost(self.params, self.X[self.row.value - 1], self.Y[self.row.value - 1])

    def draw(self, fig):
        grads = self.gradients()
        shown = self.revealed()
        ax = fig.add_subplot()
        draw_network(self.dims, values=self.values(), params={f"W{l}": grads[f"dW{l}"] for l in shown},
                     deltas={l: grads[f"delta{l}"] for l in shown}, highlight=self.lit(), ax=ax, cost=self.cost(),
                     title=f"Sample {self.row.value}: edges of the computed layers show ∂J/∂w")

    def describe(self):
        v, g, L = self.values(), self.gradients(), self.L
        y_hat = v[f"x{L}"][0, 0]
        lines = []
        if self.step.value == 0:
            lines.append(f"<b>The cost of sample {self.row.value}</b>: J = ½ (ŷ − y)² = <b>{_num(self.cost())}</b>;"
                         f" ∂J/∂ŷ = ŷ − y = {_num(y_hat - self.Y[self.row.value - 1, 0])}."
                         " Step back one layer at a time.")
        else:
            l = self.revealed()[-1]
            if l == L:
                lines.append(f"δ<sup>({L})</sup> = ∂J/∂z<sup>({L})</sup> = (ŷ − y) · 1: the output is the identity.")
            else:
                lines.append(f"δ<sup>({l})</sup><sub>k</sub> = relu′(z<sup>({l})</sup><sub>k</sub>)"
                             f" Σ<sub>m</sub> w<sup>({l + 1})</sup><sub>k,m</sub> δ<sup>({l + 1})</sup><sub>m</sub>:"
                             " the δ of the next layer sent back along the weights, stopped where z ≤ 0.")
            lines.append(", ".join(f"{_sym('δ', l, k + 1)} = <b>{_num(g[f'delta{l}'][0, k])}</b>"
                                   for k in range(self.dims[l])))
            lines.append(f"On the edges: ∂J/∂w<sup>({l})</sup><sub>i,j</sub> = x<sup>({l - 1})</sup><sub>i</sub>"
                         f" δ<sup>({l})</sup><sub>j</sub>.")
        if self.selected is not None:
            l, i, j = self.selected
            x, d = v[f"x{l - 1}"][0, i - 1], g[f"delta{l}"][0, j - 1]
            total, live = count_paths(self.dims, v, l, j)
            lines.append(f"<b>Selected {_sym('w', l, f'{i},{j}')}</b>: ∂J/∂w = {_sym('x', l - 1, i)} · "
                         f"{_sym('δ', l, j)} = {_num(x)} · ({_num(d)}) = <b>{_num(x * d)}</b>. "
                         f"{live} of the {total} paths from J back to it pass only through active receptors;"
                         " dashed lines cross a receptor with z ≤ 0, where relu′ = 0.")
        return "<br>".join(lines)
