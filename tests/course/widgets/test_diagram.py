"""The network diagram draws the right things, in the text's convention, with no display."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course.widgets.diagram import ACCENT, draw_network, elements, paths_to_weight


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("dims", [[2, 3, 2, 1], [1, 1], [3, 1, 2], [4, 6, 6, 3], [5, 2, 2, 2, 2, 1]])
def test_counts_neurons_receptors_lines_and_labels(dims):
    ax = draw_network(dims)
    edges = sum(a * b for a, b in zip(dims, dims[1:], strict=False))
    assert len(elements(ax, "neuron")) == sum(dims)
    assert len(elements(ax, "receptor")) == sum(dims[1:]), "every non-input neuron has a receptor"
    assert len(elements(ax, "edge")) == edges
    assert len(elements(ax, "layer")) == len(dims)
    assert len(elements(ax, "weight")) == (edges if edges <= 24 else 0), "labels only where they fit"
    assert len(elements(draw_network(dims, weight_labels=True), "weight")) == edges


def test_weight_labels_follow_the_text_convention():
    ax = draw_network([2, 3, 2, 1])
    label = {a.get_gid(): a.get_text() for a in elements(ax, "weight")}
    # the line from neuron 1 of layer 1 to neuron 2 of layer 2 is w_{1,2}^{(2)}: from, then to
    assert label["weight-2-1-2"] == "$w_{1,2}^{(2)}$"
    assert label["weight-3-2-1"] == "$w_{2,1}^{(3)}$"
    neurons = {a.get_gid() for a in elements(ax, "neuron")}
    assert "neuron-0-2" in neurons and "neuron-1-3" in neurons and "neuron-3-1" in neurons
    layers = [a.get_text() for a in elements(ax, "layer")]
    assert layers[0].startswith("Layer 0") and "input" in layers[0] and "output" in layers[-1]


def test_lines_join_the_right_neurons_to_the_right_receptors():
    ax = draw_network([2, 3, 2, 1])
    line = next(a for a in elements(ax, "edge") if a.get_gid() == "edge-2-3-1")
    source = next(a for a in elements(ax, "neuron") if a.get_gid() == "neuron-1-3")
    receptor = next(a for a in elements(ax, "receptor") if a.get_gid() == "receptor-2-1")
    (x1, x2), (y1, y2) = line.get_xdata(), line.get_ydata()
    assert y1 == pytest.approx(source.center[1]) and x1 > source.center[0]
    assert x2 == pytest.approx(receptor.get_x()) and y2 == pytest.approx(receptor.get_y() + receptor.get_height() / 2)


def test_shows_forward_pass_values_with_two_decimals():
    values = {"x0": [6.1, 8.7], "z1": [[-0.314, 0.818, -0.417]], "x1": [0, 0.818, 0],
              "z2": [-0.07362, 0.02454], "x2": [0, 0.02454], "z3": [0.0017178], "x3": [0.0017178]}
    ax = draw_network([2, 3, 2, 1], values=values)
    texts = [t.get_text() for t in ax.texts]
    for shown in ["6.10", "8.70", "-0.31", "0.82", "-0.42", "-0.07", "0.02"]:
        assert shown in texts
    assert "-0.00" not in texts and texts.count("0.00") >= 5
    assert not any(t.startswith("$z") or t.startswith("$x") for t in texts)


def test_weight_values_and_highlights():
    params = {"W1": [[0.5, -1.25]], "W2": [[2.0], [3.0]]}
    ax = draw_network([1, 2, 1], params=params, highlight=[("w", 1, 1, 2), ("x", 1, 2), ("z", 2, 1)])
    label = {a.get_gid(): a.get_text() for a in elements(ax, "weight")}
    assert label == {"weight-1-1-1": "0.50", "weight-1-1-2": "-1.25", "weight-2-1-1": "2.00", "weight-2-2-1": "3.00"}
    accent = matplotlib.colors.to_rgba(ACCENT)
    edge = {a.get_gid(): matplotlib.colors.to_rgba(a.get_color()) for a in elements(ax, "edge")}
    assert edge["edge-1-1-2"] == accent and edge["edge-1-1-1"] != accent
    faces = {a.get_gid(): a.get_facecolor() for a in elements(ax, "neuron") + elements(ax, "receptor")}
    assert faces["neuron-1-2"] == accent and faces["receptor-2-1"] == accent and faces["neuron-1-1"] != accent


def test_draws_on_a_given_axes_and_renders_without_a_display(tmp_path):
    fig, ax = plt.subplots()
    assert draw_network([2, 2], ax=ax) is ax
    fig.savefig(tmp_path / "net.png")
    assert (tmp_path / "net.png").stat().st_size > 1000


@pytest.mark.parametrize("dims", [[3], [2, 0, 1], []])
def test_rejects_networks_that_cannot_be_drawn(dims):
    with pytest.raises(ValueError, match="layers_dims"):
        draw_network(dims)


def test_rejects_values_of_the_wrong_size():
    with pytest.raises(ValueError, match="x1"):
        draw_network([2, 3, 1], values={"x1": [1.0, 2.0]})


def worked_values():
    from course.worked_example import FIRST_INPUT, parameters
    params, v = parameters(), {"x0": np.array(FIRST_INPUT)}
    for l in (1, 2, 3):
        v[f"z{l}"] = v[f"x{l - 1}"] @ params[f"W{l}"] + params[f"b{l}"][0]
        v[f"x{l}"] = v[f"z{l}"] if l == 3 else np.maximum(0, v[f"z{l}"])
    return v


def test_paths_to_a_weight_cover_every_route_to_the_cost():
    items = paths_to_weight([2, 3, 2, 1], 1, 1, 2)
    assert all(item[-1] != "blocked" for item in items), "without values nothing is blocked"
    assert set(items) == {("w", 1, 1, 2), ("z", 1, 2), ("x", 1, 2), ("w", 2, 2, 1), ("w", 2, 2, 2),
                          ("z", 2, 1), ("x", 2, 1), ("z", 2, 2), ("x", 2, 2), ("w", 3, 1, 1), ("w", 3, 2, 1),
                          ("z", 3, 1), ("x", 3, 1), ("J", 1)}
    # the weight, its neuron (z, x), 4 lines on, 4 neurons, 8 lines on, 2 outputs, 2 lines to J
    assert len(paths_to_weight([3, 4, 4, 2], 1, 2, 3)) == 1 + 2 + 4 + 8 + 8 + 4 + 2


def test_paths_through_a_switched_off_relu_are_blocked():
    items = set(paths_to_weight([2, 3, 2, 1], 1, 1, 2, values=worked_values()))
    # z(2)_1 = -0.07362 < 0: the route through it is blocked, the route through z(2)_2 is live
    assert {("z", 2, 1, "blocked"), ("w", 2, 2, 1, "blocked"), ("w", 3, 1, 1, "blocked")} <= items
    assert {("w", 1, 1, 2), ("z", 1, 2), ("w", 2, 2, 2), ("z", 2, 2), ("w", 3, 2, 1), ("J", 1)} <= items
    dead = paths_to_weight([2, 3, 2, 1], 1, 1, 1, values=worked_values())
    assert all(item[-1] == "blocked" for item in dead), "z(1)_1 < 0 blocks every path from w(1)_{1,1}"


@pytest.mark.parametrize("l,i,j", [(0, 1, 1), (4, 1, 1), (1, 3, 1), (2, 1, 3)])
def test_paths_to_a_weight_that_does_not_exist(l, i, j):
    with pytest.raises(ValueError, match="no weight"):
        paths_to_weight([2, 3, 2, 1], l, i, j)


def test_cost_node_deltas_and_blocked_items_are_drawn():
    v = worked_values()
    deltas = {3: [-112.998], 2: [0.0, -7.91], 1: [-0.0, -0.237, 0.0]}
    ax = draw_network([2, 3, 2, 1], values=v, cost=6384.3, deltas=deltas,
                      highlight=paths_to_weight([2, 3, 2, 1], 1, 1, 2, values=v))
    assert len(elements(ax, "cost")) == 1 + 1, "the J node and its one line"
    assert "6384" in " ".join(t.get_text() for t in ax.texts)
    shown = sorted(t.get_text() for t in elements(ax, "delta"))
    assert len(shown) == 6 and "$\\delta$=-113" in shown and "$\\delta$=-7.91" in shown
    assert "$\\delta$=-0" not in shown, "no negative zero"
    edge = {a.get_gid(): a for a in elements(ax, "edge")}
    assert edge["edge-2-2-1"].get_linestyle() == "--" and edge["edge-2-2-2"].get_linestyle() == "-"
    assert matplotlib.colors.to_rgba(edge["edge-2-2-2"].get_color()) == matplotlib.colors.to_rgba(ACCENT)
