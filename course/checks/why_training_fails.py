"""The checks of notebook 6: tanh, leaky ReLU, Xavier and He initialisation, gradient norms per layer.

Results are compared with the values the course's reference answers gave on
the same inputs (course/data/expected/06_why_training_fails.json); the
statistics of large initialised layers are compared with the reference's
within a few percent, so that any correct way of drawing them passes. The
backward pass whose gradients `gradient_norms` measures is the NN class of
notebook 4 (course.reference.nn), never the student's code.
"""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import check_array, check_functions, check_quiet, check_scalar, check_shape, item
from course.reference.nn import NN, activation_output_dict, activation_relu_dict, loss_dict

EXPECTED = Expected("06_why_training_fails")
Z_TANH = [[-2.0, 0.0, 0.5], [3.0, -0.1, 1.0]]
Z_LEAKY = [[-2.0, 0.0, 3.0], [0.5, -100.0, 1.0]]
LARGE = [-1000.0, 1000.0]


def _as_array(result):
    """A list or tuple of numbers as an array; anything else as it is, for the checks to describe."""
    if isinstance(result, (list, tuple)):
        try:
            return np.asarray(result, dtype=float)
        except (TypeError, ValueError):
            return result
    return result


def check_tanh(tanh):
    __tracebackhide__ = True
    z = np.array(Z_TANH)
    EXPECTED.check(f"tanh(z) for z = {Z_TANH}", tanh(z))
    large = check_quiet("tanh(np.array([-1000.0, 1000.0]))", lambda: tanh(np.array(LARGE)),
                        "Use np.tanh, which never overflows.")
    EXPECTED.check("tanh(np.array([-1000.0, 1000.0]))", large)


def check_tanh_derivative(tanh, tanh_derivative, activation_tanh_dict):
    __tracebackhide__ = True
    z = np.array(Z_TANH)
    EXPECTED.check(f"tanh_derivative(z) for z = {Z_TANH}", tanh_derivative(z))
    large = check_quiet("tanh_derivative(np.array([-1000.0, 1000.0]))", lambda: tanh_derivative(np.array(LARGE)),
                        "Compute it from np.tanh(z), which never overflows.")
    EXPECTED.check("tanh_derivative(np.array([-1000.0, 1000.0]))", large)
    check_functions("activation_tanh_dict", activation_tanh_dict, {"activation": tanh, "derivative": tanh_derivative})


def check_leaky_relu(leaky_relu):
    __tracebackhide__ = True
    z = np.array(Z_LEAKY)
    result = leaky_relu(z)
    check_array("z after leaky_relu(z) (the function must not change its input)", z, Z_LEAKY)
    EXPECTED.check(f"leaky_relu(z) for z = {Z_LEAKY}", result)
    EXPECTED.check(f"leaky_relu(z, alpha=0.2) for z = {Z_LEAKY}", leaky_relu(np.array(Z_LEAKY), alpha=0.2))


def check_leaky_relu_derivative(leaky_relu, leaky_relu_derivative, activation_leaky_relu_dict):
    __tracebackhide__ = True
    z = np.array(Z_LEAKY)
    result = leaky_relu_derivative(z)
    check_array("z after leaky_relu_derivative(z) (the function must not change its input)", z, Z_LEAKY)
    EXPECTED.check(f"leaky_relu_derivative(z) for z = {Z_LEAKY}", result)
    EXPECTED.check(f"leaky_relu_derivative(z, alpha=0.2) for z = {Z_LEAKY}",
                   leaky_relu_derivative(np.array(Z_LEAKY), alpha=0.2))
    check_functions("activation_leaky_relu_dict", activation_leaky_relu_dict,
                    {"activation": leaky_relu, "derivative": leaky_relu_derivative})


def _check_draws(init, name):
    """init([3, 5, 2], np.random.default_rng(7)): its keys, then every matrix, against the reference's draws."""
    __tracebackhide__ = True
    call = f"{name}([3, 5, 2], np.random.default_rng(7))"
    params = init([3, 5, 2], np.random.default_rng(7))
    EXPECTED.keys(call, params)
    for key in ("W1", "b1", "W2", "b2"):
        EXPECTED.check(f"{call}['{key}']", item(call, params, key))


def _check_spread(init, name, layers_dims):
    """The two weight matrices of a large network: standard deviation within 3% of the reference's, mean 0."""
    __tracebackhide__ = True
    call = f"{name}({layers_dims}, np.random.default_rng(0))"
    params = init(layers_dims, np.random.default_rng(0))
    for l in (1, 2):
        W = item(call, params, f"W{l}")
        check_shape(f"{call}['W{l}']", W, (layers_dims[l - 1], layers_dims[l]))
        spread = EXPECTED.recorded(f"np.std({call}['W{l}'])", float(np.std(W)))
        check_scalar(f"np.std({call}['W{l}'])", float(np.std(W)), spread, rtol=0.03)
        check_scalar(f"np.mean({call}['W{l}'])", float(np.mean(W)), 0.0, rtol=0.0, atol=4 * spread / W.size ** 0.5)


def check_he_init(he_init):
    __tracebackhide__ = True
    _check_draws(he_init, "he_init")


def check_he_init_statistics(he_init):
    __tracebackhide__ = True
    _check_spread(he_init, "he_init", [400, 300, 200])


def check_xavier_init(xavier_init):
    __tracebackhide__ = True
    _check_draws(xavier_init, "xavier_init")


def check_xavier_init_statistics(xavier_init):
    __tracebackhide__ = True
    _check_spread(xavier_init, "xavier_init", [600, 200, 100])


def small_gradients():
    """A 2-layer gradient dictionary, filled from the last layer backwards as backward_pass does."""
    return {"dZ2": np.array([[1.0]]), "dW2": np.array([[1.0], [2.0], [2.0]]), "db2": np.array([[7.0]]),
            "dZ1": np.array([[1.0, 1.0, 1.0]]), "dW1": np.array([[3.0, 0.0, 0.0], [0.0, 4.0, 0.0]]),
            "db1": np.array([[5.0, 5.0, 5.0]])}


def network_gradients(dims=(3, 4, 4, 2)):
    """The gradients of one backward pass of a ReLU network of notebook 4 (N(0, 1) weights)."""
    net = NN(list(dims), activation_relu_dict, activation_output_dict, loss_dict, seed=4)
    rng = np.random.default_rng(4)
    net.params = {key: rng.normal(size=value.shape) for key, value in net.params.items()}
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    return net.backward_pass(X, Y, net.forward_pass(X, training=True))


def check_gradient_norms(gradient_norms):
    __tracebackhide__ = True
    grads = small_gradients()
    EXPECTED.check("gradient_norms(grads) for grads = {'dZ2': ..., 'dW2': [[1], [2], [2]], 'db2': ..., 'dZ1': ..., "
                   "'dW1': [[3, 0, 0], [0, 4, 0]], 'db1': ...}", _as_array(gradient_norms(grads)))


def check_gradient_norms_network(gradient_norms):
    __tracebackhide__ = True
    EXPECTED.check("gradient_norms(grads) for the backward pass of a [3, 4, 4, 2] ReLU network",
                   _as_array(gradient_norms(network_gradients())))
    EXPECTED.check("gradient_norms(grads) for the backward pass of a 12-layer ReLU network (is dW10 after dW9?)",
                   _as_array(gradient_norms(network_gradients((3,) + (2,) * 11 + (2,)))))
