"""Forward-pass stepper: the worked example computed layer by layer on the diagram."""
import numpy as np

from course.widgets.diagram import draw_network
from course.widgets.explorer import Explorer
from course.worked_example import make_dataset, parameters


def network(params):
    """The reference NN of notebook 4 with these weights: ReLU hidden layers, identity output, the MSE cost."""
    from course.reference.nn import NN, activation_output_dict, activation_relu_dict, loss_dict
    L = len([k for k in params if k.startswith("W")])
    net = NN([params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, L + 1)],
             activation_relu_dict, activation_output_dict, loss_dict)
    net.params = params
    return net


def forward_values(params, x):
    """{'x0', 'z1', 'x1', ...} for one sample: ReLU in the hidden layers, identity at the output."""
    return network(params).forward_pass(np.asarray(x, dtype=float).reshape(1, -1), training=True)


def sample_cost(params, x, y):
    """J = ½ Σ (ŷ − y)² of one sample: the course's MSE with n = 1."""
    net = network(params)
    return net.loss_function["loss"](net.forward_pass(np.asarray(x, dtype=float).reshape(1, -1)),
                                     np.asarray(y, dtype=float).reshape(1, -1))


def example(X=None, Y=None, params=None):
    """X, Y, params and layers_dims of what a stepper shows: the worked example unless given."""
    if X is None:
        X, Y = make_dataset()
    X = np.asarray(X, dtype=float)
    Y = None if Y is None else np.asarray(Y, dtype=float).reshape(len(X), -1)
    params = parameters() if params is None else params
    L = len([k for k in params if k.startswith("W")])
    dims = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, L + 1)]
    if X.ndim != 2 or X.shape[1] != dims[0]:
        raise ValueError(f"X must have shape (n, {dims[0]}) for this network, got {X.shape}")
    return X, Y, params, dims


def _sym(name, l, k):
    return f"{name}<sub>{k}</sub><sup>({l})</sup>"


def _num(v):
    return f"{float(v) + 0.0:.4g}".replace("-", "−")


class ForwardStepper(Explorer):
    """Step through the forward pass of one sample; each step lights up what it computes.

    Step 0 shows the inputs; step 2l-1 computes the receptors z(l) of layer l,
    step 2l its neurons x(l). The last step adds the cost of the sample.
    """

    size = (9, 5.2)

    def __init__(self, X=None, Y=None, params=None):
        super().__init__()
        import ipywidgets as widgets
        self.X, self.Y, self.params, self.dims = example(X, Y, params)
        self.L = len(self.dims) - 1
        self.row = widgets.IntSlider(value=1, min=1, max=len(self.X), description="sample")
        self.step = widgets.IntSlider(value=0, min=0, max=2 * self.L, description="step")
        back = widgets.Button(description="◀ back", layout=widgets.Layout(width="80px"))
        ahead = widgets.Button(description="next ▶", layout=widgets.Layout(width="80px"))
        back.on_click(lambda _: self.move(-1))
        ahead.on_click(lambda _: self.move(+1))
        play = widgets.Play(min=0, max=2 * self.L, interval=900, description="play")
        widgets.jslink((play, "value"), (self.step, "value"))
        self.watch(self.row, self.step)
        self.box = widgets.VBox([widgets.HBox([self.row, self.step, back, ahead, play]), self.image, self.caption])
        self.box.add_class("course-widget")

    def move(self, by):
        self.step.value = min(max(self.step.value + by, 0), self.step.max)

    def values(self):
        return forward_values(self.params, self.X[self.row.value - 1])

    def shown(self):
        """The keys of the values computed by the current step, in order."""
        order = ["x0"] + [f"{kind}{l}" for l in range(1, self.L + 1) for kind in ("z", "x")]
        return order[: self.step.value + 1]

    def lit(self):
        """The diagram items computed by the current step."""
        s = self.step.value
        if s == 0:
            return [("x", 0, k) for k in range(1, self.dims[0] + 1)]
        l = (s + 1) // 2
        if s % 2:
            return ([("w", l, i, j) for i in range(1, self.dims[l - 1] + 1) for j in range(1, self.dims[l] + 1)]
                    + [("z", l, k) for k in range(1, self.dims[l] + 1)])
        return [("x", l, k) for k in range(1, self.dims[l] + 1)]

    def cost(self):
        """J = ½ Σ (ŷ − y)² for the current sample, once the output is computed and a target is known."""
        if self.Y is None or self.step.value < 2 * self.L:
            return None
        return sample_cost(self.params, self.X[self.row.value - 1], self.Y[self.row.value - 1])

    def draw(self, fig):
        values = self.values()
        ax = fig.add_subplot()
        cost = self.cost()
        draw_network(self.dims, values={k: values[k] for k in self.shown()}, params=self.params,
                     highlight=self.lit(), ax=ax,
                     cost=cost if cost is not None else (True if self.Y is not None else None),
                     title=f"Sample {self.row.value}: step {self.step.value} of {2 * self.L}")

    def describe(self):
        v, s, n = self.values(), self.step.value, self.row.value
        x = ", ".join(_num(a) for a in v["x0"][0])
        lines = [f"<b>Sample {n}</b>: x = ({x})"
                 + ("" if self.Y is None else f", target y = {', '.join(_num(a) for a in self.Y[n - 1])}")]
        if s == 0:
            lines.append("The inputs are the neurons of layer 0. Press <i>next</i> to compute layer 1.")
        elif s % 2:
            l = (s + 1) // 2
            lines.append(f"Receptors of layer {l}: z<sup>({l})</sup> = x<sup>({l - 1})</sup> W<sup>({l})</sup>"
                         f" + b<sup>({l})</sup>, one sum per column of W<sup>({l})</sup>.")
            if self.dims[l - 1] <= 4:
                for j in range(self.dims[l]):
                    terms = " + ".join(f"{_num(v[f'x{l - 1}'][0, i])}·({_num(self.params[f'W{l}'][i, j])})"
                                       for i in range(self.dims[l - 1]))
                    lines.append(f"{_sym('z', l, j + 1)} = {terms} + {_num(self.params[f'b{l}'][0, j])}"
                                 f" = <b>{_num(v[f'z{l}'][0, j])}</b>")
        else:
            l = s // 2
            name = "ReLU" if l < self.L else "identity"
            lines.append(f"Neurons of layer {l}: x<sup>({l})</sup> = {name}(z<sup>({l})</sup>)"
                         + (": negative receptors give 0." if l < self.L else ": the output is the receptor."))
            lines.append(", ".join(f"{_sym('x', l, k + 1)} = <b>{_num(v[f'x{l}'][0, k])}</b>"
                                   for k in range(self.dims[l])))
            cost = self.cost()
            if cost is not None:
                lines.append(f"Cost of this sample: J = ½ (ŷ − y)² = <b>{_num(cost)}</b>")
        return "<br>".join(lines)
