"""Activation explorer: four activation functions and their derivatives, at a point z you choose."""
import numpy as np

from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer

Z_RANGE = (-6.0, 6.0)
NAMES = ("sigmoid", "tanh", "ReLU", "leaky ReLU")


def activation_functions():
    """{name: {'activation', 'derivative'}} for the sigmoid, tanh, ReLU and leaky ReLU, from the course's references."""
    from course.reference.activations import activation_leaky_relu_dict, activation_tanh_dict
    from course.reference.classification import activation_sigmoid_dict
    from course.reference.nn import activation_relu_dict
    return dict(zip(NAMES, (activation_sigmoid_dict, activation_tanh_dict, activation_relu_dict,
                            activation_leaky_relu_dict), strict=True))


class ActivationExplorer(Explorer):
    """Sliders for z and for leaky ReLU's slope alpha; each curve marks its value at z."""

    size = (12, 5)

    def __init__(self, z=1.0, alpha=0.1):
        super().__init__()
        import ipywidgets as widgets
        self.z = widgets.FloatSlider(value=z, min=Z_RANGE[0], max=Z_RANGE[1], step=0.1, description="z",
                                     continuous_update=True, readout_format=".1f")
        self.alpha = widgets.FloatSlider(value=alpha, min=0.0, max=0.5, step=0.01, description="α (leaky)",
                                         readout_format=".2f")
        self.watch(self.z, self.alpha)
        self.box = widgets.VBox([widgets.HBox([self.z, self.alpha]), self.image, self.caption])
        self.box.add_class("course-widget")

    def values(self):
        """{name: (f(z), f'(z))} at the slider's z."""
        z = np.array([self.z.value])
        return {name: (float(f["activation"](z, **self._extra(name))[0]),
                       float(f["derivative"](z, **self._extra(name))[0]))
                for name, f in activation_functions().items()}

    def _extra(self, name):
        return {"alpha": self.alpha.value} if name == "leaky ReLU" else {}

    def draw(self, fig):
        grid = np.linspace(*Z_RANGE, 601)
        functions = activation_functions()
        axes = fig.subplots(2, len(functions), sharex=True)
        z, values = self.z.value, self.values()
        for col, (name, f) in enumerate(functions.items()):
            at = values[name]
            for row, key in enumerate(["activation", "derivative"]):
                ax = axes[row, col]
                ax.plot(grid, f[key](grid, **self._extra(name)), color=NEURON, lw=2)
                ax.axvline(z, color="grey", lw=0.8, ls=":")
                ax.plot([z], [at[row]], "o", color=ACCENT, ms=8, zorder=3)
                ax.annotate(f"{at[row]:.3f}", (z, at[row]), textcoords="offset points", xytext=(6, 6),
                            color=ACCENT, fontsize=9)
                ax.axhline(0, color="black", lw=0.5)
                ax.grid(alpha=0.3)
                ax.margins(y=0.18)
                if row == 0:
                    label = f"leaky ReLU, α = {self.alpha.value:.2f}" if name == "leaky ReLU" else name
                    ax.set_title(label)
                else:
                    ax.set_xlabel("z")
            axes[0, col].set_ylabel("f(z)" if col == 0 else "")
            axes[1, col].set_ylabel("f′(z)" if col == 0 else "")

    def describe(self):
        rows = "".join(f"<tr><td>{name}</td><td>{a:.4f}</td><td>{d:.4f}</td></tr>"
                       for name, (a, d) in self.values().items())
        return (f"<b>At z = {self.z.value:.1f}</b>"
                f"<table><tr><th>function</th><th>f(z)</th><th>f′(z)</th></tr>{rows}</table>")
