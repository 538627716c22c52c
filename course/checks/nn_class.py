"""The checks of notebook 4: activations, cost, and the four methods of the NN class, each on its own.

A method's check builds its network without `__init__` (`NN.__new__(NN)`), with known weights and
activation and loss dictionaries of its own, so that a mistake in one exercise never fails another
exercise's check. The backward pass is given forward values recorded from the course's answers, and
`train` runs on a network whose forward and backward passes replay a recorded run of gradient descent:
at every call they check that the parameters are the ones that run had reached.
"""
import contextlib
import io

import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import (
    CheckFailed,
    check_array,
    check_equal,
    check_functions,
    check_scalar,
    check_shape,
    item,
)
from course.reference.gradcheck import numerical_gradient
from course.worked_example import make_dataset, parameters

EXPECTED = Expected("04_nn_class")

# What the checks hand their networks: inputs, not answers that anyone's work is compared with.
RELU = {"activation": lambda z: np.maximum(0, z), "derivative": lambda z: (z > 0).astype(float)}
IDENTITY = {"activation": lambda z: z, "derivative": lambda z: np.ones_like(z, dtype=float)}
TANH = {"activation": np.tanh, "derivative": lambda z: 1 - np.tanh(z) ** 2}
HALF_SQUARES = {"loss": lambda a, Y: float(np.sum((a - Y) ** 2) / (2 * Y.shape[0])),
                "derivative": lambda a, Y: (a - Y) / Y.shape[0]}
QUARTIC = {"loss": lambda a, Y: float(np.sum((a - Y) ** 4) / (4 * Y.shape[0])),
           "derivative": lambda a, Y: (a - Y) ** 3 / Y.shape[0]}

WORKED = "the worked example (X, Y = make_dataset(), weights parameters())"


def network(NN, params, hidden, output, loss=None):
    """An NN with these parameters and activations, built without calling any method of the student's."""
    net = NN.__new__(NN)
    net.L = len(params) // 2 + 1
    net.params, net.loss_function = params, loss
    net.a = [lambda x: x] + (list(hidden) if isinstance(hidden, list) else [hidden] * (net.L - 2)) + [output]
    return net


def copied(arrays):
    return {key: np.array(value, dtype=float) for key, value in arrays.items()}


# Exercise 1: ReLU

Z = [[-2.0, 0.0, 3.5], [1.0, -0.5, 0.25]]
SHOWN_Z = "z = [[-2, 0, 3.5], [1, -0.5, 0.25]]"


def check_relu(relu):
    __tracebackhide__ = True
    z = np.array(Z)
    EXPECTED.check(f"relu(z) for {SHOWN_Z}", relu(z))
    check_array("z after relu(z) (it must not change)", z, Z)


def check_relu_derivative(relu_derivative):
    __tracebackhide__ = True
    z = np.array(Z)
    EXPECTED.check(f"relu_derivative(z) for {SHOWN_Z}", relu_derivative(z))
    check_array("z after relu_derivative(z) (it must not change)", z, Z)


def check_relu_dict(activation_relu_dict, relu, relu_derivative):
    __tracebackhide__ = True
    check_functions("activation_relu_dict", activation_relu_dict, {"activation": relu, "derivative": relu_derivative})


# Exercise 2: the identity

def check_identity(identity, identity_derivative, activation_output_dict):
    __tracebackhide__ = True
    z = np.array([[-2.0, 0.0], [3.5, 1.0], [-0.5, 0.25]])
    EXPECTED.check("identity(z) for z = [[-2, 0], [3.5, 1], [-0.5, 0.25]]", identity(z))
    EXPECTED.check("identity_derivative(z) for z = [[-2, 0], [3.5, 1], [-0.5, 0.25]]", identity_derivative(z))
    check_functions("activation_output_dict", activation_output_dict,
                    {"activation": identity, "derivative": identity_derivative})


# Exercise 3: the cost

ONE_OUTPUT = ([[1.0], [2.0], [4.0]], [[1.0], [0.0], [1.0]], "a = [[1], [2], [4]] and Y = [[1], [0], [1]]")
TWO_OUTPUTS = ([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]], [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]],
               "3 samples and 2 outputs, a = [[1, 2], [0, -1], [3, 0.5]] and Y = [[0, 0], [1, 1], [1, 0]]")


def check_mse(MSE):
    __tracebackhide__ = True
    for a, Y, shown in (ONE_OUTPUT, TWO_OUTPUTS):
        EXPECTED.check(f"MSE(a, Y) for {shown}", MSE(np.array(a), np.array(Y)))


def check_mse_derivative(MSE_derivative):
    __tracebackhide__ = True
    for a, Y, shown in (ONE_OUTPUT, TWO_OUTPUTS):
        EXPECTED.check(f"MSE_derivative(a, Y) for {shown}", MSE_derivative(np.array(a), np.array(Y)))


def check_loss_dict(loss_dict, MSE, MSE_derivative):
    """The dictionary, then the derivative against finite differences of the student's own cost."""
    __tracebackhide__ = True
    check_functions("loss_dict", loss_dict, {"loss": MSE, "derivative": MSE_derivative})
    rng = np.random.default_rng(3)
    a, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    check_array("MSE_derivative(a, Y) for 4 samples and 3 outputs, against finite differences of your MSE",
                MSE_derivative(a, Y), numerical_gradient(lambda t: MSE(t, Y), a.copy()), rtol=1e-6, atol=1e-9)


# Exercise 4: initialize_parameters

def check_init_shapes(NN):
    __tracebackhide__ = True
    net = NN([2, 3, 2, 1], None, None, None, seed=0)  # the activations play no part in initialisation
    name = "net.params of NN([2, 3, 2, 1], None, None, None, seed=0)"
    EXPECTED.keys(name, net.params)
    shapes = EXPECTED.value(f"the shapes in {name}", lambda: {key: value.shape for key, value in net.params.items()})
    for key, shape in shapes.items():
        check_shape(f"net.params['{key}'] for layers [2, 3, 2, 1]", item(name, net.params, key), shape)
    for key in ("b1", "b2", "b3"):
        check_array(f"net.params['{key}'] (biases start at zero)", net.params[key], np.zeros(shapes[key]))


def check_init_reproducible(NN):
    __tracebackhide__ = True
    net = NN([2, 3, 2, 1], None, None, None, seed=42)
    for key in ("W1", "W2", "W3"):
        EXPECTED.check(f"net.params['{key}'] of NN([2, 3, 2, 1], None, None, None, seed=42)",
                       item("net.params", net.params, key), rtol=0, atol=0)


def check_init_scale(NN):
    """An independent check: 60,000 draws of N(0, 0.001^2) have a standard deviation within 3% of 0.001."""
    __tracebackhide__ = True
    W = item("net.params", NN([300, 200, 1], None, None, None, seed=1).params, "W1")
    check_scalar("the standard deviation of W1 of NN([300, 200, 1], ...) (60,000 weights)", float(W.std()), 0.001,
                 rtol=0.03)
    check_scalar("the mean of W1 of NN([300, 200, 1], ...) (60,000 weights)", float(W.mean()), 0.0, atol=2e-5)


# Exercise 5: forward_pass

def check_forward_worked(NN):
    __tracebackhide__ = True
    X, _ = make_dataset()
    net = network(NN, parameters(), RELU, IDENTITY)
    EXPECTED.check(f"forward_pass(X) for {WORKED}", net.forward_pass(X))
    coef = net.forward_pass(X, training=True)
    name = f"forward_pass(X, training=True) for {WORKED}"
    EXPECTED.keys(name, coef)
    for key in ("x0", "z1", "x1", "z2", "x2", "z3", "x3"):
        EXPECTED.check(f"forward_pass(X, training=True)['{key}'] for {WORKED}", item(name, coef, key))
    check_array("X after forward_pass(X) (it must not change)", X, make_dataset()[0])


def deep_params():
    """Weights and biases of a [2, 3, 3, 2] network, none of them zero."""
    return {"W1": np.array([[0.5, -0.3, 0.8], [-0.6, 0.2, 0.4]]), "b1": np.array([[0.1, -0.2, 0.3]]),
            "W2": np.array([[0.7, -0.4, 0.2], [0.3, 0.9, -0.5], [-0.8, 0.1, 0.6]]), "b2": np.array([[-0.1, 0.2, 0.05]]),
            "W3": np.array([[0.4, -0.7], [-0.2, 0.5], [0.9, 0.3]]), "b3": np.array([[0.2, -0.1]])}


def check_forward_general(NN):
    __tracebackhide__ = True
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5, 0.0]]),
              "W2": np.array([[2.0], [1.0]]), "b2": np.array([[-1.0]])}
    net = network(NN, params, TANH, IDENTITY)
    EXPECTED.check("forward_pass(X) for layers [1, 2, 1] with tanh hidden units (not ReLU) and biases, X = [[0.5]]",
                   net.forward_pass(np.array([[0.5]])))
    net = network(NN, deep_params(), RELU, TANH)
    X = np.array([[0.5, -1.0], [1.5, 0.2], [-0.7, -0.3], [0.0, 2.0]])
    shown = "layers [2, 3, 3, 2] with a tanh output layer"
    EXPECTED.check(f"forward_pass(X) for {shown}", net.forward_pass(X))
    coef = net.forward_pass(X, training=True)
    EXPECTED.keys(f"forward_pass(X, training=True) for {shown}", coef)
    for key in ("z3", "x3"):
        EXPECTED.check(f"forward_pass(X, training=True)['{key}'] for {shown}",
                       item(f"forward_pass(X, training=True) for {shown}", coef, key))


# Exercise 6: backward_pass

def check_gradients(NN, net, X, Y, shown):
    """backward_pass(X, Y, coef) on the forward values the course's answer gives, against its recorded gradients."""
    __tracebackhide__ = True
    coef = EXPECTED.value(f"forward_pass(X, training=True) for {shown}, the input of backward_pass",
                          lambda: NN.forward_pass(net, X, training=True))
    kept = copied(coef)
    grads = net.backward_pass(X, Y, coef)
    name = f"backward_pass(X, Y, coef) for {shown}"
    EXPECTED.keys(name, grads)
    for l in range(net.L - 1, 0, -1):
        for d in ("dZ", "dW", "db"):
            EXPECTED.check(f"backward_pass(X, Y, coef)['{d}{l}'] for {shown}", item(name, grads, f"{d}{l}"))
    for key, value in kept.items():
        check_array(f"coef['{key}'] after backward_pass(X, Y, coef) (it must not change)", coef[key], value)


def check_backward_worked(NN):
    __tracebackhide__ = True
    X, Y = make_dataset()
    check_gradients(NN, network(NN, parameters(), RELU, IDENTITY, HALF_SQUARES), X, Y, WORKED)


def check_backward_general(NN):
    __tracebackhide__ = True
    params = {"W1": np.array([[0.5, -1.0]]), "b1": np.array([[0.1, 0.2]]),
              "W2": np.array([[1.0], [-2.0]]), "b2": np.array([[0.3]])}
    X, Y = np.array([[1.0], [-0.5]]), np.array([[0.0], [1.0]])
    check_gradients(NN, network(NN, params, TANH, IDENTITY, QUARTIC), X, Y,
                    "layers [1, 2, 1] with tanh hidden units and a quartic loss")
    X = np.array([[0.5, -1.0], [1.5, 0.2], [-0.7, -0.3], [0.0, 2.0], [1.0, 1.0]])
    Y = np.array([[0.5, -0.5], [1.0, 0.0], [-1.0, 0.2], [0.3, 0.3], [0.0, -1.0]])
    check_gradients(NN, network(NN, deep_params(), RELU, TANH, HALF_SQUARES), X, Y,
                    "layers [2, 3, 3, 2] with a tanh output layer")


# Exercise 7: train

def recorded_run(NN, n_it, learning_rate):
    """What the course's answers do in n_it steps of train on the worked example: the parameters and the forward
    values at the start of each step (and after the last), and the gradients of each step. Runs only while the
    course's answers are recorded."""
    X, Y = make_dataset()
    net = network(NN, parameters(), RELU, IDENTITY, HALF_SQUARES)
    run = {"params": [], "coef": [], "grads": []}
    for step in range(n_it + 1):
        run["params"].append(copied(net.params))
        run["coef"].append(NN.forward_pass(net, X, training=True))
        if step < n_it:
            run["grads"].append(NN.backward_pass(net, X, Y, run["coef"][-1]))
            NN.train(net, X, Y, 1, learning_rate=learning_rate, verbose=False)
    return run


class Replay:
    """The forward and backward passes of a network whose `train` is checked: they give back the values of a
    recorded run, after checking that the parameters are those the run had at that point."""

    def __init__(self, net, run, X, Y, call):
        self.net, self.run, self.X, self.Y, self.call = net, run, X, Y, call
        self.iteration = -1  # the iteration train is in: its calls of forward_pass(X, training=True), less one
        net.forward_pass, net.backward_pass = self.forward_pass, self.backward_pass

    def expect_params(self, step, when):
        __tracebackhide__ = True
        for key, value in self.run["params"][step].items():
            check_array(f"net.params['{key}'] {when}", item("net.params", self.net.params, key), value,
                        rtol=1e-9, atol=1e-12)

    def matches(self, step):
        expected = self.run["params"][step]
        try:
            return sorted(self.net.params) == sorted(expected) and all(
                np.shape(self.net.params[key]) == value.shape
                and np.allclose(self.net.params[key], value, rtol=1e-9, atol=1e-12) for key, value in expected.items())
        except (TypeError, ValueError):
            return False

    def forward_pass(self, X, training=False):
        __tracebackhide__ = True
        check_array(f"the X that {self.call} passes to forward_pass", X, self.X)
        if training:
            self.iteration += 1
            step = self.iteration
            if step >= len(self.run["grads"]):
                raise CheckFailed(f"{self.call} should run {len(self.run['grads'])} iteration(s), but it calls "
                                  f"forward_pass(X, training=True) {step + 1} times.")
            self.expect_params(step, f"at the start of iteration {step} of {self.call}")
            return copied(self.run["coef"][step])
        step = next((s for s in range(len(self.run["params"])) if self.matches(s)), None)
        if step is None:
            step = max(self.iteration, 0)
            self.expect_params(step, f"when {self.call} calls forward_pass(X)")
        return copied(self.run["coef"][step])[f"x{self.net.L - 1}"]

    def backward_pass(self, X, Y, coef):
        __tracebackhide__ = True
        step = self.iteration
        if step < 0:
            raise CheckFailed(f"{self.call} calls backward_pass before forward_pass(X, training=True).")
        check_array(f"the X that {self.call} passes to backward_pass", X, self.X)
        check_array(f"the Y that {self.call} passes to backward_pass", Y, self.Y)
        name = f"the coef that iteration {step} of {self.call} passes to backward_pass"
        for key, value in self.run["coef"][step].items():
            check_array(f"coef['{key}'] that iteration {step} of {self.call} passes to backward_pass",
                        item(name, coef, key), value)
        self.expect_params(step, f"when iteration {step} of {self.call} calls backward_pass (compute every "
                                 "gradient before changing any parameter)")
        return copied(self.run["grads"][step])

    def finished(self):
        """After train: as many iterations as the run, and the parameters the run ended with."""
        __tracebackhide__ = True
        n_it = len(self.run["grads"])
        if self.iteration + 1 != n_it:
            raise CheckFailed(f"{self.call} should run {n_it} iteration(s), but it called "
                              f"forward_pass(X, training=True) {self.iteration + 1} time(s).")
        self.expect_params(n_it, f"after {self.call}")


def replayed(NN, n_it, learning_rate, call):
    """A worked-example network whose forward and backward passes replay the recorded run of `call`."""
    X, Y = make_dataset()
    run = EXPECTED.value(f"the run of {call} on {WORKED}", lambda: recorded_run(NN, n_it, learning_rate))
    net = network(NN, parameters(), RELU, IDENTITY, HALF_SQUARES)
    return net, Replay(net, run, X, Y, call), X, Y


def check_train_steps(NN):
    __tracebackhide__ = True
    call = "train(X, Y, 3, learning_rate=1e-4, verbose=False)"
    net, replay, X, Y = replayed(NN, 3, 1e-4, call)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        net.train(X, Y, 3, learning_rate=1e-4, verbose=False)
    replay.finished()
    check_equal(f"what {call} prints", out.getvalue(), "")


def check_train_printing(NN):
    __tracebackhide__ = True
    call = "train(X, Y, 1)"
    net, replay, X, Y = replayed(NN, 1, 0.01, call)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        net.train(X, Y, 1)
    EXPECTED.check(f"what {call} prints for {WORKED}", out.getvalue())
    replay.finished()
