"""The checks of notebook 1: layers, shapes, parameter counts and where each weight sits."""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import item

EXPECTED = Expected("01_notation")
EXAMPLE = [2, 3, 2, 1]


def named_weights(layers_dims=EXAMPLE):
    """Parameters whose every weight tells its own place: w(l)_{i,j} is the number l.ij (w(2)_{3,1} = 2.31)."""
    params = {}
    for l in range(1, len(layers_dims)):
        rows, cols = layers_dims[l - 1], layers_dims[l]
        params[f"W{l}"] = np.array([[l + i / 10 + j / 100 for j in range(1, cols + 1)] for i in range(1, rows + 1)])
        params[f"b{l}"] = np.zeros((1, cols))
    return params


def check_output_layer(output_layer):
    __tracebackhide__ = True
    EXPECTED.check("output_layer([2, 3, 2, 1])", output_layer([2, 3, 2, 1]))


def check_shape_keys(parameter_shapes):
    __tracebackhide__ = True
    EXPECTED.keys("parameter_shapes([2, 3, 2, 1])", parameter_shapes([2, 3, 2, 1]))


def _check_shapes(parameter_shapes, keys):
    __tracebackhide__ = True
    shapes = parameter_shapes([2, 3, 2, 1])
    for key in keys:
        EXPECTED.check(f"parameter_shapes([2, 3, 2, 1])['{key}']", item("parameter_shapes([2, 3, 2, 1])", shapes, key))


def check_weight_shapes(parameter_shapes):
    __tracebackhide__ = True
    _check_shapes(parameter_shapes, ("W1", "W2", "W3"))


def check_bias_shapes(parameter_shapes):
    __tracebackhide__ = True
    _check_shapes(parameter_shapes, ("b1", "b2", "b3"))


def check_count_parameters(count_parameters):
    __tracebackhide__ = True
    EXPECTED.check("count_parameters([2, 3, 2, 1])", count_parameters([2, 3, 2, 1]))


def check_weight(weight):
    """On parameters whose weights tell their own place: w(2)_{3,1} is 2.31."""
    __tracebackhide__ = True
    for l, i, j in [(2, 3, 1), (1, 1, 3)]:
        EXPECTED.check(f"weight(params, {l}, {i}, {j}) (where w(l)_(i,j) = l.ij)", weight(named_weights(), l, i, j))


def check_weights_leaving(weights_leaving):
    __tracebackhide__ = True
    for l, i in [(1, 2), (0, 1)]:
        EXPECTED.check(f"weights_leaving(params, {l}, {i}) (where w(l)_(i,j) = l.ij)",
                       weights_leaving(named_weights(), l, i))


def check_weights_arriving(weights_arriving):
    __tracebackhide__ = True
    for l, j in [(2, 2), (3, 1)]:
        EXPECTED.check(f"weights_arriving(params, {l}, {j}) (where w(l)_(i,j) = l.ij)",
                       weights_arriving(named_weights(), l, j))
