"""The checks of notebook 3: one neuron's gradients, the paths of the example network, backprop, gradient checking,
the bugs of a backward pass.

Every result is compared with the value the course's reference answer gave on
the same inputs (course/data/expected/03_backprop.json). The receptors and
neurons the path exercises take as input are written out below, as notebook 2
printed them, so that no check runs a forward pass. The checks of Exercise 7
only look at the form of the answers (names, keys, shapes): the values would
give away which gradients are wrong.
"""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import (
    CheckFailed,
    _describe,
    check_array,
    check_keys,
    check_shape,
    check_tuple,
    check_type,
    item,
    verify_untouched,
)
from course.worked_example import make_dataset, parameters

EXPECTED = Expected("03_backprop")
GRADIENTS = ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
PARAMETERS = ["W1", "b1", "W2", "b2", "W3", "b3"]


def _sample(x0, z1, z2, z3):
    """One sample's receptors and neurons, as `forward_one` returns them (ReLU hidden layers, identity output)."""
    return {"x0": np.array(x0), "z1": np.array(z1), "x1": np.maximum(0.0, z1), "z2": np.array(z2),
            "x2": np.maximum(0.0, z2), "z3": np.array(z3), "x3": np.array(z3)}


# forward_one(X[0], params) and forward_one(X[2], params) for the worked example: x = (6.1, 8.7), y = 113,
# and x = (1.9, 9.3), y = 90, where neuron 1 of layer 1 fires.
FIRST_SAMPLE = _sample([6.1, 8.7], [-0.314, 0.818, -0.417], [-0.07362, 0.02454], [0.0017178])
THIRD_SAMPLE = _sample([1.9, 9.3], [0.034, 0.782, -0.723], [-0.06766, 0.02176], [0.0015232])


def _check_sigmoid_neuron(sigmoid_neuron_gradients, w, x, b, y):
    __tracebackhide__ = True
    call = f"sigmoid_neuron_gradients(w, x, b, y) for w = {w}, x = {x}, b = {b:g}, y = {y:g}"
    result = sigmoid_neuron_gradients(np.array(w, dtype=float), np.array(x, dtype=float), float(b), float(y))
    a, dloss_dw, dloss_db = check_tuple(call, result, 3)
    EXPECTED.check(f"a from {call}", a)
    EXPECTED.check(f"dloss_dw from {call}", dloss_dw)
    EXPECTED.check(f"dloss_db from {call}", dloss_db)


def check_sigmoid_neuron_published(sigmoid_neuron_gradients):
    """The neuron of section 1.1: w = (2, -3), x = (-1, -2), b = -3, y = 1."""
    __tracebackhide__ = True
    _check_sigmoid_neuron(sigmoid_neuron_gradients, [2, -3], [-1, -2], -3, 1)


def check_sigmoid_neuron_general(sigmoid_neuron_gradients):
    __tracebackhide__ = True
    _check_sigmoid_neuron(sigmoid_neuron_gradients, [0.5], [2], 0, 0)


def check_relu_neuron_published(train_relu_neuron):
    """The neuron of section 1.2: w = (-3, -1, 2), b = 1, x = (1, -2, 3), y = 0, 200 steps of rate 0.001."""
    __tracebackhide__ = True
    call = "train_relu_neuron(w, b, x, y, 0.001, 200) for the published neuron"
    result = train_relu_neuron(np.array([-3.0, -1.0, 2.0]), 1.0, np.array([1.0, -2.0, 3.0]), 0.0, 0.001, 200)
    w, b, losses = check_tuple(call, result, 3)
    check_type(f"losses from {call}", losses, (list, tuple, np.ndarray))
    EXPECTED.check(f"len(losses) from {call}", len(losses))
    EXPECTED.check(f"losses[0] from {call}", losses[0])
    EXPECTED.check(f"losses[-1] from {call}", losses[-1], rtol=1e-8)
    EXPECTED.check(f"the final w from {call}", w, rtol=1e-8)
    EXPECTED.check(f"the final b from {call}", b, rtol=1e-8)


def check_relu_neuron_general(train_relu_neuron):
    """One step of rate 0.1 towards y = 3, from w = (0.5, 0.5), b = 0, x = (1, 1); then a neuron that stays off."""
    __tracebackhide__ = True
    call = "train_relu_neuron(w, 0.0, [1, 1], 3.0, 0.1, 1) for w = [0.5, 0.5]"
    w0 = np.array([0.5, 0.5])
    w, b, losses = check_tuple(call, train_relu_neuron(w0, 0.0, np.array([1.0, 1.0]), 3.0, 0.1, 1), 3)
    check_type(f"losses from {call}", losses, (list, tuple, np.ndarray))
    EXPECTED.check(f"len(losses) from {call}", len(losses))
    EXPECTED.check(f"losses[0] from {call}", losses[0])
    EXPECTED.check(f"the final w from {call}", w)
    EXPECTED.check(f"the final b from {call}", b)
    check_array(f"the w passed to {call} (it must not change)", w0, [0.5, 0.5], rtol=0, atol=0)
    call = "train_relu_neuron([1, -1], -5.0, [1, 1], 1.0, 0.05, 10) (the neuron is switched off: z = -5)"
    w, b, losses = check_tuple(call, train_relu_neuron(np.array([1.0, -1.0]), -5.0, np.array([1.0, 1.0]), 1.0, 0.05,
                                                       10), 3)
    EXPECTED.check(f"the final w from {call}", w)
    EXPECTED.check(f"the final b from {call}", b)


def check_output_weight_published(output_weight_gradient, dj_dw3_21):
    """The first sample of the worked example."""
    __tracebackhide__ = True
    v, y = FIRST_SAMPLE, 113.0
    EXPECTED.check("dj_dw3_21", dj_dw3_21)
    EXPECTED.check("output_weight_gradient(v['x2'], v['x3'][0], y, 2) for the first sample",
                   output_weight_gradient(v["x2"], v["x3"][0], y, 2))
    EXPECTED.check("output_weight_gradient(v['x2'], v['x3'][0], y, 1) for the first sample (neuron 1 of layer 2 is 0)",
                   output_weight_gradient(v["x2"], v["x3"][0], y, 1))


def check_output_weight_general(output_weight_gradient):
    __tracebackhide__ = True
    EXPECTED.check("output_weight_gradient([1, 2, 3], 5.0, 4.0, 3)",
                   output_weight_gradient(np.array([1.0, 2.0, 3.0]), 5.0, 4.0, 3))
    v, y = THIRD_SAMPLE, 90.0
    EXPECTED.check("output_weight_gradient(v['x2'], v['x3'][0], y, 2) for the third sample",
                   output_weight_gradient(v["x2"], v["x3"][0], y, 2))


def check_path_gradients_published(dJ_dw2, dJ_dw1):
    """The numbers of section 4, for the first sample."""
    __tracebackhide__ = True
    v, y = FIRST_SAMPLE, 113.0
    EXPECTED.check("dJ_dw2(v, params, y, 2, 2) for the first sample", dJ_dw2(v, parameters(), y, 2, 2))
    EXPECTED.check("dJ_dw1(v, params, y, 1, 2) for the first sample", dJ_dw1(v, parameters(), y, 1, 2))
    EXPECTED.check("dJ_dw1(v, params, y, 2, 2) for the first sample", dJ_dw1(v, parameters(), y, 2, 2))
    EXPECTED.check("dJ_dw1(v, params, y, 1, 1) for the first sample (x1 of layer 1 is switched off)",
                   dJ_dw1(v, parameters(), y, 1, 1))


def check_path_gradients_general(dJ_dw2, dJ_dw1):
    """The third sample, (1.9, 9.3): there neuron 1 of layer 1 fires."""
    __tracebackhide__ = True
    v, y = THIRD_SAMPLE, 90.0
    EXPECTED.check("dJ_dw2(v, params, y, 1, 2) for the third sample", dJ_dw2(v, parameters(), y, 1, 2))
    EXPECTED.check("dJ_dw1(v, params, y, 2, 1) for the third sample", dJ_dw1(v, parameters(), y, 2, 1))
    EXPECTED.check("dJ_dw1(v, params, y, 1, 2) for the third sample", dJ_dw1(v, parameters(), y, 1, 2))


def check_backprop_worked(backprop):
    """The example network on the six samples of the worked example."""
    __tracebackhide__ = True
    X, Y = make_dataset()
    grads = backprop(X, Y, parameters())
    call = "backprop(X, Y, params)"
    EXPECTED.keys(f"{call} for the worked example", grads)
    for name in reversed(GRADIENTS):
        EXPECTED.check(f"{call}['{name}'] for the worked example", item(call, grads, name))


def check_backprop_general(backprop):
    """A network with no hidden layer: J is then the cost of linear regression."""
    __tracebackhide__ = True
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    Y = np.array([[1.0], [0.0]])
    params = {"W1": np.array([[0.5], [-0.25]]), "b1": np.array([[0.1]])}
    grads = backprop(X, Y, params)
    call = "backprop(X, Y, params)"
    EXPECTED.keys(f"{call} for a network with no hidden layer", grads)
    EXPECTED.check(f"{call}['dW1'] for a network with no hidden layer", item(call, grads, "dW1"))
    EXPECTED.check(f"{call}['db1'] for a network with no hidden layer (a sum over samples, divided by n once)",
                   item(call, grads, "db1"))


def check_numerical_gradient(numerical_gradient):
    __tracebackhide__ = True
    theta = np.array([1.0, -2.0, 0.5])
    got = numerical_gradient(lambda t: float(np.sum(t ** 2)), theta)
    EXPECTED.check("numerical_gradient(f, theta) for f(t) = sum(t ** 2) and theta = [1, -2, 0.5]", got)
    check_array("theta after numerical_gradient(f, theta) (every entry must be put back exactly)", theta,
                [1.0, -2.0, 0.5], rtol=0, atol=0)


def check_relative_error(relative_error):
    __tracebackhide__ = True
    EXPECTED.check("relative_error([1.0], [1.0])", relative_error(np.array([1.0]), np.array([1.0])))
    EXPECTED.check("relative_error([1.0, 2.0], [1.0, 2.2])",
                   relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])))


def check_wrong_gradients(wrong_gradients):
    """A set of parameter names of the network of section 6.1; which names are right, only the graded tests say."""
    __tracebackhide__ = True
    verify_untouched()
    shown = "None" if wrong_gradients is None else _describe(wrong_gradients)
    if isinstance(wrong_gradients, (str, bytes, dict)) or not hasattr(type(wrong_gradients), "__iter__"):
        raise CheckFailed(f'wrong_gradients should be a set of parameter names, as in wrong_gradients = {{"W3"}}, '
                          f"but it is {shown}.")
    names = list(wrong_gradients)
    for name in names:
        if type(name) is not str or name not in PARAMETERS:
            raise CheckFailed(f"wrong_gradients holds {name!r}, which is not the name of a parameter: the names are "
                              f"{', '.join(PARAMETERS)}.")
    if len(set(names)) != len(names):
        raise CheckFailed(f"wrong_gradients names a parameter twice: {sorted(names)}.")


def _sigmoid_network(rng, dims):
    return {name: rng.normal(size=(dims[l - 1], dims[l]) if name[0] == "W" else (1, dims[l]))
            for l in range(1, len(dims)) for name in (f"W{l}", f"b{l}")}


def check_fixed_backprop(fixed_backprop):
    """One gradient of the right shape for each parameter of a [3, 4, 4, 2] network, and the inputs left unchanged.

    The values are not checked here (your checker does that, and the graded tests): W2 is square, so the shapes
    cannot tell a transposed dW2 either.
    """
    __tracebackhide__ = True
    rng = np.random.default_rng(5)
    params = _sigmoid_network(rng, [3, 4, 4, 2])
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    copies, X0, Y0 = {k: v.copy() for k, v in params.items()}, X.copy(), Y.copy()
    call = "fixed_backprop(X, Y, params) for a [3, 4, 4, 2] network and 5 samples"
    grads = fixed_backprop(X, Y, params)
    check_keys(call, grads, GRADIENTS)
    for name in GRADIENTS:
        check_shape(f"{call}['{name}']", item(call, grads, name), params[name[1:]].shape)
    for name, P in copies.items():
        check_array(f"params['{name}'] after {call} (it must not change)", params[name], P, rtol=0, atol=0)
    check_array(f"X after {call} (it must not change)", X, X0, rtol=0, atol=0)
    check_array(f"Y after {call} (it must not change)", Y, Y0, rtol=0, atol=0)
