"""The optimiser explorer, driven from Python: its update rules against their equations, the saddle, divergence."""
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course.widgets.optimisers import (
    LIMIT,
    OPTIMISERS,
    SADDLE_RADIUS,
    SURFACES,
    TOLERANCE,
    VALLEY_ANGLE,
    VALLEY_CURVATURES,
    VALLEY_MINIMUM,
    OptimiserExplorer,
    adam_path,
    gradient_descent_path,
    momentum_path,
    optimiser_path,
    path_summary,
    rmsprop_path,
)

ANGLE = math.radians(VALLEY_ANGLE)
ALONG = (math.cos(ANGLE), math.sin(ANGLE))    # the valley's floor
ACROSS = (-math.sin(ANGLE), math.cos(ANGLE))  # up its walls


def valley_gradient(w):
    """∇ of ½ (a u² + b v²), u and v the coordinates of w - c along and across the floor, written out again."""
    a, b = VALLEY_CURVATURES
    d = (w[0] - VALLEY_MINIMUM[0], w[1] - VALLEY_MINIMUM[1])
    u = d[0] * ALONG[0] + d[1] * ALONG[1]
    v = d[0] * ACROSS[0] + d[1] * ACROSS[1]
    return [a * u * ALONG[0] + b * v * ACROSS[0], a * u * ALONG[1] + b * v * ACROSS[1]]


def saddle_gradient(w):
    """∇ of ½ w1² - w2²/8 + w2⁴/16."""
    return [w[0], w[1] ** 3 / 4 - w[1] / 4]


GRADIENTS = {"valley": valley_gradient, "saddle": saddle_gradient}


# The update rules in their most literal form: one coordinate at a time, plain floats.

def literal_gradient_descent(gradient, w, lr, steps):
    w, path = list(w), [tuple(w)]
    for _ in range(steps):
        g = gradient(w)
        for i in range(2):
            w[i] = w[i] - lr * g[i]
        path.append(tuple(w))
    return np.array(path)


def literal_momentum(gradient, w, lr, steps, beta):
    w, v, path = list(w), [0.0, 0.0], [tuple(w)]
    for _ in range(steps):
        g = gradient(w)
        for i in range(2):
            v[i] = beta * v[i] + g[i]
            w[i] = w[i] - lr * v[i]
        path.append(tuple(w))
    return np.array(path)


def literal_rmsprop(gradient, w, lr, steps, rho, eps):
    w, s, path = list(w), [0.0, 0.0], [tuple(w)]
    for _ in range(steps):
        g = gradient(w)
        for i in range(2):
            s[i] = rho * s[i] + (1 - rho) * g[i] ** 2
            w[i] = w[i] - lr * g[i] / (math.sqrt(s[i]) + eps)
        path.append(tuple(w))
    return np.array(path)


def literal_adam(gradient, w, lr, steps, beta1, beta2, eps, bias_correction=True):
    w, m, v, path = list(w), [0.0, 0.0], [0.0, 0.0], [tuple(w)]
    for t in range(1, steps + 1):
        g = gradient(w)
        for i in range(2):
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
            m_hat = m[i] / (1 - beta1 ** t) if bias_correction else m[i]
            v_hat = v[i] / (1 - beta2 ** t) if bias_correction else v[i]
            w[i] = w[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        path.append(tuple(w))
    return np.array(path)


# The surfaces

@pytest.mark.parametrize("key", SURFACES)
def test_each_surface_has_the_gradient_of_its_cost_and_its_lowest_cost_at_its_minima(key):
    s = SURFACES[key]
    rng = np.random.default_rng(0)
    (a, b), (c, d) = s.box
    h = 1e-6
    for w in zip(rng.uniform(a, b, 20), rng.uniform(c, d, 20), strict=True):
        numeric = [(s.cost(w[0] + h, w[1]) - s.cost(w[0] - h, w[1])) / (2 * h),
                   (s.cost(w[0], w[1] + h) - s.cost(w[0], w[1] - h)) / (2 * h)]
        np.testing.assert_allclose(s.gradient(np.array(w)), numeric, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(s.gradient(np.array(w)), GRADIENTS[key](w), rtol=1e-12, atol=1e-12)
    for m in s.minima:
        assert np.allclose(s.gradient(np.array(m)), 0)
    W1, W2 = np.meshgrid(np.linspace(a, b, 301), np.linspace(c, d, 301))
    assert s.cost(W1, W2).min() >= s.lowest - 1e-12
    for _, start in s.starts:
        assert s.inside(start)
    if s.saddle is not None:
        assert np.allclose(s.gradient(np.array(s.saddle)), 0) and s.cost(*s.saddle) > s.lowest


def test_the_valley_is_narrow_and_tilted():
    s = SURFACES["valley"]
    H = np.array([s.gradient(np.array(VALLEY_MINIMUM) + e) for e in np.eye(2)]).T  # the gradient is H (w - c)
    curvatures, directions = np.linalg.eigh(H)
    np.testing.assert_allclose(curvatures, VALLEY_CURVATURES)
    assert curvatures[1] / curvatures[0] >= 20, "ill-conditioned"
    floor = directions[:, 0] * np.sign(directions[0, 0])
    assert 10 < math.degrees(math.atan2(floor[1], floor[0])) < 80, "along neither axis"


# The update rules against their equations

@pytest.mark.parametrize("key", SURFACES)
@pytest.mark.parametrize("lr", [0.01, 0.1, 0.3])
def test_each_path_follows_its_update_equations(key, lr):
    s = SURFACES[key]
    g = s.gradient  # checked on its own above; the same one here, so that only the update rules differ
    for _, start in s.starts:
        cases = [
            (gradient_descent_path(g, start, lr, 60), literal_gradient_descent(g, start, lr, 60)),
            (momentum_path(g, start, lr, 60, beta=0.8), literal_momentum(g, start, lr, 60, 0.8)),
            (rmsprop_path(g, start, lr, 60, rho=0.95, eps=1e-6), literal_rmsprop(g, start, lr, 60, 0.95, 1e-6)),
            (adam_path(g, start, lr, 60, beta1=0.8, beta2=0.99, eps=1e-7),
             literal_adam(g, start, lr, 60, 0.8, 0.99, 1e-7)),
            (adam_path(g, start, lr, 60, bias_correction=False),
             literal_adam(g, start, lr, 60, 0.9, 0.999, 1e-8, bias_correction=False)),
        ]
        for path, expected in cases:
            if np.max(np.abs(expected)) > LIMIT:  # a diverging run stops early: compare what it has
                expected = expected[:len(path)]
            assert path.shape == expected.shape
            np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-15)


def test_gradient_descent_on_the_valley_shrinks_each_direction_by_one_minus_eta_lambda():
    s, lr, steps = SURFACES["valley"], 0.1, 80
    path = gradient_descent_path(s.gradient, (-2.5, 0.0), lr, steps)
    d = path - VALLEY_MINIMUM
    t = np.arange(steps + 1)
    for direction, curvature in zip((ALONG, ACROSS), VALLEY_CURVATURES, strict=True):
        component = d @ direction
        np.testing.assert_allclose(component, component[0] * (1 - lr * curvature) ** t, rtol=1e-9, atol=1e-14)
    across = (d @ ACROSS)[:20]  # later it is down to rounding errors
    assert np.all(np.sign(across[1:]) != np.sign(across[:-1])), "1 - ηλ < 0 across the valley: it zigzags"


def test_momentum_with_no_momentum_is_gradient_descent():
    s = SURFACES["saddle"]
    np.testing.assert_array_equal(momentum_path(s.gradient, (-1.5, 0.5), 0.1, 50, beta=0.0),
                                  gradient_descent_path(s.gradient, (-1.5, 0.5), 0.1, 50))


def test_adams_first_step_has_length_eta_in_each_coordinate_thanks_to_the_bias_correction():
    s, lr = SURFACES["valley"], 0.01
    for _, start in s.starts:
        corrected = adam_path(s.gradient, start, lr, 1)
        np.testing.assert_allclose(np.abs(corrected[1] - corrected[0]), [lr, lr], rtol=1e-6)
        assert np.all(np.sign(corrected[1] - corrected[0]) == -np.sign(s.gradient(np.array(start)))), "downhill"
        plain = adam_path(s.gradient, start, lr, 1, bias_correction=False)
        np.testing.assert_allclose(np.abs(plain[1] - plain[0]), lr * 0.1 / math.sqrt(0.001), rtol=1e-6)
        rms = rmsprop_path(s.gradient, start, lr, 1, rho=0.9)
        np.testing.assert_allclose(np.abs(rms[1] - rms[0]), lr / math.sqrt(0.1), rtol=1e-6)


def test_a_summary_finds_the_first_step_within_the_tolerance():
    path = optimiser_path("valley", "momentum", (-2.0, -1.0), 0.1, 100, beta=0.9)
    distances = np.hypot(path[:, 0] - VALLEY_MINIMUM[0], path[:, 1] - VALLEY_MINIMUM[1])
    first = int(np.argmax(distances <= TOLERANCE))
    assert distances[first] <= TOLERANCE < distances[:first].min()
    summary = path_summary("valley", path, 100)
    assert summary["arrived"] == first and summary["diverged"] is None and summary["left_view"] is None
    assert summary["final_cost"] == pytest.approx(SURFACES["valley"].cost(*path[-1]))
    slow = path_summary("valley", optimiser_path("valley", "gradient descent", (-2.0, -1.0), 0.01, 50), 50)
    assert slow["arrived"] is None


# The saddle

def test_on_the_saddle_gradient_descent_stays_stuck_while_momentum_and_adam_leave():
    w = OptimiserExplorer(surface="saddle", start=(-1.8, 0.001), learning_rate=0.1, steps=100)
    results, paths = w.results(), w.paths()
    stuck = results["gradient descent"]
    assert stuck["arrived"] is None and stuck["at_saddle"]
    assert np.hypot(*paths["gradient descent"][-1]) < SADDLE_RADIUS
    ratio = paths["gradient descent"][-1, 1] / paths["gradient descent"][0, 1]
    assert ratio == pytest.approx(1.025 ** 100, rel=1e-3), "near the ridge w2 grows by 1 + η/4 per step"
    for name in ("momentum", "RMSProp", "Adam"):
        assert results[name]["arrived"] is not None and results[name]["arrived"] < 100, name
        assert not results[name]["at_saddle"]
    assert "still at the saddle" in w.describe()
    assert "1 + η/4 per step" in w.describe()


def test_exactly_on_the_ridge_no_optimiser_leaves_it():
    w = OptimiserExplorer(surface="saddle", start=(-1.8, 0.0), steps=200)
    for name, path in w.paths().items():
        assert np.all(path[:, 1] == 0), name
        assert w.results()[name]["at_saddle"], name
    assert "can ever leave it" in w.describe()


# Divergence and bad input

def test_a_diverging_path_is_flagged_and_clipped_to_the_view_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = OptimiserExplorer(learning_rate=0.5, steps=100)
        w.refresh()
        fig = w.figure()
        result = w.results()["gradient descent"]
        path = w.paths()["gradient descent"]
        assert result["diverged"] == len(path) - 1 < 100 and np.max(np.abs(path[-1])) > LIMIT
        assert result["left_view"] is not None and result["left_view"] <= result["diverged"]
        caption = w.caption.value
        assert f"diverged at step {result['diverged']}" in caption and "⚠ gradient descent diverged" in caption
        assert w.results()["Adam"]["diverged"] is None
        ax = fig.axes[0]
        (a, b), (c, d) = SURFACES["valley"].box
        assert ax.get_xlim() == (a, b) and ax.get_ylim() == (c, d), "the view stays on the surface"
        labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
        assert "gradient descent (diverged)" in labels and "Adam" in labels
        line = next(ln for ln in ax.lines if ln.get_label() == "gradient descent (diverged)")
        assert len(line.get_xdata()) == result["left_view"] + 1, "drawn up to where it leaves the view"
        with np.errstate(all="raise"):  # the path functions keep numpy quiet themselves
            for name in OPTIMISERS:
                optimiser_path("saddle", name, (1.9, 1.5), 1.0, 500)
            path = gradient_descent_path(lambda w: np.array([np.inf, np.nan]), (0.0, 0.0), 0.1, 10)
        assert len(path) == 2 and path_summary("valley", path, 10)["diverged"] == 1


@pytest.mark.parametrize("kwargs, message", [
    ({"steps": 0}, "the number of steps must be a whole number, at least 1"),
    ({"steps": 2.5}, "the number of steps must be a whole number"),
    ({"learning_rate": -0.1}, "the learning rate η must be a positive number"),
    ({"learning_rate": 0}, "the learning rate η must be a positive number"),
    ({"learning_rate": 5.0}, "the learning rate η goes from 0.001 to 1 here"),
    ({"steps": 10_000}, "at most 500 steps"),
    ({"surface": "bowl"}, "there is no surface 'bowl'"),
    ({"optimisers": ["SGD"]}, "optimisers must be a list of names"),
    ({"optimisers": "Adam"}, "optimisers must be a list of names"),
    ({"start": (9.0, 0.0)}, "the start must lie in the view"),
    ({"start": (1.0, 2.0, 3.0)}, "the start must be a point"),
    ({"beta": 1.0}, "β must be at least 0 and below 1"),
    ({"beta2": -0.1}, "β2 must be at least 0 and below 1"),
    ({"adam_eps": 0.0}, "ε must be a small positive number"),
    ({"rmsprop_eps": 1e-12}, "ε goes from 1e-10 to 1 here"),
    ({"beta1": 0.995}, "β1 goes from 0 to 0.99 here"),
])
def test_bad_settings_get_a_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        OptimiserExplorer(**kwargs)


def test_the_path_functions_check_their_arguments():
    g = SURFACES["valley"].gradient
    with pytest.raises(ValueError, match="at least 1"):
        gradient_descent_path(g, (0, 0), 0.1, 0)
    with pytest.raises(ValueError, match="positive number"):
        momentum_path(g, (0, 0), -0.1, 10)
    with pytest.raises(ValueError, match="positive number"):
        adam_path(g, (0, 0), "0.1", 10)
    with pytest.raises(ValueError, match="ρ must be at least 0 and below 1"):
        rmsprop_path(g, (0, 0), 0.1, 10, rho=1.5)
    with pytest.raises(ValueError, match="ε must be a small positive number"):
        rmsprop_path(g, (0, 0), 0.1, 10, eps=-1e-8)
    with pytest.raises(ValueError, match="the start must be a point"):
        adam_path(g, (0, float("nan")), 0.1, 10)
    with pytest.raises(ValueError, match="there is no optimiser 'Nesterov'"):
        optimiser_path("valley", "Nesterov", (0, 0), 0.1, 10)


def test_with_no_optimiser_ticked_the_caption_says_what_to_do():
    w = OptimiserExplorer(optimisers=[])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = w.figure()
    assert "Tick at least one optimiser" in w.describe()
    assert all(ax.get_legend() is None for ax in fig.axes) and w.paths() == {}


# The widget

# The PNG, the browser's class and the static fallback are tested with every explorer in test_explorers.py;
# here, what this explorer's caption says in each.

def test_the_caption_says_when_each_optimiser_arrived():
    w = OptimiserExplorer()
    w.refresh()
    assert "within 0.05 of a minimum" in w.caption.value


def test_the_static_fallback_prints_each_optimisers_result(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    OptimiserExplorer()._ipython_display_()
    out = capsys.readouterr().out
    assert "gradient descent" in out and "from step" in out, "the caption is printed as text"
    plt.close("all")


def test_moving_a_control_changes_the_state_and_the_image():
    w = OptimiserExplorer()
    w.refresh()
    image, paths = bytes(w.image.value), w.paths()
    w.learning_rate.value = 0.05
    assert bytes(w.image.value) != image and not np.array_equal(w.paths()["Adam"], paths["Adam"])
    assert "η = 0.05" in w.caption.value

    image, paths = bytes(w.image.value), w.paths()
    w.beta.value = 0.5
    changed = {name for name in paths if not np.array_equal(w.paths()[name], paths[name])}
    assert changed == {"momentum"} and bytes(w.image.value) != image

    w.bias_correction.value = False
    assert not np.array_equal(w.paths()["Adam"], paths["Adam"])

    w.shown["RMSProp"].value = False
    assert w.chosen() == ["gradient descent", "momentum", "Adam"] and "RMSProp" not in w.caption.value
    labels = [t.get_text() for t in w.figure().axes[1].get_legend().get_texts()]
    assert labels == ["gradient descent", "momentum", "Adam", "first within 0.05 of a minimum"]

    w.steps.value = 30
    assert all(len(path) == 31 for path in w.paths().values())

    frames = w.frames
    w.surface.value = "saddle"
    assert w.frames == frames + 1, "one redraw for the new surface and its start"
    assert w.start.value == SURFACES["saddle"].starts[0][1]
    assert [p for _, p in w.start.options] == [p for _, p in SURFACES["saddle"].starts]
    assert "Saddle" in w.caption.value
    w.start.value = (-1.5, 0.5)
    assert all(tuple(path[0]) == (-1.5, 0.5) for path in w.paths().values())


def test_a_start_of_ones_own_joins_the_menu():
    w = OptimiserExplorer(start=(0.5, -0.5))
    assert w.start.value == (0.5, -0.5) and "your start" in w.start.label
    assert all(tuple(path[0]) == (0.5, -0.5) for path in w.paths().values())
