"""The checks of notebook 5: sigmoid, binary cross-entropy from the receptors, softmax, one-hot labels, cross-entropy,
their gradient.

Results are compared with the values the course's reference answers gave on
the same inputs (course/data/expected/05_classification.json). The fresh
network's cost of Exercise 7 is compared with the value the reference answers
measured on the same network and the same training digits.
"""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import check_functions, check_quiet

EXPECTED = Expected("05_classification")

Z_SIGMOID = [[-2.0, 0.0, 3.0], [1.0, -0.5, 10.0]]
LARGE = [[-1000.0, 0.0, 1000.0]]
Z_BCE, Y_BCE = [[2.2], [-1.4], [0.4]], [[1.0], [0.0], [1.0]]
Z_TWO, Y_TWO = [[2.2, -0.8], [-1.4, 0.4]], [[1.0, 0.0], [0.0, 1.0]]
# Four confident mistakes (z = 40 and 1000 for y = 0, z = -40 and -1000 for y = 1), then two confident right answers
Z_EXTREME = [[40.0], [-40.0], [1000.0], [-1000.0], [40.0], [-40.0]]
Y_EXTREME = [[0.0], [1.0], [0.0], [1.0], [1.0], [0.0]]
Z_SOFTMAX = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
Z_HUGE = [[1e4, 0.0, 1e4 - 1.0]]
Z_SCALES = [[1e4, 0.0, 1e4 - 1.0], [-1.0, 2.0, 0.5]]  # each row needs its own maximum
P_CE = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.25, 0.25, 0.5]]
LABELS_CE = [0, 2, 1, 0]
ONE_HOT_CE = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
Z_GRADIENT, Y_GRADIENT = [[0.5, -1.0, 2.0], [1.0, 1.0, 0.0]], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]


def check_sigmoid(sigmoid):
    __tracebackhide__ = True
    EXPECTED.check(f"sigmoid(z) for z = {Z_SIGMOID}", sigmoid(np.array(Z_SIGMOID)))


def check_sigmoid_large(sigmoid, sigmoid_derivative):
    __tracebackhide__ = True
    z = np.array(LARGE)
    s = check_quiet("sigmoid(z) warned at z = -1000, 0, 1000", lambda: sigmoid(z), "Only compute np.exp(-np.abs(z)).")
    ds = check_quiet("sigmoid_derivative(z) warned at z = -1000, 0, 1000", lambda: sigmoid_derivative(z),
                     "Only compute np.exp(-np.abs(z)).")
    EXPECTED.check(f"sigmoid(z) for z = {LARGE}", s, atol=1e-300)
    EXPECTED.check(f"sigmoid_derivative(z) for z = {LARGE}", ds, atol=1e-300)


def check_sigmoid_derivative(sigmoid, sigmoid_derivative, activation_sigmoid_dict):
    __tracebackhide__ = True
    EXPECTED.check(f"sigmoid_derivative(z) for z = {Z_SIGMOID}", sigmoid_derivative(np.array(Z_SIGMOID)))
    check_functions("activation_sigmoid_dict", activation_sigmoid_dict,
                    {"activation": sigmoid, "derivative": sigmoid_derivative})


def check_bce(bce_with_logits):
    __tracebackhide__ = True
    EXPECTED.check(f"bce_with_logits(z, Y) for z = {Z_BCE}, Y = {Y_BCE}",
                   bce_with_logits(np.array(Z_BCE), np.array(Y_BCE)))
    EXPECTED.check(f"bce_with_logits(z, Y) for two outputs, z = {Z_TWO}, Y = {Y_TWO} (sum over the columns, average "
                   "over the rows)", bce_with_logits(np.array(Z_TWO), np.array(Y_TWO)))


def check_bce_extreme(bce_with_logits, bce_with_logits_gradient):
    __tracebackhide__ = True
    z, Y = np.array(Z_EXTREME), np.array(Y_EXTREME)
    cost = check_quiet("bce_with_logits(z, Y) warned for z = 40, -40, 1000, -1000", lambda: bce_with_logits(z, Y),
                       "Only compute np.exp(-np.abs(z)), and take no logarithm of a probability.")
    dz = check_quiet("bce_with_logits_gradient(z, Y) warned for z = 40, -40, 1000, -1000",
                     lambda: bce_with_logits_gradient(z, Y),
                     "The gradient is (sigmoid(z) - Y) / n: compute sigmoid(z) from np.exp(-np.abs(z)), and divide by "
                     "nothing else.")
    EXPECTED.check(f"bce_with_logits(z, Y) for z = {Z_EXTREME}, Y = {Y_EXTREME} (four confident mistakes: each "
                   "costs |z|)", cost, rtol=1e-12)
    EXPECTED.check(f"bce_with_logits_gradient(z, Y) for z = {Z_EXTREME}, Y = {Y_EXTREME} (a confident mistake keeps "
                   "the whole gradient, 1/n or -1/n; do not multiply by sigmoid_derivative(z))", dz, rtol=1e-12,
                   atol=1e-15)


def check_bce_gradient(bce_with_logits, bce_with_logits_gradient, bce_dict):
    __tracebackhide__ = True
    EXPECTED.check(f"bce_with_logits_gradient(z, Y) for z = {Z_BCE}, Y = {Y_BCE}",
                   bce_with_logits_gradient(np.array(Z_BCE), np.array(Y_BCE)))
    EXPECTED.check(f"bce_with_logits_gradient(z, Y) for two outputs, z = {Z_TWO}, Y = {Y_TWO} (divide by the number "
                   "of rows)", bce_with_logits_gradient(np.array(Z_TWO), np.array(Y_TWO)))
    check_functions("bce_dict", bce_dict, {"loss": bce_with_logits, "derivative": bce_with_logits_gradient})


def check_softmax(softmax):
    __tracebackhide__ = True
    EXPECTED.check(f"softmax(Z) for Z = {Z_SOFTMAX}", softmax(np.array(Z_SOFTMAX)))


def check_softmax_stable(softmax):
    __tracebackhide__ = True
    Z = np.array(Z_HUGE)
    P = check_quiet("softmax(Z) warned for logits of 1e4", lambda: softmax(Z), "Subtract each row's maximum first.")
    EXPECTED.check("softmax(Z) for Z = [[1e4, 0, 1e4 - 1]]", P, atol=1e-12)
    Z = np.array(Z_SCALES)
    P = check_quiet("softmax(Z) warned for rows on different scales", lambda: softmax(Z),
                    "Subtract each row's own maximum, not the whole matrix's.")
    EXPECTED.check("softmax(Z) for Z = [[1e4, 0, 1e4 - 1], [-1, 2, 0.5]] (each row its own maximum)", P, atol=1e-12)


def check_one_hot(one_hot):
    __tracebackhide__ = True
    EXPECTED.check("one_hot(np.array([2, 0, 1, 2]), 3)", one_hot(np.array([2, 0, 1, 2]), 3))


def check_cross_entropy_labels(cross_entropy):
    __tracebackhide__ = True
    EXPECTED.check(f"cross_entropy(P, y) for P = {P_CE} and the integer labels y = {LABELS_CE}",
                   cross_entropy(np.array(P_CE), np.array(LABELS_CE)))


def check_cross_entropy_one_hot(cross_entropy):
    __tracebackhide__ = True
    EXPECTED.check(f"cross_entropy(P, Y) for P = {P_CE} and the one-hot labels Y = {ONE_HOT_CE}",
                   cross_entropy(np.array(P_CE), np.array(ONE_HOT_CE)))
    EXPECTED.check("cross_entropy(P, y) for P = [[1.0, 0.0]], y = [1] (the true class has probability 0)",
                   cross_entropy(np.array([[1.0, 0.0]]), np.array([1])), rtol=1e-6)


def check_softmax_ce_gradient(softmax_cross_entropy_gradient):
    __tracebackhide__ = True
    EXPECTED.check(f"softmax_cross_entropy_gradient(Z, Y) for Z = {Z_GRADIENT}, Y = {Y_GRADIENT}",
                   softmax_cross_entropy_gradient(np.array(Z_GRADIENT), np.array(Y_GRADIENT)))


def check_initial_loss(expected_initial_loss, initial_loss):
    __tracebackhide__ = True
    EXPECTED.check("expected_initial_loss(10)", expected_initial_loss(10))
    EXPECTED.check("initial_loss, the cost of the fresh NN([64, 32, 10], ..., seed=0) on X_digits and y_digits",
                   initial_loss)
