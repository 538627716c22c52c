"""Optimiser explorer: gradient descent, momentum, RMSProp and Adam on a two-weight cost surface.

A point w = (w1, w2) stands for two weights and J(w) for the cost. Two surfaces:
a narrow valley, tilted across the axes, whose curvatures differ fifty-fold (an
ill-conditioned quadratic), and a saddle between two minima. The learner picks
the surface, the start, the optimisers and their settings, and sees each path
on the contours and its cost step by step.

The update rules are written here for one 2-D point with the gradient computed
exactly, one small function per optimiser, so that the tests can check them
against the equations.
"""
import functools
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer

TOLERANCE = 0.05  # a path has arrived once it is this close to a minimum
LIMIT = 1e6       # a path with a coordinate beyond this has diverged and is not followed further
MAX_STEPS = 500
LEARNING_RATES = (1e-3, 1.0)  # the learning-rate slider's range
SADDLE_RADIUS = 0.1  # a path that ends this close to the saddle point is still there
COLOURS = {"gradient descent": NEURON, "momentum": ACCENT, "RMSProp": "#2a9d55", "Adam": "#8e44ad"}


# The update rules, for one point w = (w1, w2); `gradient(w)` is ∇J(w) as an array of two numbers.

def gradient_descent_path(gradient, start, learning_rate, steps):
    """The points w(0) = start, w(1), ..., w(steps) of gradient descent, as a (steps + 1) x 2 array.

        w(t) = w(t-1) - η ∇J(w(t-1))

    Like every path here it stops early, after its first point with a coordinate
    beyond LIMIT (or not a number): that path has diverged.
    """
    w = _start(start, learning_rate, steps)
    path = [w]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            w = w - learning_rate * gradient(w)
            path.append(w)
            if diverged(w):
                break
    return np.array(path)


def momentum_path(gradient, start, learning_rate, steps, beta=0.9):
    """Gradient descent with momentum (the heavy ball), velocity v(0) = 0:

        v(t) = β v(t-1) + ∇J(w(t-1))
        w(t) = w(t-1) - η v(t)
    """
    w = _start(start, learning_rate, steps)
    _fraction("β", beta)
    v = np.zeros(2)
    path = [w]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            v = beta * v + gradient(w)
            w = w - learning_rate * v
            path.append(w)
            if diverged(w):
                break
    return np.array(path)


def rmsprop_path(gradient, start, learning_rate, steps, rho=0.9, eps=1e-8):
    """RMSProp: each coordinate's step divided by a running root mean square of its gradient, s(0) = 0:

        g = ∇J(w(t-1))
        s(t) = ρ s(t-1) + (1 - ρ) g²
        w(t) = w(t-1) - η g / (√s(t) + ε)

    (squares, roots and the division taken coordinate by coordinate).
    """
    w = _start(start, learning_rate, steps)
    _fraction("ρ", rho)
    _positive("ε", eps)
    s = np.zeros(2)
    path = [w]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = gradient(w)
            s = rho * s + (1 - rho) * g ** 2
            w = w - learning_rate * g / (np.sqrt(s) + eps)
            path.append(w)
            if diverged(w):
                break
    return np.array(path)


def adam_path(gradient, start, learning_rate, steps, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True):
    """Adam (Kingma and Ba, 2015), m(0) = v(0) = 0, for steps t = 1, 2, ...:

        g = ∇J(w(t-1))
        m(t) = β1 m(t-1) + (1 - β1) g
        v(t) = β2 v(t-1) + (1 - β2) g²
        m̂ = m(t) / (1 - β1^t),  v̂ = v(t) / (1 - β2^t)   (the bias corrections)
        w(t) = w(t-1) - η m̂ / (√v̂ + ε)

    With bias_correction=False, m̂ = m(t) and v̂ = v(t).
    """
    w = _start(start, learning_rate, steps)
    _fraction("β1", beta1)
    _fraction("β2", beta2)
    _positive("ε", eps)
    m, v = np.zeros(2), np.zeros(2)
    path = [w]
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = gradient(w)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g ** 2
            if bias_correction:
                m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
            else:
                m_hat, v_hat = m, v
            w = w - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
            path.append(w)
            if diverged(w):
                break
    return np.array(path)


OPTIMISERS = {"gradient descent": gradient_descent_path, "momentum": momentum_path,
              "RMSProp": rmsprop_path, "Adam": adam_path}


def diverged(w):
    """True for a point with a coordinate beyond LIMIT, or one that is not a number."""
    return not (np.all(np.isfinite(w)) and np.max(np.abs(w)) <= LIMIT)


def _start(start, learning_rate, steps):
    """The start as a float array, once the learning rate and the number of steps are known to be sensible."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) \
            or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"the learning rate η must be a positive number, like 0.1 (got {learning_rate!r})")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"the number of steps must be a whole number, at least 1 (got {steps!r})")
    try:
        w = np.array(start, dtype=float)
    except (TypeError, ValueError):
        w = None
    if w is None or w.shape != (2,) or not np.all(np.isfinite(w)):
        raise ValueError(f"the start must be a point (w1, w2) of two finite numbers (got {start!r})")
    return w


def _fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be at least 0 and below 1 (got {value!r})")


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a small positive number, like 1e-8 (got {value!r})")


# The surfaces

@dataclass(frozen=True)
class Surface:
    """A cost surface J(w1, w2) with its exact gradient, minima, view and suggested starts."""

    name: str
    title: str                      # mathtext, for the figure
    cost: Callable                  # J(w1, w2), element-wise on arrays
    gradient: Callable              # ∇J(w) at one point w, an array of two numbers
    minima: tuple                   # the points where J is smallest
    box: tuple                      # the view: ((w1 from, to), (w2 from, to))
    starts: tuple                   # ((label, (w1, w2)), ...)
    saddle: tuple | None = None     # a saddle point, if the surface has one
    notes: tuple = ()               # ((start, a sentence for the caption), ...)

    @property
    def lowest(self):
        """J*, the smallest value of J."""
        return float(self.cost(*self.minima[0]))

    def inside(self, w):
        (a, b), (c, d) = self.box
        return bool(a <= w[0] <= b and c <= w[1] <= d)

    def distance_to_minimum(self, path):
        """The distance from each point of `path` (n x 2) to the nearest minimum."""
        path = np.asarray(path, dtype=float).reshape(-1, 2)
        return np.min([np.hypot(*(path - m).T) for m in self.minima], axis=0)


VALLEY_MINIMUM = (1.0, 0.5)
VALLEY_ANGLE = 30.0              # degrees between the valley's floor and the w1 axis
VALLEY_CURVATURES = (0.3, 15.0)  # along the floor and across it: the eigenvalues of the Hessian H
_along = np.array([np.cos(np.radians(VALLEY_ANGLE)), np.sin(np.radians(VALLEY_ANGLE))])
_across = np.array([-_along[1], _along[0]])
VALLEY_HESSIAN = (VALLEY_CURVATURES[0] * np.outer(_along, _along)
                  + VALLEY_CURVATURES[1] * np.outer(_across, _across))


def valley_cost(w1, w2):
    """J(w) = ½ (w - c)ᵀ H (w - c), c the minimum and H the valley's Hessian."""
    (h11, h12), (_, h22) = VALLEY_HESSIAN
    d1, d2 = w1 - VALLEY_MINIMUM[0], w2 - VALLEY_MINIMUM[1]
    return 0.5 * (h11 * d1 ** 2 + 2 * h12 * d1 * d2 + h22 * d2 ** 2)


def valley_gradient(w):
    """∇J(w) = H (w - c)."""
    return VALLEY_HESSIAN @ (np.asarray(w, dtype=float) - VALLEY_MINIMUM)


def saddle_cost(w1, w2):
    """J(w) = ½ w1² - ⅛ w2² + w2⁴ / 16: a saddle at (0, 0) between minima at (0, ±1), J* = -1/16."""
    return 0.5 * w1 ** 2 - w2 ** 2 / 8 + w2 ** 4 / 16


def saddle_gradient(w):
    """∇J(w) = (w1, (w2³ - w2) / 4)."""
    w1, w2 = w
    return np.array([w1, (w2 ** 3 - w2) / 4])


SURFACES = {
    "valley": Surface(
        name="narrow valley",
        title=(r"$J = \frac{1}{2}(\mathbf{w} - \mathbf{c})^\top \mathbf{H} (\mathbf{w} - \mathbf{c})$, "
               rf"curvatures {VALLEY_CURVATURES[0]:g} "
               rf"and {VALLEY_CURVATURES[1]:g}"),
        cost=valley_cost, gradient=valley_gradient, minima=(VALLEY_MINIMUM,), box=((-3.0, 3.0), (-2.0, 2.0)),
        starts=(("(−2, −1), near the floor", (-2.0, -1.0)),
                ("(−2.5, 0), on the wall", (-2.5, 0.0)),
                ("(2.5, −1.5), high on the far wall", (2.5, -1.5)))),
    "saddle": Surface(
        name="saddle",
        title=r"$J = \frac{1}{2}w_1^2 - \frac{1}{8}w_2^2 + \frac{1}{16}w_2^4$",
        cost=saddle_cost, gradient=saddle_gradient, minima=((0.0, 1.0), (0.0, -1.0)),
        box=((-2.0, 2.0), (-1.6, 1.6)), saddle=(0.0, 0.0),
        starts=(("(−1.8, 0.001), just off the ridge", (-1.8, 0.001)),
                ("(−1.5, 0.5), off the ridge", (-1.5, 0.5)),
                ("(−1.8, 0), exactly on the ridge", (-1.8, 0.0))),
        notes=(((-1.8, 0.0), "On the ridge w<sub>2</sub> = 0 the gradient has no w<sub>2</sub> part, so no optimiser "
                             "here can ever leave it: the noise of mini-batch gradients would."),
               ((-1.8, 0.001), "Gradient descent crawls away from the ridge, its w<sub>2</sub> growing by only "
                               "1 + η/4 per step; momentum builds up speed, and RMSProp and Adam divide each "
                               "coordinate's gradient by its own typical size, so even a tiny slope gives a step "
                               "of about η."))),
}


def optimiser_path(surface, optimiser, start, learning_rate, steps, **settings):
    """The path of `optimiser` (a name in OPTIMISERS) on SURFACES[surface], as a read-only (n x 2) array."""
    if surface not in SURFACES:
        raise ValueError(f"there is no surface {surface!r}; choose one of {', '.join(map(repr, SURFACES))}")
    if optimiser not in OPTIMISERS:
        raise ValueError(f"there is no optimiser {optimiser!r}; choose from {', '.join(map(repr, OPTIMISERS))}")
    start = tuple(float(v) for v in _start(start, learning_rate, steps))
    return _path(surface, optimiser, start, float(learning_rate), int(steps), tuple(sorted(settings.items())))


@functools.lru_cache(maxsize=256)
def _path(surface, optimiser, start, learning_rate, steps, settings):
    path = OPTIMISERS[optimiser](SURFACES[surface].gradient, start, learning_rate, steps, **dict(settings))
    path.setflags(write=False)
    return path


def path_summary(surface, path, steps, tolerance=TOLERANCE):
    """What a path did: {'final_cost', 'arrived', 'left_view', 'diverged', 'at_saddle'}.

    `arrived` is the first step t at which w(t) was within `tolerance` of a minimum,
    `left_view` the first step outside the view and `diverged` the step at which
    it passed LIMIT (each None if it never did); `final_cost` is J at the last point.
    """
    surface = SURFACES[surface] if isinstance(surface, str) else surface
    path = np.asarray(path, dtype=float)
    with np.errstate(all="ignore"):
        near = np.flatnonzero(surface.distance_to_minimum(path) <= tolerance)
        outside = [t for t, w in enumerate(path) if not surface.inside(w)]
        final_cost = float(surface.cost(*path[-1]))
    blew_up = diverged(path[-1])
    at_saddle = (surface.saddle is not None and not blew_up
                 and float(np.hypot(*(path[-1] - surface.saddle))) <= SADDLE_RADIUS)
    return {"final_cost": final_cost, "arrived": int(near[0]) if len(near) else None,
            "left_view": outside[0] if outside else None, "diverged": len(path) - 1 if blew_up else None,
            "at_saddle": at_saddle, "steps": steps}


@functools.lru_cache(maxsize=4)
def _grid(surface, n=201):
    """(W1, W2, J - J*) on an n x n grid over the surface's view."""
    s = SURFACES[surface]
    (a, b), (c, d) = s.box
    W1, W2 = np.meshgrid(np.linspace(a, b, n), np.linspace(c, d, n))
    return W1, W2, s.cost(W1, W2) - s.lowest


def _num(v, digits=3):
    """A number as the lessons print it, with a true minus sign."""
    return f"{v:.{digits}g}".replace("-", "−")


def _point(w):
    return f"({_num(w[0])}, {_num(w[1])})"


class OptimiserExplorer(Explorer):
    """Pick a surface, a start and the optimisers; set the learning rate, the steps and each one's settings."""

    size = (12, 4.8)

    def __init__(self, surface="valley", optimisers=tuple(OPTIMISERS), learning_rate=0.1, steps=100, start=None,
                 beta=0.9, rho=0.9, rmsprop_eps=1e-8, beta1=0.9, beta2=0.999, adam_eps=1e-8, bias_correction=True):
        super().__init__()
        import ipywidgets as widgets
        if surface not in SURFACES:
            raise ValueError(f"there is no surface {surface!r}; choose one of {', '.join(map(repr, SURFACES))}")
        unknown = [name for name in optimisers if name not in OPTIMISERS]
        if isinstance(optimisers, str) or unknown:
            raise ValueError(f"optimisers must be a list of names from {', '.join(map(repr, OPTIMISERS))} "
                             f"(got {optimisers!r})")
        start = _start(SURFACES[surface].starts[0][1] if start is None else start, learning_rate, steps)
        low, high = LEARNING_RATES
        if not low <= learning_rate <= high:
            raise ValueError(f"the learning rate η goes from {low:g} to {high:g} here (got {learning_rate!r})")
        if steps > MAX_STEPS:
            raise ValueError(f"at most {MAX_STEPS} steps here (got {steps!r})")
        if not SURFACES[surface].inside(start):
            (a, b), (c, d) = SURFACES[surface].box
            raise ValueError(f"the start must lie in the view, w1 from {a:g} to {b:g} and w2 from {c:g} to {d:g} "
                             f"(got {tuple(float(v) for v in start)})")
        for name, value in (("β", beta), ("ρ", rho), ("β1", beta1), ("β2", beta2)):
            _fraction(name, value)
        for value in (rmsprop_eps, adam_eps):
            _positive("ε", value)
        start = tuple(float(v) for v in start)
        self._custom = None if start in [point for _, point in SURFACES[surface].starts] else start  # your own

        def narrow():
            return widgets.Layout(width="270px")

        def wrapping(children):
            return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))

        row = widgets.Layout(width="150px")
        self.surface = widgets.Dropdown(options=[(s.name, key) for key, s in SURFACES.items()], value=surface,
                                        description="surface")
        self.start = widgets.Dropdown(options=self._starts(surface), value=start, description="start",
                                      layout=widgets.Layout(width="360px"))
        self.learning_rate = widgets.FloatLogSlider(value=learning_rate, base=10, min=np.log10(low),
                                                    max=np.log10(high), step=0.05, description="η",
                                                    readout_format=".3g")
        self.steps = widgets.IntSlider(value=steps, min=1, max=MAX_STEPS, description="steps")
        self.shown = {name: widgets.Checkbox(value=name in optimisers, description=name, indent=False, layout=row)
                      for name in OPTIMISERS}
        self.beta = widgets.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01, description="β",
                                        layout=narrow())
        self.rho = widgets.FloatSlider(value=rho, min=0.0, max=0.999, step=0.001, description="ρ",
                                       readout_format=".3f", layout=narrow())
        self.rmsprop_eps = widgets.FloatLogSlider(value=rmsprop_eps, base=10, min=-10, max=0, step=1,
                                                  description="ε", readout_format=".0e", layout=narrow())
        self.beta1 = widgets.FloatSlider(value=beta1, min=0.0, max=0.99, step=0.01, description="β1",
                                         layout=narrow())
        self.beta2 = widgets.FloatSlider(value=beta2, min=0.0, max=0.9999, step=0.0001, description="β2",
                                         readout_format=".4f", layout=narrow())
        self.adam_eps = widgets.FloatLogSlider(value=adam_eps, base=10, min=-10, max=0, step=1, description="ε",
                                               readout_format=".0e", layout=narrow())
        self.bias_correction = widgets.Checkbox(value=bias_correction, description="bias correction")
        for slider, given in ((self.beta, beta), (self.rho, rho), (self.rmsprop_eps, rmsprop_eps),
                              (self.beta1, beta1), (self.beta2, beta2), (self.adam_eps, adam_eps)):
            if not np.isclose(slider.value, given, rtol=1e-9, atol=0):  # a slider keeps to its range
                ends = ((slider.base ** slider.min, slider.base ** slider.max)
                        if isinstance(slider, widgets.FloatLogSlider) else (slider.min, slider.max))
                raise ValueError(f"{slider.description} goes from {ends[0]:g} to {ends[1]:g} here (got {given!r})")
        self.surface.observe(self._new_surface, names="value")
        self.watch(self.start, self.learning_rate, self.steps, *self.shown.values(), self.beta, self.rho,
                   self.rmsprop_eps, self.beta1, self.beta2, self.adam_eps, self.bias_correction)
        self.box = widgets.VBox([
            wrapping([self.surface, self.start]),
            wrapping([self.learning_rate, self.steps]),
            wrapping([self.shown["gradient descent"]]),
            wrapping([self.shown["momentum"], self.beta]),
            wrapping([self.shown["RMSProp"], self.rho, self.rmsprop_eps]),
            wrapping([self.shown["Adam"], self.beta1, self.beta2, self.adam_eps, self.bias_correction]),
            self.image, self.caption])
        self.box.add_class("course-widget")

    def _starts(self, surface):
        options = list(SURFACES[surface].starts)
        if self._custom is not None and self._custom not in [point for _, point in options] \
                and SURFACES[surface].inside(self._custom):
            options.append((f"{_point(self._custom)}, your start", self._custom))
        return options

    def _new_surface(self, change):
        with self.held():
            self.start.options = self._starts(change["new"])
            self.start.value = self.start.options[0][1]
        self.changed()

    def settings(self, name):
        """The keyword arguments the controls give `name`'s path function."""
        return {"gradient descent": {},
                "momentum": {"beta": self.beta.value},
                "RMSProp": {"rho": self.rho.value, "eps": self.rmsprop_eps.value},
                "Adam": {"beta1": self.beta1.value, "beta2": self.beta2.value, "eps": self.adam_eps.value,
                         "bias_correction": self.bias_correction.value}}[name]

    def chosen(self):
        """The names of the optimisers ticked, in the order of OPTIMISERS."""
        return [name for name, box in self.shown.items() if box.value]

    def paths(self):
        """{name: path} for every optimiser ticked."""
        return {name: optimiser_path(self.surface.value, name, self.start.value, self.learning_rate.value,
                                     self.steps.value, **self.settings(name)) for name in self.chosen()}

    def results(self):
        """{name: path_summary(...)} for every optimiser ticked."""
        return {name: path_summary(self.surface.value, path, self.steps.value) for name, path in self.paths().items()}

    def draw(self, fig):
        surface = SURFACES[self.surface.value]
        contours, costs = fig.subplots(1, 2, width_ratios=[1.35, 1])
        W1, W2, gap = _grid(self.surface.value)
        levels = np.geomspace(1e-3, gap.max(), 16)
        contours.contourf(W1, W2, gap, levels=levels, cmap="Greys_r", norm="log", alpha=0.35, extend="min")
        contours.contour(W1, W2, gap, levels=levels, colors="grey", linewidths=0.6, norm="log")
        if surface.saddle is not None:
            contours.contour(W1, W2, gap, levels=[-surface.lowest], colors="black", linewidths=1, linestyles="--")
            contours.plot(*surface.saddle, "X", color="black", ms=8)
            contours.annotate("saddle", surface.saddle, textcoords="offset points", xytext=(6, 6), fontsize=9)
        for m in surface.minima:
            contours.plot(*m, "*", color="gold", mec="black", ms=15, zorder=4)
        contours.plot(*self.start.value, "o", color="black", ms=6, zorder=4)
        costs.set_yscale("log")
        results = self.results()
        for name, path in self.paths().items():
            result, colour = results[name], COLOURS[name]
            flag = " (diverged)" if result["diverged"] is not None else ""
            shown = path[np.all(np.isfinite(path), axis=1)]
            drawn = shown if not flag else shown[:result["left_view"] + 1]  # up to the edge, where it is clipped
            contours.plot(drawn[:, 0], drawn[:, 1], ".-", color=colour, lw=1.5, ms=3, label=name + flag, zorder=3)
            with np.errstate(all="ignore"):
                gaps = surface.cost(shown[:, 0], shown[:, 1]) - surface.lowest
            costs.plot(np.arange(len(shown)), np.maximum(gaps, 1e-16), color=colour, lw=1.5, label=name + flag)
            if result["arrived"] is not None:
                costs.plot(result["arrived"], max(gaps[result["arrived"]], 1e-16), "o", color=colour, ms=6)
        (a, b), (c, d) = surface.box
        contours.set_xlim(a, b)
        contours.set_ylim(c, d)
        contours.set_aspect("equal")
        contours.set_xlabel("$w_1$")
        contours.set_ylabel("$w_2$")
        contours.set_title(f"{surface.name.capitalize()}: {surface.title}", fontsize=10)
        if results:
            start_gap = float(surface.cost(*self.start.value)) - surface.lowest
            costs.set_ylim(top=10 * max(start_gap, 1e-3))  # a diverging cost leaves through the top
            if any(r["arrived"] is not None for r in results.values()):
                costs.plot([], [], "o", color="grey", ms=6, label=f"first within {TOLERANCE:g} of a minimum")
            costs.legend(fontsize=8, loc="upper right", framealpha=0.9)  # the one legend, for both panels
        else:
            costs.set_ylim(1e-6, 10)
            costs.text(0.5, 0.5, "tick an optimiser", ha="center", va="center", transform=costs.transAxes)
        costs.set_xlim(0, self.steps.value)
        costs.yaxis.set_major_locator(LogLocator(numticks=8))
        costs.yaxis.set_minor_locator(NullLocator())  # a cost can span thirty decades: minor ticks cost time
        costs.set_xlabel("step t")
        costs.set_ylabel("J(w(t)) − J*")
        costs.set_title(f"Cost above the minimum, η = {self.learning_rate.value:.3g}", fontsize=10)
        costs.grid(alpha=0.3)

    def describe(self):
        surface, steps = SURFACES[self.surface.value], self.steps.value
        minima = " and ".join(_point(m) for m in surface.minima)
        head = (f"<p><b>{surface.name.capitalize()}, η = {self.learning_rate.value:.3g}, {steps} steps from "
                f"{_point(self.start.value)}.</b> The lowest cost J* = {_num(surface.lowest)} is at {minima}.</p>")
        results = self.results()
        if not results:
            return head + "Tick at least one optimiser to see its path."
        rows, notes = [], []
        for name, r in results.items():
            if r["diverged"] is not None:
                status = f"diverged at step {r['diverged']}"
                notes.append(f"⚠ {name} diverged: it left the view at step {r['left_view']} and a coordinate passed "
                             f"10<sup>6</sup> at step {r['diverged']}; the figure draws it up to the edge of the view.")
            elif r["arrived"] is not None:
                status = f"from step {r['arrived']}"
            else:
                status = f"not within {steps} steps" + (": still at the saddle" if r["at_saddle"] else "")
            if r["diverged"] is None and r["left_view"] is not None:
                back = ", then came back" if surface.inside(self.paths()[name][-1]) else ""
                notes.append(f"⚠ {name} left the view at step {r['left_view']}{back}.")
            rows.append(f"<tr><td style='color:{COLOURS[name]}'>{name}</td><td>{_num(r['final_cost'])}</td>"
                        f"<td>{status}</td></tr>")
        table = (f"<table><tr><th>optimiser</th><th>final J</th><th>within {TOLERANCE:g} of a minimum</th></tr>"
                 + "".join(rows) + "</table>")
        notes += [text for point, text in surface.notes if point == tuple(self.start.value)]
        return head + table + "<br>".join(notes)
