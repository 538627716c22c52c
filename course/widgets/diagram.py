"""Network diagrams in matplotlib, drawn the way the course draws networks.

Neurons are circles, each non-input neuron has its receptor z as a square on
its left, and the line from neuron i of layer l-1 to neuron j of layer l is
labelled w_{i,j}^{(l)}: the entry in row i, column j of W(l). Optionally a
cost node J follows the output layer.

Every artist carries a gid (`neuron-l-k`, `receptor-l-k`, `edge-l-i-j`,
`weight-l-i-j`, `layer-l`, `cost`, `cost-edge-k`, `delta-l-k`; indices from
1 as in the text) so that tests and widgets can find it.
"""
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

NEURON = "#4682b4"
RECEPTOR = "#f3f6fa"
ACCENT = "#e8730c"
BLOCKED = "#b9a48f"

_DX, _DY, _R = 3.4, 1.6, 0.36
_SW, _SH = 0.62, 0.44  # receptor width and height
_MAX_WEIGHT_LABELS = 24


def _fmt(v):
    v = float(v)
    return "0.00" if round(v, 2) == 0 else f"{v:.2f}"


def _flatten(a):
    if hasattr(a, "tolist"):
        a = a.tolist()
    if isinstance(a, (list, tuple)):
        for item in a:
            yield from _flatten(item)
    else:
        yield a


def _row(values, key, n):
    """Values of one layer for one sample, as a flat list of length n."""
    if values is None or key not in values:
        return None
    flat = [float(v) for v in _flatten(values[key])]
    if len(flat) < n:
        raise ValueError(f"values[{key!r}] has {len(flat)} entries, the layer has {n}")
    return flat[:n]


def neuron_position(layers_dims, l, k):
    """Centre of neuron k (from 1) of layer l, in data coordinates."""
    n = layers_dims[l]
    return l * _DX, ((n + 1) / 2 - k) * _DY


def paths_to_weight(layers_dims, l, i, j, values=None):
    """Highlight items for every path from the cost J back to w(l)_{i,j}.

    With forward-pass `values` ({'z1': ..., ...} for one sample), the items
    that lie on no path free of ReLU receptors with z <= 0 come back marked
    'blocked': they add nothing to the gradient. Hidden layers are assumed to
    use ReLU and the output layer the identity.
    """
    dims = [int(n) for n in layers_dims]
    L = len(dims) - 1
    if not (1 <= l <= L and 1 <= i <= dims[l - 1] and 1 <= j <= dims[l]):
        raise ValueError(f"there is no weight w({l})_{{{i},{j}}} in a network {dims}")

    def is_open(layer, k):
        zs = _row(values, f"z{layer}", dims[layer])
        return layer == L or zs is None or zs[k - 1] > 0

    nodes = {layer: ([j] if layer == l else list(range(1, dims[layer] + 1))) for layer in range(l, L + 1)}
    reach = {(l, j): is_open(l, j)}          # a live path from the weight gets here
    for layer in range(l + 1, L + 1):
        for m in nodes[layer]:
            reach[layer, m] = is_open(layer, m) and any(reach[layer - 1, k] for k in nodes[layer - 1])
    back = {(L, k): True for k in nodes[L]}  # a live path to J leaves from here
    for layer in range(L - 1, l - 1, -1):
        for k in nodes[layer]:
            back[layer, k] = is_open(layer, k) and any(back[layer + 1, m] for m in nodes[layer + 1])
    live = {node: reach[node] and back[node] for node in reach}

    items = {("w", l, i, j): live[l, j]}
    for layer in range(l, L + 1):
        for k in nodes[layer]:
            items[("z", layer, k)] = items[("x", layer, k)] = live[layer, k]
            if layer == L:
                items[("J", k)] = live[layer, k]
            else:
                for m in nodes[layer + 1]:
                    items[("w", layer + 1, k, m)] = live[layer, k] and live[layer + 1, m]
    return [key if on else (*key, "blocked") for key, on in items.items()]


def draw_network(layers_dims, values=None, params=None, highlight=(), ax=None,
                 weight_labels=None, title=None, cost=None, deltas=None):
    """Draw a fully connected network and return the matplotlib Axes.

    layers_dims: neurons per layer, input first, e.g. [2, 3, 2, 1].
    values: optional forward-pass values for one sample, keyed like the
        course's forward pass: {'x0': ..., 'z1': ..., 'x1': ...}. Shown with
        two decimals on neurons and receptors.
    params: optional {'W1': ..., ...}; weight labels of the layers it has then show the values.
    highlight: items to draw in the accent colour: ('w', l, i, j) for a
        weight, ('x', l, k) for a neuron, ('z', l, k) for a receptor, ('J', k)
        for the line from output k to the cost. An item that ends with
        'blocked' is drawn dashed instead (see paths_to_weight).
    weight_labels: label every line; by default only when there are at most
        24 lines.
    cost: draw the cost node J after the output layer; a number is shown in it.
    deltas: optional {l: delta values of layer l}, written under the receptors.
    """
    dims = [int(n) for n in layers_dims]
    if len(dims) < 2 or min(dims) < 1:
        raise ValueError(f"layers_dims needs at least two layers of at least one neuron, got {list(layers_dims)}")
    n_edges = sum(a * b for a, b in zip(dims, dims[1:], strict=False))
    if weight_labels is None:
        weight_labels = n_edges <= _MAX_WEIGHT_LABELS
    marked = {tuple(h) for h in highlight if h[-1] != "blocked"}
    blocked = {tuple(h[:-1]) for h in highlight if h[-1] == "blocked"}
    L = len(dims) - 1

    bottom = min(neuron_position(dims, l, n)[1] for l, n in enumerate(dims)) - _R - (0.75 if deltas else 0.3)
    top = max(neuron_position(dims, l, 1)[1] for l in range(len(dims))) + _R + 1.2
    left, right = -_R - 0.3, L * _DX + _R + (1.9 if cost is not None else 0.3)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.8 * (right - left), 0.8 * (top - bottom)))
    ax.set_aspect("equal")
    ax.axis("off")

    def style(item):
        if item in marked:
            return dict(color=ACCENT, lw=2.4, ls="-")
        if item in blocked:
            return dict(color=BLOCKED, lw=1.8, ls="--")
        return dict(color="black", lw=0.8, ls="-")

    font = 11 if max(dims) <= 4 else 9
    for l in range(1, L + 1):
        t = min(0.3, 1 / (dims[l] + 1))  # at this fraction of the way, a layer's labels are evenly spaced
        for i in range(1, dims[l - 1] + 1):
            x1, y1 = neuron_position(dims, l - 1, i)
            x1 += _R
            for j in range(1, dims[l] + 1):
                x2, y2 = neuron_position(dims, l, j)
                x2 -= _R + _SW
                s = style(("w", l, i, j))
                ax.plot([x1, x2], [y1, y2], zorder=1, gid=f"edge-{l}-{i}-{j}", **s)
                if weight_labels:
                    label = (_fmt(params[f"W{l}"][i - 1][j - 1]) if params is not None and f"W{l}" in params
                             else rf"$w_{{{i},{j}}}^{{({l})}}$")
                    ax.annotate(label, ((1 - t) * x1 + t * x2, (1 - t) * y1 + t * y2),
                                ha="center", va="center", fontsize=font - 2, zorder=2,
                                color=s["color"],
                                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85),
                                gid=f"weight-{l}-{i}-{j}")

    top_label = top - 0.9
    for l, n in enumerate(dims):
        role = "input" if l == 0 else "output" if l == L else "hidden"
        ax.text(l * _DX, top_label, f"Layer {l}\n({role})", ha="center", va="bottom",
                fontsize=font + 1, gid=f"layer-{l}")
        xs = _row(values, f"x{l}", n)
        zs = _row(values, f"z{l}", n)
        ds = _row({"d": deltas[l]}, "d", n) if deltas and l in deltas else None
        for k in range(1, n + 1):
            cx, cy = neuron_position(dims, l, k)
            fill = ACCENT if ("x", l, k) in marked else BLOCKED if ("x", l, k) in blocked else NEURON
            ax.add_patch(Circle((cx, cy), _R, fc=fill, ec="black", lw=0.8, zorder=3, gid=f"neuron-{l}-{k}"))
            text = _fmt(xs[k - 1]) if xs else rf"$x_{{{k}}}^{{({l})}}$"
            ax.text(cx, cy, text, ha="center", va="center", color="white", fontsize=font - 1, zorder=4)
            if l == 0:
                continue
            fill = ACCENT if ("z", l, k) in marked else "#eadfd3" if ("z", l, k) in blocked else RECEPTOR
            ax.add_patch(Rectangle((cx - _R - _SW, cy - _SH / 2), _SW, _SH, fc=fill,
                                   ec="black", lw=0.8, zorder=3, gid=f"receptor-{l}-{k}"))
            text = _fmt(zs[k - 1]) if zs else rf"$z_{{{k}}}^{{({l})}}$"
            ax.text(cx - _R - _SW / 2, cy, text, ha="center", va="center", fontsize=font - 2, zorder=4)
            if ds:
                ax.text(cx - _R - _SW / 2, cy - _SH / 2 - 0.08, rf"$\delta$={ds[k - 1] + 0.0:.3g}", ha="center",
                        va="top", fontsize=font - 3, color="#7a3d00", zorder=4, gid=f"delta-{l}-{k}")

    if cost is not None:
        jx, jy = L * _DX + _R + 1.2, 0.0
        for k in range(1, dims[L] + 1):
            cx, cy = neuron_position(dims, L, k)
            ax.plot([cx + _R, jx - 0.45], [cy, jy], zorder=1, gid=f"cost-edge-{k}", **style(("J", k)))
        on = any(("J", k) in marked for k in range(1, dims[L] + 1))
        ax.add_patch(FancyBboxPatch((jx - 0.45, jy - 0.32), 0.9, 0.64, boxstyle="round,pad=0.05",
                                    fc=ACCENT if on else "#fbeee0", ec="black", lw=0.8, zorder=3, gid="cost"))
        label = "$J$" if cost is True else f"$J$\n{float(cost):.4g}"
        ax.text(jx, jy, label, ha="center", va="center", fontsize=font - 2, zorder=4)

    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    if title:
        ax.set_title(title)
    return ax


def elements(ax, kind):
    """The artists of one kind ('neuron', 'receptor', 'edge', 'weight', 'layer', 'delta', ...) on an Axes."""
    found = [a for a in ax.get_children() if (a.get_gid() or "").startswith(kind + "-") or a.get_gid() == kind]
    return sorted(found, key=lambda a: a.get_gid())
