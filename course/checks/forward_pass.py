"""The checks of notebook 2: receptors with loops, one layer for every sample, the worked example's forward pass,
and a whole network's forward pass with loops.

Every input is built here, from the worked example of `course.worked_example`
(network [2, 3, 2, 1], its six samples and its weights) or written out; the
results are compared with the values the course's reference answers gave.
"""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import CheckFailed, check_array, check_shape, check_tuple, check_type
from course.worked_example import LAYERS_DIMS, make_dataset, parameters

EXPECTED = Expected("02_forward_pass")


def _relu(z):
    """The hidden layers' activation, handed to the student's layer_forward as an input."""
    return np.maximum(0, z)


def _double(z):
    """An activation the worked example does not use, so that layer_forward must really call the one it is given."""
    return 2 * z


def _unchanged(function, arguments):
    """Each argument array, as `function` left it, must hold what it held before the call."""
    __tracebackhide__ = True
    for name, after, before in arguments:
        check_array(f"{name} after calling {function} (it must not be modified)", after, before)


def check_receptors_worked(receptors):
    """The first sample of the worked example, layers 1 and 2, as section 2 computes them by hand."""
    __tracebackhide__ = True
    X, _ = make_dataset()
    params = parameters()
    EXPECTED.check("receptors(X[0], W1, b1) for the worked example",
                   receptors(X[0], params["W1"], params["b1"]))
    EXPECTED.check("receptors(np.array([0.0, 0.818, 0.0]), W2, b2) for the worked example",
                   receptors(np.array([0.0, 0.818, 0.0]), params["W2"], params["b2"]))


def check_receptors_general(receptors):
    """A 2 -> 2 layer with biases; the inputs must come back unchanged."""
    __tracebackhide__ = True
    x_prev = np.array([1.0, 2.0])
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([[0.5, -1.0]])
    EXPECTED.check("receptors(np.array([1.0, 2.0]), W, b) with W = [[1, 2], [3, 4]] and b = [[0.5, -1]]",
                   receptors(x_prev, W, b))
    _unchanged("receptors", [("x_prev", x_prev, [1.0, 2.0]), ("W", W, [[1.0, 2.0], [3.0, 4.0]]),
                             ("b", b, [[0.5, -1.0]])])


def check_layer_forward_worked(layer_forward):
    """Layer 1 of the worked example on its six samples, with the ReLU."""
    __tracebackhide__ = True
    X, _ = make_dataset()
    params = parameters()
    Z, A = check_tuple("layer_forward(X, W1, b1, relu)", layer_forward(X, params["W1"], params["b1"], _relu), 2)
    EXPECTED.check("Z of layer_forward(X, W1, b1, relu) for the worked example", Z)
    EXPECTED.check("X of layer_forward(X, W1, b1, relu) for the worked example", A)


def check_layer_forward_general(layer_forward):
    """Two samples through a 2 -> 3 layer with biases and the activation 2z; the inputs must come back unchanged."""
    __tracebackhide__ = True
    X_prev = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    b = np.array([[0.5, 0.0, -0.5]])
    name = "layer_forward(X_prev, W, b, lambda z: 2 * z) on a 2 -> 3 layer"
    Z, A = check_tuple(name, layer_forward(X_prev, W, b, _double), 2)
    EXPECTED.check(f"Z of {name}", Z)
    EXPECTED.check(f"X of {name}", A)
    _unchanged("layer_forward", [("X_prev", X_prev, [[1.0, 2.0], [0.0, -1.0]]),
                                 ("W", W, [[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]), ("b", b, [[0.5, 0.0, -0.5]])])


def _layers(Z1, X1, Z2, X2, Z3, X3):
    return [("Z1", Z1), ("X1", X1), ("Z2", Z2), ("X2", X2), ("Z3", Z3), ("X3", X3)]


def check_forward_dataset_shapes(Z1, X1, Z2, X2, Z3, X3):
    """One row per sample of the worked example, one column per neuron of the layer."""
    __tracebackhide__ = True
    n = len(make_dataset()[0])
    for name, value in _layers(Z1, X1, Z2, X2, Z3, X3):
        check_shape(name, value, (n, LAYERS_DIMS[int(name[1])]))


def check_forward_dataset_first_sample(Z1, X1, Z2, X2, Z3, X3):
    """Row 1 of every matrix: the first sample, (6.1, 8.7), as section 2 computes it by hand."""
    __tracebackhide__ = True
    for name, value in _layers(Z1, X1, Z2, X2, Z3, X3):
        check_type(name, value, np.ndarray)
        if value.ndim != 2 or len(value) == 0:
            raise CheckFailed(f"{name} should be a matrix with one row per sample, but it has shape {value.shape}.")
        EXPECTED.check(f"{name}[0] for the worked example", value[0])


def check_forward_dataset_all_samples(Z1, X1, Z2, X2, Z3, X3):
    """Every row of every matrix: the six samples of the worked example."""
    __tracebackhide__ = True
    for name, value in _layers(Z1, X1, Z2, X2, Z3, X3):
        EXPECTED.check(f"{name} for the worked example's six samples", value)



def _network(layers_dims, seed):
    """Weights and biases of a network of these sizes, drawn from a seeded generator: the same in every run."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = rng.normal(size=(layers_dims[l - 1], layers_dims[l]))
        params[f"b{l}"] = rng.normal(size=(1, layers_dims[l]))
    return params


def check_forward_loop_worked(forward_loop):
    """The worked example's six samples: the same outputs as X3 of Exercise 3."""
    __tracebackhide__ = True
    X, _ = make_dataset()
    EXPECTED.check("forward_loop(X, params) for the worked example's six samples", forward_loop(X, parameters()))


def check_forward_loop_general(forward_loop):
    """Four samples through a [3, 5, 4, 4, 2] network with biases (four layers of weights, some outputs negative);
    the inputs must come back unchanged."""
    __tracebackhide__ = True
    dims = [3, 5, 4, 4, 2]
    params = _network(dims, seed=4)
    X = np.random.default_rng(5).normal(size=(4, dims[0]))
    before = {"X": X.copy(), **{key: value.copy() for key, value in params.items()}}
    EXPECTED.check(f"forward_loop(X, params) for 4 samples through a {dims} network with biases",
                   forward_loop(X, params))
    _unchanged("forward_loop", [("X", X, before["X"])] + [(f"params['{key}']", value, before[key])
                                                          for key, value in params.items()])
