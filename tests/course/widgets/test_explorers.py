"""The course's widgets, driven from Python: move a control, check what the figure and the state show."""
import base64
import threading
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course.reference.nn import NN
from course.widgets import explorer as live
from course.widgets.activations import NAMES, ActivationExplorer
from course.widgets.architecture import ArchitectureExplorer
from course.widgets.backward import BackwardStepper
from course.widgets.diagram import ACCENT, elements
from course.widgets.forward import ForwardStepper
from course.widgets.generalisation import GeneralisationExplorer
from course.widgets.initialisation import InitExplorer, layer_spreads
from course.widgets.optimisers import OptimiserExplorer
from course.widgets.playground import Playground
from course.widgets.progress import Progress
from course.worked_example import make_dataset, parameters

WIDGETS = [ArchitectureExplorer, ForwardStepper, BackwardStepper, ActivationExplorer, Playground, InitExplorer,
           GeneralisationExplorer, OptimiserExplorer]


def diagram_axes(explorer):
    return explorer.figure().axes[0]


def edge_colour(ax, l, i, j):
    edge = next(a for a in elements(ax, "edge") if a.get_gid() == f"edge-{l}-{i}-{j}")
    return matplotlib.colors.to_hex(edge.get_color())


def texts(ax):
    return [t.get_text() for t in ax.texts]


def full_forward(params, X):
    """The whole forward pass with matrices, independently of the widgets."""
    out, a = {"x0": X}, X
    for l in (1, 2, 3):
        z = a @ params[f"W{l}"] + params[f"b{l}"]
        a = np.maximum(z, 0) if l < 3 else z
        out[f"z{l}"], out[f"x{l}"] = z, a
    return out


@pytest.mark.parametrize("make", WIDGETS, ids=lambda w: w.__name__)
def test_every_widget_renders_a_png_and_is_marked_for_the_browser(make):
    w = make()
    w.refresh()
    assert bytes(w.image.value).startswith(b"\x89PNG"), "the widget's image is a PNG"
    assert "course-widget" in w.box._dom_classes, "the browser tests find widgets by this class"
    assert w.caption.value, "the widget explains what it shows"


@pytest.mark.parametrize("make", WIDGETS, ids=lambda w: w.__name__)
def test_static_fallback_is_a_plain_figure(make, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert not live.has_frontend()
    w = make()
    before = set(plt.get_fignums())
    w._ipython_display_()
    new = set(plt.get_fignums()) - before
    assert len(new) == 1, "without a front end the widget becomes one ordinary matplotlib figure"
    assert plt.figure(new.pop()).axes, "the figure has something drawn on it"
    assert w.frames == 0, "no PNG is rendered for a widget nobody can see"
    assert capsys.readouterr().out.strip(), "the caption is printed as text"
    plt.close("all")


def test_with_a_front_end_the_widget_view_carries_its_first_frame_as_an_image(monkeypatch):
    shown = []
    monkeypatch.setattr(live, "has_frontend", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    ForwardStepper()._ipython_display_()
    (bundle,) = shown
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG"), \
        "nbconvert and other viewers without widgets show the image instead"


def test_no_front_end_outside_a_kernel_or_under_nbgrader(monkeypatch):
    assert not live.has_frontend()
    monkeypatch.setenv("COURSE_STATIC", "1")
    assert not live.has_frontend()


# Architecture explorer (notebook 1)

def test_architecture_lights_the_chosen_weight_on_the_diagram_and_in_its_matrix():
    w = ArchitectureExplorer(l=2, i=2, j=1)
    fig = w.figure()
    diagram, matrix = fig.axes[:2]
    assert edge_colour(diagram, 2, 2, 1) == ACCENT
    assert edge_colour(diagram, 2, 1, 1) != ACCENT
    assert matrix.get_title() == "W(2), shape 3 × 2"
    w.refresh()
    before = w.image.value
    w.l.value, w.i.value, w.j.value = 1, 1, 3
    diagram = w.figure().axes[0]
    assert edge_colour(diagram, 1, 1, 3) == ACCENT and edge_colour(diagram, 2, 2, 1) != ACCENT
    assert w.image.value != before, "moving a slider redraws the image"


def test_architecture_follows_a_new_network_and_counts_its_parameters():
    w = ArchitectureExplorer()
    w.dims_text.value = "3, 4, 4, 2"
    assert w.dims == [3, 4, 4, 2]
    assert (w.l.max, w.i.max, w.j.max) == (3, 4, 4)
    assert "= <b>46</b>" in w.caption.value  # 3*4+4 + 4*4+4 + 4*2+2
    w.dims_text.value = "2, 1"
    assert w.weight() == (1, 2, 1) and (w.l.max, w.i.max, w.j.max) == (1, 2, 1), \
        "the sliders stay inside the smaller network"


def test_architecture_explains_bad_input_and_keeps_the_last_network():
    w = ArchitectureExplorer()
    w.dims_text.value = "2, three, 1"
    assert w.dims == [2, 3, 2, 1]
    assert "whole numbers separated by commas" in w.caption.value
    w.dims_text.value = "2, 40, 1"
    assert "between 1 and 8 neurons" in w.caption.value


# Forward-pass stepper (notebook 2)

def test_forward_stepper_reveals_one_layer_at_a_time():
    w = ForwardStepper()
    assert w.shown() == ["x0"]
    ax = diagram_axes(w)
    assert "6.10" in texts(ax) and "$z_{1}^{(1)}$" in texts(ax), "step 0 shows the inputs and no receptor values"
    w.step.value = 1
    assert w.shown() == ["x0", "z1"]
    assert ("z", 1, 2) in w.lit() and ("w", 1, 2, 3) in w.lit() and ("x", 1, 1) not in w.lit()
    ax = diagram_axes(w)
    assert "-0.31" in texts(ax) and "$x_{1}^{(1)}$" in texts(ax)
    assert "z<sub>1</sub><sup>(1)</sup> = 6.1·(−0.08) + 8.7·(0.02) + 0 = <b>−0.314</b>" in w.caption.value
    w.step.value = 2
    assert w.lit() == [("x", 1, 1), ("x", 1, 2), ("x", 1, 3)]


def test_forward_stepper_ends_with_the_prediction_and_the_cost():
    w = ForwardStepper()
    w.step.value = w.step.max
    assert "x<sub>1</sub><sup>(3)</sup> = <b>0.001718</b>" in w.caption.value
    assert "J = ½ (ŷ − y)² = <b>6384</b>" in w.caption.value
    assert w.cost() == pytest.approx(0.5 * (0.0017178 - 113) ** 2, rel=1e-6)


def test_forward_stepper_matches_the_matrix_forward_pass_on_every_sample():
    X, Y = make_dataset()
    reference = full_forward(parameters(), X)
    w = ForwardStepper(X, Y)
    for row in range(1, len(X) + 1):
        w.row.value = row
        values = w.values()
        for key, matrix in reference.items():
            np.testing.assert_allclose(values[key][0], matrix[row - 1], rtol=1e-12, err_msg=f"{key}, sample {row}")


def test_forward_stepper_redraws_when_the_sample_changes():
    w = ForwardStepper()
    w.refresh()
    before, caption = w.image.value, w.caption.value
    w.row.value = 3
    assert w.image.value != before and w.caption.value != caption
    assert f"x = ({', '.join(f'{v:.4g}' for v in make_dataset()[0][2])})" in w.caption.value


def test_forward_stepper_buttons_move_within_bounds():
    w = ForwardStepper()
    w.move(-1)
    assert w.step.value == 0
    for _ in range(10):
        w.move(+1)
    assert w.step.value == 6


def test_forward_stepper_rejects_data_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        ForwardStepper(np.ones((4, 3)))


# Backward-pass stepper (notebook 3)

def numerical_gradients(params, x, y, h=1e-6):
    def cost():
        return 0.5 * float(np.sum((full_forward(params, x[None, :])["x3"] - y) ** 2))
    grads = {}
    for key in ("W1", "W2", "W3"):
        g = np.zeros_like(params[key])
        for index in np.ndindex(g.shape):
            keep = params[key][index]
            params[key][index] = keep + h
            up = cost()
            params[key][index] = keep - h
            down = cost()
            params[key][index] = keep
            g[index] = (up - down) / (2 * h)
        grads[key] = g
    return grads


def test_backward_stepper_gradients_match_finite_differences_on_every_sample():
    X, Y = make_dataset()
    w = BackwardStepper(X, Y)
    for row in range(1, len(X) + 1):
        w.row.value = row
        expected = numerical_gradients(parameters(), X[row - 1], Y[row - 1])
        for key, g in expected.items():
            np.testing.assert_allclose(w.gradients()["d" + key], g, rtol=1e-5, atol=1e-7,
                                       err_msg=f"{key}, sample {row}")
    w.row.value = 1
    assert w.gradients()["dW2"][1, 1] == pytest.approx(-6.4703, abs=5e-5), "notebook 3's worked number"


def test_backward_stepper_steps_back_from_the_cost():
    w = BackwardStepper()
    assert w.revealed() == [] and w.lit() == [("J", 1)]
    w.step.value = 1
    assert w.revealed() == [3] and ("z", 3, 1) in w.lit()
    ax = diagram_axes(w)
    assert "-2.77" in texts(ax), "the edges of layer 3 show their gradients"
    assert "$w_{2,2}^{(2)}$" in texts(ax), "layer 2's gradients are not computed yet"
    w.step.value = 3
    ax = diagram_axes(w)
    assert "-6.47" in texts(ax) and "-2.06" in texts(ax)
    assert any(t.startswith("$\\delta$=-0.237") for t in texts(ax))


def test_clicking_a_weight_highlights_its_paths():
    w = BackwardStepper()
    w.buttons[1, 2, 2].click()
    assert w.selected == (1, 2, 2)
    assert w.buttons[1, 2, 2].button_style == "warning"
    assert ("w", 2, 2, 1, "blocked") in w.lit() and ("w", 2, 2, 2) in w.lit()
    assert "8.7 · (−0.2373) = <b>−2.064</b>" in w.caption.value
    assert "1 of the 2 paths" in w.caption.value
    ax = diagram_axes(w)
    assert edge_colour(ax, 1, 2, 2) == ACCENT and edge_colour(ax, 1, 1, 1) != ACCENT
    w.select(None)
    assert w.selected is None and w.buttons[1, 2, 2].button_style == ""


def test_selecting_a_weight_the_network_lacks_is_a_clear_error():
    with pytest.raises(ValueError, match="there is no weight"):
        BackwardStepper().select((3, 3, 1))


# Activation explorer (notebook 4)

def test_activation_explorer_marks_z_on_every_curve():
    w = ActivationExplorer(z=1.0)
    w.z.value = -2.0
    fig = w.figure()
    markers = [line for ax in fig.axes for line in ax.lines if line.get_marker() == "o"]
    assert len(markers) == 2 * len(NAMES)
    assert all(line.get_xdata()[0] == -2.0 for line in markers)
    values = w.values()
    assert values["sigmoid"][0] == pytest.approx(1 / (1 + np.exp(2)))
    assert values["tanh"][1] == pytest.approx(1 - np.tanh(-2) ** 2)
    assert values["ReLU"] == (0.0, 0.0)
    assert values["leaky ReLU"] == pytest.approx((-0.2, 0.1))


def test_activation_explorer_alpha_changes_leaky_relu_only():
    w = ActivationExplorer(z=-2.0, alpha=0.1)
    w.refresh()
    before, others = w.image.value, {k: v for k, v in w.values().items() if k != "leaky ReLU"}
    w.alpha.value = 0.3
    assert w.values()["leaky ReLU"] == pytest.approx((-0.6, 0.3))
    assert {k: v for k, v in w.values().items() if k != "leaky ReLU"} == others
    assert w.image.value != before and "0.3000" in w.caption.value


# Training playground (notebook 4)

def test_playground_training_lowers_the_loss_and_fits_the_curve():
    w = Playground(n_it=1000)
    start = w.history[-1][1]
    w.run()
    assert w.history[-1][0] == 1000 and w.progress.value == 1000
    assert w.history[-1][1] < start / 20, f"loss {start} -> {w.history[-1][1]}"
    assert "done" in w.caption.value or "done" in w.status


def test_playground_disc_boundary_separates_the_classes():
    w = Playground(task="disc", learning_rate=0.1, n_it=3000)
    w.run()
    assert w.accuracy() > 0.93


def test_playground_uses_the_class_it_is_given():
    calls = []

    class Spy(NN):
        def train(self, *args, **kwargs):
            calls.append(kwargs["learning_rate"])
            return super().train(*args, **kwargs)

    w = Playground(Spy, n_it=200, learning_rate=0.02)
    w.run()
    assert calls and set(calls) == {0.02}


def test_moving_a_control_rebuilds_the_network_and_redraws():
    w = Playground(n_it=300)
    w.run()
    w.refresh()
    before = w.image.value
    w.width.value = 4
    assert len(w.history) == 1 and w.layers_dims() == [1, 4, 4, 1]
    assert w.net.params["W1"].shape == (1, 4)
    assert w.image.value != before


def test_init_scale_sets_the_spread_of_the_weights():
    w = Playground(width=64, depth=1, init_scale=0.5)
    assert np.std(w.net.params["W2"]) == pytest.approx(0.5, rel=0.2)


def test_a_diverging_run_stops_with_a_message_and_no_warnings():
    w = Playground(learning_rate=3.0, n_it=2000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w.run()
    assert "Diverged" in w.status and w.history[-1][0] < 2000


def test_stop_ends_a_background_run():
    w = Playground(n_it=20000)
    w.start()
    assert w.stop_button.disabled is False and w.train_button.disabled is True
    for _ in range(3000):  # until the first redraw while training (every 0.3 s), at most 30 s
        if w.frames:
            break
        threading.Event().wait(0.01)
    w.stop()
    assert not w.running
    assert "Stopped at iteration" in w.status and w.history[-1][0] < 20000
    assert w.train_button.disabled is False and w.stop_button.disabled is True
    assert w.frames >= 2, "the figure was redrawn while training"


def test_an_unfinished_nn_class_gets_a_message_not_a_traceback():
    class Unfinished(NN):
        def train(self, X, Y, n_it, learning_rate=0.01, verbose=True):
            raise NotImplementedError("write train in Exercise 7")

    w = Playground(Unfinished, n_it=200)
    w.run()
    assert "NotImplementedError while training: write train in Exercise 7" in w.status
    assert "notebook 4" in w.status

    class Broken(NN):
        def initialize_parameters(self, layers_dims, rng):
            raise NotImplementedError("write initialize_parameters in Exercise 4")

    w = Playground(Broken)
    assert w.net is None and "while building the network" in w.status
    w.run()  # nothing to train, and no exception


def test_playground_static_fallback_trains_a_tenth_under_nbgrader(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    w = Playground(n_it=2000)
    w._ipython_display_()
    assert w.history[-1][0] == 200
    assert "200 / 200 iterations" in capsys.readouterr().out
    plt.close("all")


# Progress

def test_progress_prints_a_few_lines_without_a_front_end(capsys):
    bar = Progress(40, "training")
    for k in range(1, 41):
        bar.update(k, f"loss {1 / k:.3f}")
    lines = capsys.readouterr().out.strip().splitlines()
    assert 4 <= len(lines) <= 5 and lines[-1].startswith("training: 40 / 40")
    assert "loss 0.025" in lines[-1]


def test_progress_is_silent_under_nbgrader(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    bar = Progress(10)
    for k in range(1, 11):
        bar.update(k)
    assert capsys.readouterr().out == ""


def test_progress_in_a_front_end_is_a_bar_whose_text_fallback_ends_complete(monkeypatch):
    shown, updates = [], []

    class Handle:
        def update(self, obj, raw=False):
            updates.append(obj)

    def display(obj, raw=False, display_id=False):
        shown.append(obj)
        return Handle()

    monkeypatch.setattr("course.widgets.progress.has_frontend", lambda: True)
    monkeypatch.setattr("IPython.display.display", display)
    bar = Progress(8, "training")
    for k in range(1, 9):
        bar.update(k, "loss 0.1")
    assert bar.bar.value == 8 and bar.bar.bar_style == "success"
    assert "application/vnd.jupyter.widget-view+json" in shown[0]
    assert updates[-1]["text/plain"].startswith("training: 8 / 8") and "loss 0.1" in updates[-1]["text/plain"]


def test_backward_stepper_without_targets_says_what_is_missing():
    X, _ = make_dataset()
    with pytest.raises(ValueError, match="needs the targets Y"):
        BackwardStepper(X)


# Prediction explorer (notebook 5)

class _Fixed:
    """A stand-in classifier with fixed probabilities."""

    def __init__(self, P):
        self.P = np.asarray(P, dtype=float)

    def forward_pass(self, X):
        return self.P


def test_prediction_explorer_shows_each_sample_and_can_keep_only_mistakes():
    from course.widgets.predictions import PredictionExplorer
    X = np.arange(3 * 64, dtype=float).reshape(3, 64)
    P = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
    w = PredictionExplorer(_Fixed(P), X, np.array([0, 1, 1]))
    w.refresh()
    first = bytes(w.image.value)
    assert "Answer 0 with probability 70.0%" in w.caption.value and "right" in w.caption.value
    w.sample.value = 2
    assert "Answer 2" in w.caption.value and "<b>wrong</b>" in w.caption.value and "−ln p = 1.204" in w.caption.value
    assert bytes(w.image.value) != first
    w.only_mistakes.value = True
    assert w.sample.max == 1 and w.index() == 1
    bars = w.figure().axes[1].patches
    assert [round(b.get_height(), 2) for b in bars] == [0.1, 0.3, 0.6]


def test_prediction_explorer_rejects_images_of_the_wrong_size():
    from course.widgets.predictions import PredictionExplorer
    with pytest.raises(ValueError, match="64 pixels"):
        PredictionExplorer(_Fixed([[1.0]]), np.ones((1, 10)), np.array([0]))


# Initialisation explorer (notebook 6)

def test_layer_spreads_follow_the_forward_pass_and_the_scale():
    stds, layers = layer_spreads(0.1, 3, "ReLU", width=4, samples=6, seed=2)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 4))
    for l in range(1, 4):
        x = np.maximum(0, x @ rng.normal(scale=0.1, size=(4, 4)))
        assert np.array_equal(layers[l], x)
    assert stds[3] == pytest.approx(np.std(x))
    tiny, _ = layer_spreads(0.001, 10, "tanh")
    he, _ = layer_spreads(np.sqrt(2 / 100), 10, "ReLU")
    huge, _ = layer_spreads(1.0, 10, "ReLU")
    assert tiny[-1] < 1e-20 and 0.3 < he[-1] / he[0] < 3 and huge[-1] > 1e6


def test_init_explorer_says_whether_the_spread_dies_keeps_or_blows_up():
    w = InitExplorer(sigma=0.001, depth=10, activation="tanh")
    assert "dies out" in w.describe() and "Xavier" in w.describe()
    with w.held():
        w.activation.value = "ReLU"
        w.sigma.value = float(np.sqrt(2 / 100))
    assert "keeps its size" in w.describe() and "He" in w.describe()
    w.sigma.value = 1.0
    assert "blows up" in w.describe()
    w.depth.value = 4
    fig = w.figure()
    assert len(fig.axes[0].lines[0].get_xdata()) == 5, "one point per layer, 0..depth"
    assert [t.get_text() for t in fig.axes[1].get_legend().get_texts()] == ["layer 1", "layer 2", "layer 4"]


# Generalisation explorer (notebook 7)

def test_generalisation_explorer_shows_overfitting_and_weight_decay_against_it():
    from course.widgets.generalisation import fit
    _, train_plain, val_plain = fit(8, 0.0, 1.0, 3000)
    assert train_plain[-1] < 0.5 * val_plain[-1], "with 8 samples and no remedy the network overfits"
    assert val_plain.min() < 0.9 * val_plain[-1], "the validation cost turns up again"
    net_decay, _, val_decay = fit(8, 1e-2, 1.0, 3000)
    net_plain, _, _ = fit(8, 0.0, 1.0, 3000)

    def size(net):
        return sum(float(np.sum(W ** 2)) for k, W in net.params.items() if k[0] == "W")

    assert size(net_decay) < 0.5 * size(net_plain), "weight decay keeps the weights small"
    assert val_decay[-1] < val_plain[-1], "and here it lowers the final validation cost"
    w = GeneralisationExplorer(samples=8, lam=0.0, keep_prob=1.0, iterations=3000)
    best = int(np.argmin(val_plain))
    assert f"iteration {(best + 1) * 10}" in w.describe()
    frames = w.frames
    w.refresh()
    w.lam.value = 1e-2
    assert w.frames == frames + 2, "moving a slider redraws the figure"
    assert f"{val_decay[-1]:.3f}" in w.describe()
