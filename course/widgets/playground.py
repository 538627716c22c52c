"""Training playground: train a network live and watch the loss and the fit, with any NN class of the course's API."""
import threading
import time

import numpy as np

from course.notebook import iterations
from course.widgets.diagram import ACCENT, NEURON
from course.widgets.explorer import Explorer

REDRAW_SECONDS = 0.3
# A disabled button: grey (its colour is taken away in Playground._enable), faint, and not pointed at.
DISABLED_BUTTONS_CSS = """<style>
.course-playground .jupyter-button:disabled { opacity: 0.45; cursor: not-allowed; box-shadow: none; }
</style>"""


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
    training. Train runs gradient descent in the background, redrawing the
    loss curve and the fit as it goes, and Stop ends the run. After a Stop,
    Continue goes on from the iteration reached, and Restart throws the trained
    weights away and trains again from fresh ones (drawn as at first, so that a
    restarted run repeats the first one).

    Two things the browser does shape this class. ipywidgets sends a button's
    click at once but holds a control's later values back until the kernel has
    handled the first one, so a click made just after dragging a slider can
    reach the kernel before the slider's last value; and the controls are
    disabled while training, so a value that arrives then was set before the
    click. Such a value restarts the run with the new settings instead of
    ending it (the click was lost otherwise). And ipywidgets draws a disabled
    button in its colour at 60 % opacity, with a pointing hand: here a button
    that cannot be pressed is grey, faint and shows a not-allowed cursor.
    """

    size = (11, 4)
    STYLES = {"train": "success", "restart": "info", "stop": "danger"}

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
        self.train_button = widgets.Button(description="Train", icon="play")
        self.restart_button = widgets.Button(description="Restart", icon="refresh", disabled=True,
                                             tooltip="Throw the trained weights away and train from fresh ones")
        self.stop_button = widgets.Button(description="Stop", icon="stop", disabled=True, tooltip="Stop training")
        for name in self.STYLES:
            getattr(self, f"{name}_button").add_class(f"course-{name}")
        self.train_button.on_click(lambda _: self.start())
        self.restart_button.on_click(lambda _: self.restart())
        self.stop_button.on_click(lambda _: self.stop())
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="progress", style=style)
        self.settings = [self.task, self.learning_rate, self.init_scale, self.width, self.depth, self.n_it]
        for control in self.settings:
            control.observe(self.reset, names="value")
        self._stop, self._thread = threading.Event(), None
        self._training = False  # a run is under way and has not begun to wind up
        self._handover = False  # the run is being ended to start another: it leaves the controls alone
        self.net, self.history, self.status, self.ended = None, [], "", None
        self.reset()
        self.box = widgets.VBox([
            widgets.HBox([widgets.VBox(self.settings[:3]), widgets.VBox(self.settings[3:])]),
            widgets.HBox([self.train_button, self.restart_button, self.stop_button, self.progress]),
            self.image, self.caption,
            widgets.HTML(DISABLED_BUTTONS_CSS, layout=widgets.Layout(display="none"))])
        self.box.add_class("course-widget")
        self.box.add_class("course-playground")

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    @property
    def iteration(self):
        """The iteration the network has been trained to."""
        return self.history[-1][0] if self.history else 0

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
        """Rebuild the network from the controls and show it untrained.

        A change that reaches the kernel while a run trains restarts that run with the new settings (see the
        class's docstring): the controls are disabled while training, so the change was made before Train.
        """
        resume = self._training
        self._handover = resume
        try:
            self.stop()
        finally:
            self._handover = False
        self._stop.clear()
        if self._rebuild() and resume:
            self._launch("")
            return
        if self.net is not None:
            self.status = f"Untrained · loss {self.history[0][1]:.5g}. Press <b>Train</b>."
        self._show_controls()
        self.changed()

    def _rebuild(self):
        """A fresh network from the controls, at iteration 0; False (and the reason in the status) if it failed."""
        self.X, self.Y = make_task(self.task.value, self.seed)
        self.history, self.progress.value, self.progress.max, self.ended = [], 0, self.n_it.value, None
        try:
            self.net = self.build()
            self.history.append((0, self._loss()))
            return True
        except Exception as err:  # noqa: BLE001 (the learner's own class: say what failed, not a traceback)
            self.net, self.status = None, self._failure("building the network", err)
            return False

    def _loss(self):
        return float(self.loss["loss"](self.net.forward_pass(self.X), self.Y))

    @staticmethod
    def _failure(doing, err):
        return (f"<span style='color:#b00'>⚠ {type(err).__name__} while {doing}: {err}</span><br>"
                "If this is your own NN class, finish and test the exercises of notebook 4 first.")

    def run(self, on_step=None, origin=""):
        """Train for the chosen number of iterations in this thread (or until stopped); return the history.

        `origin` starts every status line of the run (how it began: continued, restarted).
        """
        if self.net is None:
            return self.history
        total, done = self.n_it.value, self.iteration
        chunk = max(1, total // 200)
        last_draw = started = time.monotonic()
        lead = f"{origin} · " if origin else ""
        while done < total and not self._stop.is_set():
            k = min(chunk, total - done)
            try:
                with np.errstate(all="ignore"):  # a diverging run is reported below, not in warnings
                    self.net.train(self.X, self.Y, k, learning_rate=self.learning_rate.value, verbose=False)
                    loss = self._loss()
            except Exception as err:  # noqa: BLE001 (the learner's own train: say what failed)
                self.status, self.ended = self._failure("training", err), "failed"
                break
            done += k
            self.history.append((done, loss))
            self.progress.value = done
            if not np.isfinite(loss) or loss > 1e6:
                self.status = (f"<span style='color:#b00'>⚠ Diverged at iteration {done}: the loss is {loss:.3g}."
                               " Lower the learning rate (or the init scale).</span>")
                self.ended = "diverged"
                break
            self.status = (f"{lead}{done} / {total} iterations · loss {loss:.5g} · {time.monotonic() - started:.1f} s"
                           + (" · <b>done</b>" if done == total else ""))
            if done == total:
                self.ended = "done"
            if on_step is not None and time.monotonic() - last_draw > REDRAW_SECONDS:
                on_step()
                last_draw = time.monotonic()
        if self._stop.is_set() and done < total and self.ended is None:
            self.ended = "stopped"
            self.status = (f"Stopped at iteration {done} of {total} · loss {self.history[-1][1]:.5g}. "
                           f"<b>Continue</b> goes on from iteration {done}; "
                           "<b>Restart</b> starts again from fresh weights.")
        if not self._training:
            self._show_controls()
        return self.history

    def start(self):
        """Train (Continue after a Stop) in a background thread, so that the notebook and Stop stay responsive."""
        if self._training:
            return
        self.wait()  # a run that is winding up (its last redraw): Train is enabled again already
        if self.net is None or self.iteration >= self.n_it.value or self.ended == "diverged":
            self._show_controls()
            return
        done = self.iteration
        self._launch(f"Continuing from iteration {done} (loss {self.history[-1][1]:.5g})" if done else "")

    def restart(self):
        """Throw the trained weights away: fresh ones, drawn as at first, from iteration 0; and train."""
        self._handover = True
        try:
            self.stop()
        finally:
            self._handover = False
        self._training = False
        if self._rebuild():
            self._launch(f"Restarted from fresh weights (iteration 0, loss {self.history[0][1]:.5g})")
        else:
            self._show_controls()
            self.changed()

    def _launch(self, origin):
        self._stop.clear()
        self._training, self.ended = True, None
        self.status = (f"{origin} · " if origin else "") + "training…"
        if not self._held:
            self.caption.value = self.describe()
        self._show_controls()
        self._thread = threading.Thread(target=self._work, args=(origin,), daemon=True)
        self._thread.start()

    def _work(self, origin):
        try:
            self.run(on_step=self.refresh, origin=origin)
        finally:
            self._training = False
            if not self._handover:
                if not self._held:
                    self.caption.value = self.describe()  # at once: the last redraw takes a while
                self._show_controls()
                self.refresh()

    def _show_controls(self):
        """Enable what can be done now: the settings and Train/Continue and Restart, or Stop."""
        training, done, total = self._training, self.iteration, self.n_it.value
        self.train_button.description = "Continue" if done else "Train"
        self.train_button.tooltip = ("Diverged: Restart, or change a setting" if self.ended == "diverged" else
                                     f"Go on from iteration {done}" if 0 < done < total else
                                     "Finished: Restart trains again from fresh weights" if done else
                                     "Train from iteration 0")
        self._enable("train", not training and self.net is not None and done < total
                     and self.ended != "diverged")
        self._enable("restart", not training and done > 0)
        self._enable("stop", training)
        for control in self.settings:
            control.disabled = training

    def _enable(self, name, on):
        button = getattr(self, f"{name}_button")
        button.disabled = not on
        button.button_style = self.STYLES[name] if on else ""

    def stop(self):
        self._stop.set()
        if self.running and threading.current_thread() is not self._thread:
            self._thread.join()

    def wait(self, timeout=None):
        if self._thread is not None and threading.current_thread() is not self._thread:
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
