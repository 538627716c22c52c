"""MNIST-1D: ten one-dimensional "digits", each a short template stretched, scaled, shifted, noised and sheared into
a signal of 40 numbers.

The recipe and its parameters are those of MNIST-1D by Sam Greydanus and Dmitry Kobak ("Scaling down deep learning
with MNIST-1D", ICML 2024; https://github.com/greydanus/mnist1d, Apache-2.0; the templates below are theirs). This
module is the course's own NumPy implementation of that recipe. `make_dataset` draws its random numbers in its own
order, so a seed gives other samples than the original code, from the same distribution; `published` draws them in
the original order and so regenerates the published dataset (mnist1d_data.pkl: 4000 training and 1000 test samples),
equal to it within 2e-15. Sources and licence: course/data/README.md.

For each sample of digit d:
1. the template of d (12 values, starting and ending at 0) gets between 36 and 60 zeros appended, and the whole is
   resampled to 72 points, which stretches the digit by a random amount;
2. it is multiplied by a random factor between 0.8 and 1.2, and rotated right by 0 to 47 places;
3. where it is zero, it takes smooth noise instead (Gaussian noise of standard deviation 0.25, blurred by a
   Gaussian of width 2 points); everywhere, small independent noise (standard deviation 0.02) is added;
4. a random straight line through the middle (slope between -0.375 and 0.375 over the signal) is subtracted, and
   the 72 points are resampled to 40.
Finally every value is standardised with one fixed mean and standard deviation (those of the published dataset), so
that sets drawn with different seeds are on the same scale.
"""
import numpy as np

__all__ = ["LENGTH", "CLASSES", "make_dataset", "published", "templates", "render"]

LENGTH = 40  # values per sample
CLASSES = 10
TEMPLATE_LENGTH = 12
PADDING = (36, 60)  # zeros appended to a template: between these two, both included
STRETCHED = TEMPLATE_LENGTH + PADDING[1]  # 72: the length of a signal while it is transformed
AMPLITUDE = 0.4  # the amplitude factor lies in [1 - AMPLITUDE / 2, 1 + AMPLITUDE / 2)
MAX_SHIFT = 48  # rotation to the right by 0 ... MAX_SHIFT - 1 places
CORRELATED_NOISE = 0.25  # standard deviation of the noise before it is blurred
BLUR = 2.0  # standard deviation, in points, of the Gaussian that blurs it
INDEPENDENT_NOISE = 0.02
SHEAR = 0.75  # the slope's coefficient lies in [-SHEAR / 2, SHEAR / 2)
EPS = 1e-8  # added to a template, so that only the appended zeros count as empty
# The mean and standard deviation of the published dataset's 5000 raw signals (its default seed, 42), with which it
# was standardised; here every set is standardised with them.
MEAN, STD = -0.00550750643127718, 0.15467803420593054

# The ten templates of the recipe, before they are standardised (MNIST-1D, github.com/greydanus/mnist1d).
_TEMPLATES = (
    (5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5),
    (5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5),
    (5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5),
    (5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5),
    (5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5),
    (5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5),
    (5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5),
    (5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5),
    (5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5),
    (5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5),
)


def templates():
    """The ten templates, a new (10, 12) array: row d is digit d, standardised, shifted to start at 0, divided by 6."""
    x = np.array(_TEMPLATES, dtype=float)
    x -= x.mean(axis=1, keepdims=True)
    x /= x.std(axis=1, keepdims=True)
    x -= x[:, :1]
    return x / 6.0


def _resample(rows, lengths, n_points):
    """Each row's first `lengths[i]` values, linearly interpolated onto `n_points` evenly spaced points.

    The points are linspace(0, 1, length) and linspace(0, 1, n_points), and a point that falls on a knot is taken
    from the interval on its left, as scipy's interp1d(kind="linear") does.
    """
    out = np.empty((rows.shape[0], n_points))
    new = np.linspace(0.0, 1.0, n_points)
    for length in np.unique(lengths):
        which = np.flatnonzero(lengths == length)
        knots = np.linspace(0.0, 1.0, length)
        hi = np.clip(np.searchsorted(knots, new, side="left"), 1, length - 1)
        lo = hi - 1
        y = rows[which]
        slope = (y[:, hi] - y[:, lo]) / (knots[hi] - knots[lo])
        out[which] = slope * (new - knots[lo]) + y[:, lo]
    return out


def _blur(noise):
    """Each row convolved with a normalised Gaussian of standard deviation BLUR (radius 4 BLUR), mirrored at the
    ends (the edge value repeated: d c b a | a b c d | d c b a)."""
    radius = int(4.0 * BLUR + 0.5)
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * offsets ** 2 / BLUR ** 2)
    kernel /= kernel.sum()
    padded = np.pad(noise, ((0, 0), (radius, radius)), mode="symmetric")
    return np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1, axis=1) @ kernel


def render(labels, padding, amplitude, shift, correlated, independent, shear):
    """The raw signals (n, 40), before standardisation, for given random choices, one per sample:

    labels (n,) digits; padding (n,) zeros appended (36..60); amplitude (n,) factors; shift (n,) places (0..47);
    correlated (n, 72) noise before blurring; independent (n, 72) noise; shear (n,) slope coefficients.
    """
    labels, padding, shift = (np.asarray(a, dtype=int) for a in (labels, padding, shift))
    n = labels.shape[0]
    signal = np.zeros((n, STRETCHED))
    signal[:, :TEMPLATE_LENGTH] = templates()[labels] + EPS
    signal = _resample(signal, TEMPLATE_LENGTH + padding, STRETCHED)
    signal *= np.asarray(amplitude, dtype=float)[:, None]
    columns = (np.arange(STRETCHED)[None, :] - shift[:, None]) % STRETCHED
    signal = np.take_along_axis(signal, columns, axis=1)
    empty = signal == 0
    signal = np.where(empty, _blur(np.asarray(correlated, dtype=float)), signal) + independent
    signal = signal - np.asarray(shear, dtype=float)[:, None] * np.linspace(-0.5, 0.5, STRETCHED)
    return _resample(signal, np.full(n, STRETCHED), LENGTH)


def make_dataset(n, seed):
    """(X, y): n samples of MNIST-1D drawn with `seed`, X (n, 40) floats, y (n,) digits 0..9.

    The classes are as even as n allows (n // 10 or one more of each) and come in random order. The same n and seed
    always give the same arrays; `seed` is anything np.random.default_rng takes (an int of any size).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n should be a whole number of samples, at least 0, but it is {n!r}")
    n = int(n)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % CLASSES)
    padding = rng.integers(PADDING[0], PADDING[1] + 1, size=n)
    amplitude = 1 + AMPLITUDE * (rng.random(n) - 0.5)
    shift = rng.integers(0, MAX_SHIFT, size=n)
    correlated = CORRELATED_NOISE * rng.standard_normal((n, STRETCHED))
    independent = INDEPENDENT_NOISE * rng.standard_normal((n, STRETCHED))
    shear = SHEAR * (rng.random(n) - 0.5)
    X = render(labels, padding, amplitude, shift, correlated, independent, shear)
    return (X - MEAN) / STD, labels


def published():
    """(X_train, y_train, X_test, y_test): the published MNIST-1D dataset, 4000 + 1000 samples, regenerated.

    The original code's seed (42) and its order of random draws: 500 samples of each digit in turn, each drawing
    padding, amplitude, shift, correlated noise, independent noise and shear, then one shuffle of all 5000.
    """
    rs = np.random.RandomState(42)
    per_class = 500
    n = CLASSES * per_class
    padding, shift = np.empty(n, dtype=int), np.empty(n, dtype=int)
    amplitude, shear = np.empty(n), np.empty(n)
    correlated, independent = np.empty((n, STRETCHED)), np.empty((n, STRETCHED))
    for i in range(n):
        padding[i] = PADDING[0] + int(rs.rand() * (PADDING[1] - PADDING[0] + 1))
        amplitude[i] = 1 + AMPLITUDE * (rs.rand() - 0.5)
        shift[i] = rs.randint(0, MAX_SHIFT)
        correlated[i] = CORRELATED_NOISE * rs.randn(STRETCHED)
        independent[i] = INDEPENDENT_NOISE * rs.randn(STRETCHED)
        shear[i] = SHEAR * (rs.rand() - 0.5)
    labels = np.repeat(np.arange(CLASSES), per_class)
    order = rs.permutation(n)
    X = (render(labels, padding, amplitude, shift, correlated, independent, shear)[order] - MEAN) / STD
    y = labels[order]
    return X[:4000], y[:4000], X[4000:], y[4000:]
