"""Network diagrams in matplotlib, drawn the way the course draws networks.

Neurons are circles, each non-input neuron has its receptor z as a square on
its left, and the line from neuron i of layer l-1 to neuron j of layer l is
labelled w_{i,j}^{(l)}: the entry in row i, column j of W(l).

Every artist carries a gid (`neuron-l-k`, `receptor-l-k`, `edge-l-i-j`,
`weight-l-i-j`, `layer-l`; indices from 1 as in the text) so that tests and
widgets can find it.
"""
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, Rectangle

NEURON = "#4682b4"
RECEPTOR = "#f3f6fa"
ACCENT = "#e8730c"
MUTED = "#9aa5b1"

_DX, _DY, _R = 3.4, 1.6, 0.36
_SW, _SH = 0.62, 0.44  # receptor width and height
_MAX_WEIGHT_LABELS = 24


def _fmt(v):
    v = float(v)
    return "0.00" if round(v, 2) == 0 else f"{v:.2f}"


def _row(values, key, n):
    """Values of one layer for one sample, as a flat list of length n."""
    if values is None or key not in values:
        return None
    flat = [float(v) for v in _flatten(values[key])]
    if len(flat) < n:
        raise ValueError(f"values[{key!r}] has {len(flat)} entries, the layer has {n}")
    return flat[:n]


def _flatten(a):
    if hasattr(a, "tolist"):
        a = a.tolist()
    if isinstance(a, (list, tuple)):
        for item in a:
            yield from _flatten(item)
    else:
        yield a


def neuron_position(layers_dims, l, k):
    """Centre of neuron k (from 1) of layer l, in data coordinates."""
    n = layers_dims[l]
    return l * _DX, ((n + 1) / 2 - k) * _DY


def draw_network(layers_dims, values=None, params=None, highlight=(), ax=None,
                 weight_labels=None, title=None):
    """Draw a fully connected network and return the matplotlib Axes.

    layers_dims: neurons per layer, input first, e.g. [2, 3, 2, 1].
    values: optional forward-pass values for one sample, keyed like the
        course's forward pass: {'x0': ..., 'z1': ..., 'x1': ...}. Shown with
        two decimals on neurons and receptors.
    params: optional {'W1': ..., ...}; weight labels then show the values.
    highlight: items to draw in the accent colour: ('w', l, i, j) for a
        weight, ('x', l, k) for a neuron, ('z', l, k) for a receptor.
    weight_labels: label every line; by default only when there are at most
        24 lines.
    """
    dims = [int(n) for n in layers_dims]
    if len(dims) < 2 or min(dims) < 1:
        raise ValueError(f"layers_dims needs at least two layers of at least one neuron, got {list(layers_dims)}")
    n_edges = sum(a * b for a, b in zip(dims, dims[1:]))
    if weight_labels is None:
        weight_labels = n_edges <= _MAX_WEIGHT_LABELS
    marked = {tuple(h) for h in highlight}

    bottom = min(neuron_position(dims, l, n)[1] for l, n in enumerate(dims)) - _R - 0.3
    top = max(neuron_position(dims, l, 1)[1] for l in range(len(dims))) + _R + 1.2
    left, right = -_R - 0.3, (len(dims) - 1) * _DX + _R + 0.3
    if ax is None:
        _, ax = plt.subplots(figsize=(0.8 * (right - left), 0.8 * (top - bottom)))
    ax.set_aspect("equal")
    ax.axis("off")

    font = 11 if max(dims) <= 4 else 9
    for l in range(1, len(dims)):
        for i in range(1, dims[l - 1] + 1):
            x1, y1 = neuron_position(dims, l - 1, i)
            x1 += _R
            for j in range(1, dims[l] + 1):
                x2, y2 = neuron_position(dims, l, j)
                x2 -= _R + _SW
                on = ("w", l, i, j) in marked
                ax.plot([x1, x2], [y1, y2], color=ACCENT if on else "black",
                        lw=2.4 if on else 0.8, zorder=1, gid=f"edge-{l}-{i}-{j}")
                if weight_labels:
                    label = (_fmt(params[f"W{l}"][i - 1][j - 1]) if params is not None
                             else rf"$w_{{{i},{j}}}^{{({l})}}$")
                    # at this fraction of the way the labels of a layer are evenly spaced
                    t = min(0.3, 1 / (dims[l] + 1))
                    ax.annotate(label, ((1 - t) * x1 + t * x2, (1 - t) * y1 + t * y2),
                                ha="center", va="center", fontsize=font - 2, zorder=2,
                                color=ACCENT if on else "black",
                                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85),
                                gid=f"weight-{l}-{i}-{j}")

    for l, n in enumerate(dims):
        role = "input" if l == 0 else "output" if l == len(dims) - 1 else "hidden"
        ax.text(l * _DX, top - 0.9, f"Layer {l}\n({role})", ha="center", va="bottom",
                fontsize=font + 1, gid=f"layer-{l}")
        xs = _row(values, f"x{l}", n)
        zs = _row(values, f"z{l}", n)
        for k in range(1, n + 1):
            cx, cy = neuron_position(dims, l, k)
            on = ("x", l, k) in marked
            ax.add_patch(Circle((cx, cy), _R, fc=ACCENT if on else NEURON, ec="black", lw=0.8,
                                zorder=3, gid=f"neuron-{l}-{k}"))
            text = _fmt(xs[k - 1]) if xs else rf"$x_{{{k}}}^{{({l})}}$"
            ax.text(cx, cy, text, ha="center", va="center", color="white", fontsize=font - 1, zorder=4)
            if l == 0:
                continue
            on = ("z", l, k) in marked
            ax.add_patch(Rectangle((cx - _R - _SW, cy - _SH / 2), _SW, _SH, fc=ACCENT if on else RECEPTOR,
                                   ec="black", lw=0.8, zorder=3, gid=f"receptor-{l}-{k}"))
            text = _fmt(zs[k - 1]) if zs else rf"$z_{{{k}}}^{{({l})}}$"
            ax.text(cx - _R - _SW / 2, cy, text, ha="center", va="center",
                    fontsize=font - 2, zorder=4)

    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    if title:
        ax.set_title(title)
    return ax



def elements(ax, kind):
    """The artists of one kind ('neuron', 'receptor', 'edge', 'weight', 'layer') on an Axes."""
    found = [a for a in ax.get_children() if (a.get_gid() or "").startswith(kind + "-")]
    return sorted(found, key=lambda a: a.get_gid())
