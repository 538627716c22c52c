"""The checks of notebook 8: activation objects, the Dense layer, the sequential model, three optimisers, a schedule.

Results are compared with the values the course's reference answers gave on the same inputs
(course/data/expected/08_layers.json), and with what every correct answer does to its inputs (leaves them
unchanged, keeps the input it was given). Each exercise is checked on its own: a Dense layer is built without
`__init__` and given a stand-in activation (tanh, or a cubic), never the student's; a sequential model is given
stand-in layers that multiply by known matrices and keep what they receive; an optimiser's `update` is called
with the step number `t` set by the check, not through the given `step`. The stand-ins use the metaclass
`InKernel`, so that they are built in the student's kernel when the grader's judge runs the check.
"""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import (
    CheckFailed,
    check_array,
    check_quiet,
    check_shape,
    check_type,
)
from course.probe.builders import InKernel

EXPECTED = Expected("08_layers")


def _not_written(what, exercise):
    """The one-line failure for an answer that still raises NotImplementedError (its method name is not unique)."""
    return CheckFailed(f"{what} is not written yet: finish Exercise {exercise} (replace its "
                       "`raise NotImplementedError()` with your code), run that cell, then run this one again.")


# Stand-ins, built where the student's code runs

class Tanh(metaclass=InKernel):
    """A stand-in activation for the layer checks: tanh, and its derivative 1 - tanh(z)^2 (notebook 6)."""

    def __call__(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1 - np.tanh(z) ** 2


class Cubic(metaclass=InKernel):
    """A second stand-in activation: z + z^3 / 3, whose derivative 1 + z^2 is never 0 or 1."""

    def __call__(self, z):
        return z + z ** 3 / 3

    def derivative(self, z):
        return 1 + z ** 2


class Linear(metaclass=InKernel):
    """A stand-in layer: forward A -> A M + c, backward dA -> dA M^T; it keeps every input and gradient it gets."""

    def __init__(self, M, c):
        self.M, self.c = np.array(M, dtype=float), np.array(c, dtype=float)
        self.inputs, self.gradients = [], []

    def forward(self, A):
        A = np.array(A, dtype=float)
        self.inputs.append(A)
        if A.ndim != 2 or A.shape[1] != self.M.shape[0]:  # another layer's input: the check says so, not matmul
            return np.zeros((A.shape[0] if A.ndim else 1, self.M.shape[1]))
        return A @ self.M + self.c

    def backward(self, dA):
        dA = np.array(dA, dtype=float)
        self.gradients.append(dA)
        if dA.ndim != 2 or dA.shape[1] != self.M.shape[1]:  # another layer's gradient: the check says so
            return np.zeros((dA.shape[0] if dA.ndim else 1, self.M.shape[0]))
        return dA @ self.M.T


class Params(metaclass=InKernel):
    """A stand-in layer for an optimiser: W, b and the gradients dW, db, set by the test."""

    def __init__(self, W, b, dW, db):
        self.W, self.b = np.array(W, dtype=float), np.array(b, dtype=float)
        self.dW, self.db = np.array(dW, dtype=float), np.array(db, dtype=float)


# Exercise 1: ReLU, Sigmoid and Identity

Z = [[-2.0, 0.0, 3.5], [1.0, -0.5, 0.25]]
SHOWN_Z = "z = [[-2, 0, 3.5], [1, -0.5, 0.25]]"
LARGE = [-1000.0, -30.0, 0.0, 30.0, 1000.0]


def _activations(ReLU, Sigmoid, Identity):
    __tracebackhide__ = True
    try:
        return {"ReLU": ReLU(), "Sigmoid": Sigmoid(), "Identity": Identity()}
    except NotImplementedError:
        raise _not_written("an activation object", 1) from None


def _call(what, function, *args):
    """function(*args); an unanswered method's NotImplementedError becomes one line naming Exercise 1."""
    __tracebackhide__ = True
    try:
        return function(*args)
    except NotImplementedError:
        raise _not_written(what, 1) from None


def check_activations(ReLU, Sigmoid, Identity):
    """The three activations on a 2 x 3 array, the sigmoid without overflow at +-1000, z unchanged."""
    __tracebackhide__ = True
    for name, activation in _activations(ReLU, Sigmoid, Identity).items():
        z = np.array(Z)
        EXPECTED.check(f"{name}()(z) for {SHOWN_Z}", _call(f"{name}.__call__", activation, z))
        check_array(f"z after {name}()(z) (it must not change)", z, Z)
    sigmoid = Sigmoid()
    z = np.array(LARGE)
    s = check_quiet("Sigmoid()(z) warned at z = -1000, -30, 0, 30, 1000",
                    lambda: _call("Sigmoid.__call__", sigmoid, z), "Only compute np.exp(-np.abs(z)).")
    EXPECTED.check("Sigmoid()(z) for z = [-1000, -30, 0, 30, 1000]", s)


def check_activation_derivatives(ReLU, Sigmoid, Identity):
    """Each derivative on the same array (0 for the ReLU at z = 0), shaped like z, and the sigmoid's at +-1000."""
    __tracebackhide__ = True
    for name, activation in _activations(ReLU, Sigmoid, Identity).items():
        z = np.array(Z)
        slope = _call(f"{name}.derivative", activation.derivative, z)
        check_shape(f"{name}().derivative(z) for {SHOWN_Z} (shaped like z)", slope, (2, 3))
        EXPECTED.check(f"{name}().derivative(z) for {SHOWN_Z}", slope)
        check_array(f"z after {name}().derivative(z) (it must not change)", z, Z)
    sigmoid = Sigmoid()
    z = np.array(LARGE)
    ds = check_quiet("Sigmoid().derivative(z) warned at z = -1000, -30, 0, 30, 1000",
                     lambda: _call("Sigmoid.derivative", sigmoid.derivative, z),
                     "Compute it from the sigmoid itself: s * (1 - s).")
    EXPECTED.check("Sigmoid().derivative(z) for z = [-1000, -30, 0, 30, 1000]", ds)


# Exercises 2 and 3: the Dense layer

W = [[0.5, -0.3, 0.8], [-0.6, 0.2, 0.4]]
B = [[0.1, -0.2, 0.3]]
X = [[0.5, -1.0], [1.5, 0.2], [-0.7, -0.3], [0.0, 2.0]]
SHOWN = "a layer with W = [[0.5, -0.3, 0.8], [-0.6, 0.2, 0.4]], b = [[0.1, -0.2, 0.3]] and a tanh activation"


def layer(Dense, W, b, activation):
    """A Dense layer with these parameters and activation, built without calling any method of the student's."""
    made = Dense.__new__(Dense)
    made.W, made.b = np.array(W, dtype=float), np.array(b, dtype=float)
    made.activation = activation
    made.dW, made.db = np.zeros_like(made.W), np.zeros_like(made.b)
    return made


def check_dense_forward(Dense):
    """The output of a 2 -> 3 tanh layer for 4 samples, and of a 3 -> 2 cubic layer for one; inputs unchanged."""
    __tracebackhide__ = True
    dense = layer(Dense, W, B, Tanh())
    A_prev = np.array(X)
    EXPECTED.check(f"layer.forward(A_prev) for {SHOWN} and A_prev = {X}", dense.forward(A_prev))
    check_array("A_prev after layer.forward(A_prev) (it must not change)", A_prev, X)
    check_array("layer.W after layer.forward(A_prev) (the forward pass changes no parameter)", dense.W, W)
    dense = layer(Dense, [[1.0, -1.0], [0.5, 0.0], [-0.5, 2.0]], [[0.25, -0.5]], Cubic())
    EXPECTED.check("layer.forward(A_prev) for a 3 -> 2 layer with the activation z + z^3 / 3, A_prev = [[1, 2, -1]] "
                   "(use the layer's own activation)", dense.forward(np.array([[1.0, 2.0, -1.0]])))


def check_dense_forward_keeps(Dense):
    """After forward: layer.A_prev is the input, layer.Z the receptors before the activation."""
    __tracebackhide__ = True
    dense = layer(Dense, W, B, Tanh())
    A_prev = np.array(X)
    dense.forward(A_prev)
    check_array("layer.A_prev after layer.forward(A_prev) (keep the input for the backward pass)",
                getattr_or_fail(dense, "A_prev", "forward should store its input in self.A_prev"), X)
    Z_kept = getattr_or_fail(dense, "Z", "forward should store the receptors in self.Z")
    EXPECTED.check(f"layer.Z after layer.forward(A_prev) for {SHOWN} (the receptors, before the activation)", Z_kept)
    dense.forward(A_prev[:1] * 2)
    check_array("layer.A_prev after a second call layer.forward(2 * A_prev[:1]) (keep the latest input)",
                dense.A_prev, [[1.0, -2.0]])


def getattr_or_fail(obj, name, advice):
    __tracebackhide__ = True
    try:
        return getattr(obj, name)
    except AttributeError:
        raise CheckFailed(f"the layer has no attribute {name!r}: {advice}.") from None


DA = [[1.0, -0.5, 0.25], [0.0, 2.0, -1.0], [0.5, 0.5, 0.5], [-1.5, 1.0, 0.0]]


def _kept_values(Dense, W, b, activation, A_prev):
    """What forward keeps, from the course's answer (run only while the answers are recorded)."""
    made = layer(Dense, W, b, activation)
    Dense.forward(made, np.array(A_prev))
    return {"A_prev": np.array(made.A_prev), "Z": np.array(made.Z)}


def _backward(Dense, W, b, activation, kept, dA, shown):
    """layer.backward(dA) on a layer that holds A_prev and Z from a recorded forward pass; inputs unchanged."""
    __tracebackhide__ = True
    dense = layer(Dense, W, b, activation)
    dense.A_prev, dense.Z = kept["A_prev"].copy(), kept["Z"].copy()
    dA = np.array(dA)
    dA_copy = dA.copy()
    dA_prev = dense.backward(dA)
    n_out = np.shape(W)[1]
    check_shape(f"layer.backward(dA) (dJ/dA_prev) for {shown}", dA_prev, kept["A_prev"].shape)
    EXPECTED.check(f"layer.backward(dA) (dJ/dA_prev) for {shown}", dA_prev)
    check_shape(f"layer.dW after layer.backward(dA) for {shown}", dense.dW, np.shape(W))
    EXPECTED.check(f"layer.dW after layer.backward(dA) for {shown}", dense.dW)
    check_shape(f"layer.db after layer.backward(dA) for {shown} (keep it two-dimensional, like b)", dense.db,
                (1, n_out))
    EXPECTED.check(f"layer.db after layer.backward(dA) for {shown}", dense.db)
    check_array("dA after layer.backward(dA) (it must not change)", dA, dA_copy)
    check_array("layer.Z after layer.backward(dA) (it must not change)", dense.Z, kept["Z"])
    check_array("layer.W after layer.backward(dA) (the optimiser changes W, not the backward pass)", dense.W, W)


def check_dense_backward(Dense):
    """dJ/dA_prev, dW and db of the 2 -> 3 tanh layer for dA of 4 samples."""
    __tracebackhide__ = True
    kept = EXPECTED.value(f"what layer.forward(A_prev) keeps for {SHOWN} and A_prev = {X}",
                          lambda: _kept_values(Dense, W, B, Tanh(), X))
    _backward(Dense, W, B, Tanh(), kept, DA, f"{SHOWN}, 4 samples")


WIDE = [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]]
WIDE_B = [[0.05, -0.1]]
BATCH = [[1.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-1.0, 2.0, 0.0], [0.2, -0.4, 0.6], [1.5, -0.5, 0.0], [0.0, 0.0, 1.0]]
BATCH_DA = [[0.5, -1.0], [1.0, 1.0], [-0.5, 0.0], [0.0, 2.0], [0.25, -0.25], [1.0, 0.5]]


def check_dense_backward_batch(Dense):
    """A 3 -> 2 layer with the cubic activation and 6 samples: dW and db add up the samples, with no other factor."""
    __tracebackhide__ = True
    shown = "a 3 -> 2 layer with the activation z + z^3 / 3 and a batch of 6 samples (dA already holds the 1/n)"
    kept = EXPECTED.value(f"what layer.forward(A_prev) keeps for {shown}",
                          lambda: _kept_values(Dense, WIDE, WIDE_B, Cubic(), BATCH))
    _backward(Dense, WIDE, WIDE_B, Cubic(), kept, BATCH_DA, shown)


# Exercise 4: Sequential

MATRICES = ([[1.0, 2.0], [0.0, -1.0], [0.5, 0.5]], [[0.0, 1.0, -1.0], [2.0, 0.5, 0.0]], [[1.0], [-2.0], [0.5]])
SHIFTS = ([[0.5, -0.5]], [[0.0, 1.0, 0.0]], [[-1.0]])
MODEL = ("three stand-in layers 3 -> 2 -> 3 -> 1 (each forward computes A M + c, each backward dA M^T, "
         "with matrices that do not commute)")


def _stand_ins():
    return [Linear(M, c) for M, c in zip(MATRICES, SHIFTS, strict=True)]


def _model(Sequential, layers):
    __tracebackhide__ = True
    model = Sequential(layers)
    if len(model) != len(layers):
        raise CheckFailed(f"Sequential(layers) for {len(layers)} layers has {len(model)} items: it should be the list "
                          "of its layers (keep Sequential's own list: do not override __init__).")
    return model


def _check_calls(layers, attribute, what):
    __tracebackhide__ = True
    for k, stand_in in enumerate(layers, start=1):
        calls = len(getattr(stand_in, attribute))
        if calls != 1:
            raise CheckFailed(f"model.{what} should call {what} of layer {k} once, but it called it {calls} times.")


def _sequential_call(model, method, value):
    __tracebackhide__ = True
    try:
        return getattr(model, method)(value)
    except NotImplementedError:
        raise _not_written(f"Sequential.{method}", 4) from None


def check_sequential_forward(Sequential):
    """The output of three stand-in layers, and what each received: the previous layer's output."""
    __tracebackhide__ = True
    layers = _stand_ins()
    model = _model(Sequential, layers)
    X = np.array([[1.0, 2.0, -1.0], [0.0, 0.5, 2.0]])
    out = _sequential_call(model, "forward", X)
    _check_calls(layers, "inputs", "forward")
    check_array("the input that layer 1 received from model.forward(X) (X itself)", layers[0].inputs[0], X)
    for k in (2, 3):
        EXPECTED.check(f"the input that layer {k} received from model.forward(X) for {MODEL} (the output of layer "
                       f"{k - 1})", layers[k - 1].inputs[0])
    EXPECTED.check(f"model.forward(X) for {MODEL}, X = [[1, 2, -1], [0, 0.5, 2]]", out)


def check_sequential_backward(Sequential):
    """dJ/dX through three stand-in layers, last layer first, each given the gradient of the layer after it."""
    __tracebackhide__ = True
    layers = _stand_ins()
    model = _model(Sequential, layers)
    dA = np.array([[1.0], [-2.0]])
    dX = _sequential_call(model, "backward", dA)
    _check_calls(layers, "gradients", "backward")
    check_array("the gradient that layer 3, the last, received from model.backward(dA) (dA itself: go through the "
                "layers last first)", layers[2].gradients[0], dA)
    for k in (2, 1):
        EXPECTED.check(f"the gradient that layer {k} received from model.backward(dA) for {MODEL} (what layer "
                       f"{k + 1}'s backward returned)", layers[k - 1].gradients[0])
    EXPECTED.check(f"model.backward(dA) for {MODEL}, dA = [[1], [-2]] (dJ/dX of the model's input)", dX)


# Exercises 5 to 7: the optimisers

PARAM = [[1.0, -2.0, 0.5]]
GRADIENTS = [[[0.5, -1.0, 1e-6]], [[0.25, 2.0, 1e-6]], [[-0.75, 0.5, 1e-6]], [[0.5, 0.5, 1e-6]]]
SHOWN_GRADIENTS = ("param = [[1, -2, 0.5]] and the gradients [[0.5, -1, 1e-6]], [[0.25, 2, 1e-6]], "
                   "[[-0.75, 0.5, 1e-6]], [[0.5, 0.5, 1e-6]] of steps 1, 2, 3, 4")


def _optimiser(cls, what, exercise, **settings):
    __tracebackhide__ = True
    try:
        return cls(**settings)
    except NotImplementedError:
        raise _not_written(what, exercise) from None


def run_updates(optimiser, key, param, gradients, what, exercise):
    """[param after step 1, after step 2, ...]: update called with t = 1, 2, ... set here; inputs unchanged."""
    __tracebackhide__ = True
    after = []
    param = np.array(param, dtype=float)
    for t, g in enumerate(gradients, start=1):
        optimiser.t = t
        grad = np.array(g, dtype=float)
        kept_param, kept_grad = param.copy(), grad.copy()
        try:
            new = optimiser.update(key, param, grad)
        except NotImplementedError:
            raise _not_written(what, exercise) from None
        check_array(f"param after {what}.update at step {t} (return a new array: the caller stores it)", param,
                    kept_param)
        check_array(f"grad after {what}.update at step {t} (it must not change)", grad, kept_grad)
        check_type(f"{what}.update(key, param, grad) at step {t}", new, np.ndarray)
        check_shape(f"{what}.update(key, param, grad) at step {t}", new, param.shape)
        after.append(new)
        param = new
    return after


def _check_steps(name, after, shown, rtol=1e-9):
    __tracebackhide__ = True
    for t, value in enumerate(after, start=1):
        EXPECTED.check(f"the parameter after step {t} of {name} for {shown}", value, rtol=rtol, atol=1e-12)


def check_momentum(Momentum):
    """Four steps of Momentum(learning_rate=0.1, beta=0.9), and one of beta = 0: plain gradient descent."""
    __tracebackhide__ = True
    opt = _optimiser(Momentum, "Momentum", 5, learning_rate=0.1, beta=0.9)
    _check_steps("Momentum(learning_rate=0.1, beta=0.9)", run_updates(opt, "W1", PARAM, GRADIENTS, "Momentum", 5),
                 SHOWN_GRADIENTS)
    plain = _optimiser(Momentum, "Momentum", 5, learning_rate=0.1, beta=0.0)
    (after,) = run_updates(plain, "W1", PARAM, GRADIENTS[:1], "Momentum", 5)
    EXPECTED.check("one step of Momentum(learning_rate=0.1, beta=0.0), plain gradient descent, for param = "
                   "[[1, -2, 0.5]] and the gradient [[0.5, -1, 1e-6]]", after, rtol=1e-9, atol=1e-12)


def check_rmsprop(RMSProp):
    """Four steps of RMSProp(learning_rate=0.01, rho=0.9); one gradient entry is tiny, so eps matters."""
    __tracebackhide__ = True
    opt = _optimiser(RMSProp, "RMSProp", 6, learning_rate=0.01, rho=0.9)
    _check_steps("RMSProp(learning_rate=0.01, rho=0.9) (eps = 1e-8 outside the square root)",
                 run_updates(opt, "W1", PARAM, GRADIENTS, "RMSProp", 6), SHOWN_GRADIENTS, rtol=1e-7)


def check_adam_first_step(Adam):
    """The first step of Adam(learning_rate=0.001): with bias correction, about the learning rate, for any scale."""
    __tracebackhide__ = True
    opt = _optimiser(Adam, "Adam", 7, learning_rate=0.001)
    (after,) = run_updates(opt, "W1", [[0.0, 0.0, 0.0, 0.0]], [[[1e-3, -1.0, 1e3, 1e-6]]], "Adam", 7)
    EXPECTED.check("the first step (t = 1) of Adam(learning_rate=0.001) from param = [[0, 0, 0, 0]] for the gradient "
                   "[[1e-3, -1, 1e3, 1e-6]] (bias correction: each entry moves by about the learning rate)", after,
                   rtol=1e-7, atol=1e-12)


def check_adam_steps(Adam):
    """Four steps of Adam(learning_rate=0.1): the corrections use the step number t, eps is outside the root."""
    __tracebackhide__ = True
    opt = _optimiser(Adam, "Adam", 7, learning_rate=0.1)
    _check_steps("Adam(learning_rate=0.1) (beta1 ** t and beta2 ** t with the step number t; eps outside the square "
                 "root)", run_updates(opt, "W1", PARAM, GRADIENTS, "Adam", 7), SHOWN_GRADIENTS, rtol=1e-7)


# Exercise 8: the cosine schedule

SCHEDULE_CASES = [(0, 10, 0.1, 0.0), (5, 10, 0.1, 0.0), (2, 10, 0.1, 0.0), (10, 10, 0.1, 0.0), (3, 10, 0.1, 0.01),
                  (25, 100, 0.05, 0.001)]


def check_cosine_schedule(cosine_schedule):
    """The learning rate at the start, a fifth, half way and the end, with and without lr_min."""
    __tracebackhide__ = True
    for epoch, total, lr_max, lr_min in SCHEDULE_CASES:
        call = f"cosine_schedule({epoch}, {total}, {lr_max}, {lr_min})"
        EXPECTED.check(call, cosine_schedule(epoch, total, lr_max, lr_min), rtol=1e-9, atol=1e-12)
    EXPECTED.check("cosine_schedule(4, 8, 0.2) (lr_min left at its default)", cosine_schedule(4, 8, 0.2),
                   rtol=1e-9, atol=1e-12)
