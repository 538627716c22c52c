"""The checks of notebook 5: sigmoid, binary cross-entropy, softmax, one-hot labels, cross-entropy, their gradient.

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
A_BCE, Y_BCE = [[0.9], [0.2], [0.6]], [[1.0], [0.0], [1.0]]
A_TWO, Y_TWO = [[0.9, 0.3], [0.2, 0.6]], [[1.0, 0.0], [0.0, 1.0]]
A_SURE, Y_SURE = [[0.0], [1.0]], [[1.0], [0.0]]
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


def check_bce(binary_cross_entropy):
    __tracebackhide__ = True
    EXPECTED.check(f"binary_cross_entropy(a, Y) for a = {A_BCE}, Y = {Y_BCE}",
                   binary_cross_entropy(np.array(A_BCE), np.array(Y_BCE)))
    EXPECTED.check(f"binary_cross_entropy(a, Y) for two outputs, a = {A_TWO}, Y = {Y_TWO} (sum over the columns, "
                   "average over the rows)", binary_cross_entropy(np.array(A_TWO), np.array(Y_TWO)))


def check_bce_clipped(binary_cross_entropy, binary_cross_entropy_derivative):
    __tracebackhide__ = True
    a, Y = np.array(A_SURE), np.array(Y_SURE)
    advice = "Clip a to [1e-12, 1 - 1e-12] first."
    cost = check_quiet(f"binary_cross_entropy(a, Y) warned for a = {A_SURE}, Y = {Y_SURE}",
                       lambda: binary_cross_entropy(a, Y), advice)
    slope = check_quiet(f"binary_cross_entropy_derivative(a, Y) warned for a = {A_SURE}, Y = {Y_SURE}",
                        lambda: binary_cross_entropy_derivative(a, Y), advice)
    sure = f"for a = {A_SURE}, Y = {Y_SURE} (certain and wrong)"
    EXPECTED.check(f"binary_cross_entropy(a, Y) {sure}", cost, rtol=1e-4)
    EXPECTED.check(f"binary_cross_entropy_derivative(a, Y) {sure}", slope, rtol=1e-3)


def check_bce_derivative(binary_cross_entropy, binary_cross_entropy_derivative, bce_dict):
    __tracebackhide__ = True
    EXPECTED.check(f"binary_cross_entropy_derivative(a, Y) for a = {A_BCE}, Y = {Y_BCE}",
                   binary_cross_entropy_derivative(np.array(A_BCE), np.array(Y_BCE)))
    a, Y = np.array(A_TWO), np.array(Y_TWO)
    EXPECTED.check(f"binary_cross_entropy_derivative(a, Y) * a * (1 - a) for a = {A_TWO}, Y = {Y_TWO} (the "
                   "cancellation with the sigmoid's derivative: it should be (a - Y) / n)",
                   binary_cross_entropy_derivative(a, Y) * a * (1 - a), rtol=1e-7)
    check_functions("bce_dict", bce_dict, {"loss": binary_cross_entropy, "derivative": binary_cross_entropy_derivative})


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
