"""Training playground: train a network live and watch the loss and the fit, with any NN class of the course's API."""
import threading
import time

import numpy as np

from course.notebook import iterations
from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer

REDRAW_SECONDS = 0.3


def make_task(name, seed=0):
    """X, Y of a toy task: 'curve' (fit y = f(x) on 1 input) or 'disc' (1 inside a disc, 0 outside, 2 inputs)."""
    rng = np.random.default_rng(seed)
    if name == "curve":
        X = np.sort(rng.uniform(-2.5, 2.5, size=(80, 1)), axis=0)
        Y = np.sin(1.8 * X) + 0.25 * X ** 2 + rng.normal(scale=0.08, size=X.shape)
        return X, Y
    if name == "disc":
        X = rng.uniform(-1, 1, size=(240, 2))
        return X, (np.sum(X ** 2, axis=1, keepdims=True) < 0.5).astype(float)
    raise ValueError(f"unknown task {name!r}: choose 'curve' or 'disc'")


class Playground(Explorer):
    """Pick a task, a learning rate, an initial weight scale, a width, a depth and a number of iterations.

    Moving a control rebuilds the network and shows what it computes before
    training; Train runs gradient descent in the background, redrawing the
    loss curve and the fit as it goes, and Stop ends the run.
    """

    size = (11, 4)

    def __init__(self, nn_class=None, hidden=None, output=None, loss=None,
                 task="curve", learning_rate=0.05, init_scale=0.3, width=16, depth=2, n_it=2000, seed=0):
        """Without a class or dictionaries of your own, the course's reference NN, ReLU, identity and MSE."""
        super().__init__()
        import ipywidgets as widgets
        if None in (nn_class, hidden, output, loss):
            from course.reference import nn
            nn_class, hidden = nn_class or nn.NN, hidden or nn.activation_relu_dict
            output, loss = output or nn.activation_output_dict, loss or nn.loss_dict
        self.nn_class, self.hidden, self.output, self.loss, self.seed = nn_class, hidden, output, loss, seed
        style = {"description_width": "110px"}
        self.task = widgets.Dropdown(options=[("fit a curve (1 input)", "curve"),
                                              ("inside the disc? (2 inputs)", "disc")],
                                     value=task, description="task", style=style)
        self.learning_rate = widgets.FloatLogSlider(value=learning_rate, base=10, min=-4, max=0.5, step=0.1,
                                                    description="learning rate", style=style, readout_format=".4g")
        self.init_scale = widgets.FloatLogSlider(value=init_scale, base=10, min=-3, max=0.5, step=0.1,
                                                 description="init scale", style=style, readout_format=".3g")
        self.width = widgets.IntSlider(value=width, min=1, max=64, description="hidden width", style=style)
        self.depth = widgets.IntSlider(value=depth, min=1, max=6, description="hidden layers", style=style)
        self.n_it = widgets.IntSlider(value=n_it, min=100, max=20000, step=100, description="iterations", style=style)
        self.train_button = widgets.Button(description="Train", button_style="success", icon="play")
        self.stop_button = widgets.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
        self.train_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="progress", style=style)
        self.settings = [self.task, self.learning_rate, self.init_scale, self.width, self.depth, self.n_it]
        for control in self.settings:
            control.observe(self.reset, names="value")
        self._stop, self._thread = threading.Event(), None
        self.net, self.history, self.status = None, [], ""
        self.reset()
        self.box = widgets.VBox([
            widgets.HBox([widgets.VBox(self.settings[:3]), widgets.VBox(self.settings[3:])]),
            widgets.HBox([self.train_button, self.stop_button, self.progress]),
            self.image, self.caption])
        self.box.add_class("course-widget")

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def layers_dims(self):
        return [self.X.shape[1]] + [self.width.value] * self.depth.value + [1]

    def build(self):
        """A fresh network of the chosen shape, its weights drawn with the chosen scale."""
        dims = self.layers_dims()
        net = self.nn_class(dims, self.hidden, self.output, self.loss, seed=self.seed)
        rng = np.random.default_rng(self.seed)
        for l in range(1, len(dims)):
            net.params[f"W{l}"] = rng.normal(scale=self.init_scale.value, size=(dims[l - 1], dims[l]))
        return net

    def reset(self, *_):
        """Stop any run, rebuild the network from the controls and show it untrained."""
        self.stop()
        self._stop.clear()
        self.X, self.Y = make_task(self.task.value, self.seed)
        self.history, self.progress.value, self.progress.max = [], 0, self.n_it.value
        try:
            self.net = self.build()
            self.history.append((0, self._loss()))
            self.status = "Untrained. Press <b>Train</b>."
        except Exception as err:  # noqa: BLE001 (the learner's own class: say what failed, not a traceback)
            self.net, self.status = None, self._failure("building the network", err)
        self.changed()

    def _loss(self):
        return float(self.loss["loss"](self.net.forward_pass(self.X), self.Y))

    @staticmethod
    def _failure(doing, err):
        return (f"<span style='color:#b00'>⚠ {type(err).__name__} while {doing}: {err}</span><br>"
                "If this is your own NN class, finish and test the exercises of notebook 4 first.")

    def run(self, on_step=None):
        """Train for the chosen number of iterations in this thread (or until stopped); return the history."""
        if self.net is None:
            return self.history
        total, done = self.n_it.value, self.history[-1][0]
        chunk = max(1, total // 200)
        last_draw = started = time.monotonic()
        while done < total and not self._stop.is_set():
            k = min(chunk, total - done)
            try:
                with np.errstate(all="ignore"):  # a diverging run is reported below, not in warnings
                    self.net.train(self.X, self.Y, k, learning_rate=self.learning_rate.value, verbose=False)
                    loss = self._loss()
            except Exception as err:  # noqa: BLE001 (the learner's own train: say what failed)
                self.status = self._failure("training", err)
                break
            done += k
            self.history.append((done, loss))
            self.progress.value = done
            if not np.isfinite(loss) or loss > 1e6:
                self.status = (f"<span style='color:#b00'>⚠ Diverged at iteration {done}: the loss is {loss:.3g}."
                               " Lower the learning rate (or the init scale).</span>")
                break
            self.status = (f"{done} / {total} iterations · loss {loss:.5g} · {time.monotonic() - started:.1f} s"
                           + (" · <b>done</b>" if done == total else ""))
            if on_step is not None and time.monotonic() - last_draw > REDRAW_SECONDS:
                on_step()
                last_draw = time.monotonic()
        if self._stop.is_set() and done < total:
            self.status = f"Stopped at iteration {done} of {total} · loss {self.history[-1][1]:.5g}."
        return self.history

    def start(self):
        """Train in a background thread, so that the notebook (and the Stop button) stays responsive."""
        if self.running:
            return
        self._stop.clear()
        for control in self.settings + [self.train_button]:
            control.disabled = True
        self.stop_button.disabled = False

        def work():
            try:
                self.run(on_step=self.refresh)
            finally:
                for control in self.settings + [self.train_button]:
                    control.disabled = False
                self.stop_button.disabled = True
                self.refresh()

        self._thread = threading.Thread(target=work, daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self.running and threading.current_thread() is not self._thread:
            self._thread.join()

    def wait(self, timeout=None):
        if self._thread is not None:
            self._thread.join(timeout)

    def static(self):
        self.n_it.value = iterations(self.n_it.value)
        self.run()
        return super().static()

    def draw(self, fig):
        curve, fit = fig.subplots(1, 2)
        if self.history:
            steps, losses = zip(*self.history, strict=True)
            curve.plot(steps, losses, color=NEURON, lw=2)
            if all(np.isfinite(losses)) and min(losses) > 0:
                curve.set_yscale("log")
        curve.set_xlim(0, self.n_it.value)
        curve.set_xlabel("iteration")
        curve.set_ylabel("loss")
        curve.set_title("Training loss")
        curve.grid(alpha=0.3)
        (self._draw_curve if self.X.shape[1] == 1 else self._draw_disc)(fit)

    def _predict(self, X):
        if self.net is None:
            return None
        try:
            with np.errstate(all="ignore"):
                return np.asarray(self.net.forward_pass(X), dtype=float)
        except Exception:  # noqa: BLE001 (the learner's forward pass: no prediction is drawn)
            return None

    def _draw_curve(self, ax):
        ax.scatter(self.X[:, 0], self.Y[:, 0], s=12, color="grey", label="data")
        grid = np.linspace(-2.7, 2.7, 300).reshape(-1, 1)
        pred = self._predict(grid)
        if pred is not None and np.all(np.isfinite(pred)):
            ax.plot(grid[:, 0], pred[:, 0], color=ACCENT, lw=2.5, label="network")
        ax.set_ylim(self.Y.min() - 0.8, self.Y.max() + 0.8)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="upper center")
        ax.set_title("What the network computes")

    def _draw_disc(self, ax):
        g = np.linspace(-1, 1, 121)
        gx, gy = np.meshgrid(g, g)
        pred = self._predict(np.column_stack([gx.ravel(), gy.ravel()]))
        if pred is not None and np.all(np.isfinite(pred)):
            surface = np.clip(pred.reshape(gx.shape), 0, 1)
            ax.contourf(gx, gy, surface, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
            if surface.min() < 0.5 < surface.max():
                ax.contour(gx, gy, surface, levels=[0.5], colors="black", linewidths=1.5)
        inside = self.Y[:, 0] == 1
        ax.scatter(*self.X[inside].T, s=10, color="#b2182b", label="inside (y = 1)")
        ax.scatter(*self.X[~inside].T, s=10, color="#2166ac", label="outside (y = 0)")
        ax.set_aspect("equal")
        ax.set_title("Prediction, and the boundary where it is 0.5")
        ax.legend(loc="lower left", fontsize=8)

    def accuracy(self):
        """For the disc task: the share of points on the right side of 0.5."""
        pred = self._predict(self.X)
        return None if pred is None else float(np.mean((pred > 0.5) == (self.Y > 0.5)))

    def describe(self):
        return f"<b>{self.layers_dims()}</b> network · " + self.status
