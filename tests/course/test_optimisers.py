"""The optimisers and the schedule of notebook 8 against the published update rules, worked out here on their own.

Momentum is torch.optim.SGD's form (v = beta v + g, param - eta v), RMSProp keeps eps outside the square root, and
Adam is Algorithm 1 of Kingma and Ba (2015): the bias correction divides by 1 - beta^t with the step number t, and
eps is added to the square root of v_hat. The cosine schedule is SGDR's annealing without restarts. Each rule is
checked against closed forms for a constant gradient, and against a plain-Python loop over the paper's equations,
one number at a time, for changing gradients of very different sizes; then the visible checks of the notebook are
shown to catch the mistakes the lesson warns about.
"""
import math

import numpy as np
import pytest

from course.checks import CheckFailed
from course.checks import layers as checks
from course.reference.layers import Adam, Momentum, Optimiser, RMSProp, cosine_schedule


class Layer:
    """A layer as an optimiser sees it: W, b and their gradients."""

    def __init__(self, W, b):
        self.W, self.b = np.array(W, dtype=float), np.array(b, dtype=float)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)


def run(optimiser, param, gradients):
    """param after each step, the step number set as `Optimiser.step` sets it."""
    after = []
    for t, g in enumerate(gradients, start=1):
        optimiser.t = t
        param = optimiser.update("w", param, np.array(g, dtype=float))
        after.append(param)
    return after


# Constant gradients: closed forms.

def test_momentum_with_a_constant_gradient_is_a_geometric_sum():
    eta, beta, g = 0.1, 0.9, 2.0
    after = run(Momentum(learning_rate=eta, beta=beta), np.array([1.0]), [[g]] * 12)
    for t, param in enumerate(after, start=1):
        # v_t = g (1 - beta^t) / (1 - beta); param_t = 1 - eta * sum_{k <= t} v_k
        moved = eta * sum(g * (1 - beta ** k) / (1 - beta) for k in range(1, t + 1))
        assert param[0] == pytest.approx(1.0 - moved, rel=1e-12)
    assert (after[-2] - after[-1])[0] == pytest.approx(eta * g * (1 - beta ** 12) / (1 - beta), rel=1e-12)


def test_rmsprop_with_a_constant_gradient():
    eta, rho, eps = 0.01, 0.9, 1e-8
    for g in (1e-6, -3.0, 2e3):
        after = run(RMSProp(learning_rate=eta, rho=rho, eps=eps), np.array([0.0]), [[g]] * 6)
        before = 0.0
        for t, param in enumerate(after, start=1):
            # s_t = g^2 (1 - rho^t): the step is eta g / (|g| sqrt(1 - rho^t) + eps)
            assert before - param[0] == pytest.approx(eta * g / (abs(g) * math.sqrt(1 - rho ** t) + eps), rel=1e-12)
            before = param[0]


def test_adam_with_a_constant_gradient_steps_by_eta_at_every_step():
    """With the bias correction, m_hat = g and v_hat = g^2 exactly: every step is eta g / (|g| + eps)."""
    eta, eps = 0.001, 1e-8
    for g in (1e-6, -1.0, 1e3):
        after = run(Adam(learning_rate=eta), np.array([0.0]), [[g]] * 20)
        before = 0.0
        for param in after:
            assert before - param[0] == pytest.approx(eta * g / (abs(g) + eps), rel=1e-9)
            before = param[0]


def test_adams_first_step_without_the_correction_would_be_316_times_larger():
    assert (1 - Adam.beta1) / math.sqrt(1 - Adam.beta2) == pytest.approx(3.1623, rel=1e-4)
    (after,) = run(Adam(learning_rate=0.01), np.zeros(3), [[1e-3, -1.0, 1e3]])
    np.testing.assert_allclose(-after, [0.01 * 1e-3 / (1e-3 + 1e-8), -0.01 / (1 + 1e-8), 0.01 / (1 + 1e-11)],
                               rtol=1e-12)


# Changing gradients: the paper's equations, one number at a time.

def adam_by_hand(theta, grads, eta, beta1, beta2, eps):
    """Kingma and Ba, Algorithm 1, for one number."""
    m = v = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        theta = theta - eta * m_hat / (math.sqrt(v_hat) + eps)
        out.append(theta)
    return out


def rmsprop_by_hand(theta, grads, eta, rho, eps):
    s = 0.0
    out = []
    for g in grads:
        s = rho * s + (1 - rho) * g * g
        theta = theta - eta * g / (math.sqrt(s) + eps)
        out.append(theta)
    return out


def momentum_by_hand(theta, grads, eta, beta):
    v = 0.0
    out = []
    for g in grads:
        v = beta * v + g
        theta = theta - eta * v
        out.append(theta)
    return out


GRADS = np.random.default_rng(3).normal(size=(6, 2, 3)) * np.array([[1e-7, 1.0, 1e4]])
START = np.random.default_rng(4).normal(size=(2, 3))


@pytest.mark.parametrize("make,by_hand", [
    (lambda: Momentum(learning_rate=0.05, beta=0.8), lambda th, gs: momentum_by_hand(th, gs, 0.05, 0.8)),
    (lambda: RMSProp(learning_rate=0.02, rho=0.95, eps=1e-3), lambda th, gs: rmsprop_by_hand(th, gs, 0.02, 0.95, 1e-3)),
    (lambda: RMSProp(learning_rate=0.02), lambda th, gs: rmsprop_by_hand(th, gs, 0.02, 0.9, 1e-8)),
    (lambda: Adam(learning_rate=0.05, beta1=0.8, beta2=0.99),
     lambda th, gs: adam_by_hand(th, gs, 0.05, 0.8, 0.99, 1e-8)),
    (lambda: Adam(learning_rate=0.001), lambda th, gs: adam_by_hand(th, gs, 0.001, 0.9, 0.999, 1e-8)),
], ids=["momentum", "rmsprop-large-eps", "rmsprop", "adam-settings", "adam-defaults"])
def test_each_rule_entry_by_entry_against_the_papers_equations_through_step(make, by_hand):
    """Two layers (four parameters) through the given `step`, six steps of gradients from 1e-7 to 1e4."""
    optimiser = make()
    layers = [Layer(START, START[:1]), Layer(START.T, START.T[:1])]
    for grads in GRADS:
        layers[0].dW, layers[0].db = grads, grads[:1]
        layers[1].dW, layers[1].db = grads.T, grads.T[:1]
        optimiser.step(layers)
    assert optimiser.t == len(GRADS)
    for start, final, grads in [(START, layers[0].W, GRADS), (START[:1], layers[0].b, GRADS[:, :1]),
                                (START.T, layers[1].W, GRADS.transpose(0, 2, 1)),
                                (START.T[:1], layers[1].b, GRADS.transpose(0, 2, 1)[:, :1])]:
        for index in np.ndindex(start.shape):
            expected = by_hand(float(start[index]), [float(g[index]) for g in grads])[-1]
            assert final[index] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_the_optimiser_keeps_each_parameters_state_and_leaves_its_inputs_alone():
    adam = Adam(learning_rate=0.1)
    adam.t = 1
    p, g = np.ones((2, 2)), np.full((2, 2), 0.5)
    new = adam.update("W1", p, g)
    assert new is not p
    np.testing.assert_array_equal(p, np.ones((2, 2)))
    np.testing.assert_array_equal(g, np.full((2, 2), 0.5))
    adam.update("b1", np.zeros(2), np.ones(2))
    assert set(adam.state) == {"W1", "b1"}


def test_settings_are_class_attributes_that_an_optimiser_may_replace():
    assert (Momentum.beta, RMSProp.rho, RMSProp.eps, Adam.beta1, Adam.beta2, Adam.eps) == (0.9, 0.9, 1e-8, 0.9, 0.999,
                                                                                           1e-8)
    adam = Adam(learning_rate=0.1, beta1=0.5)
    assert adam.beta1 == 0.5 and Adam.beta1 == 0.9 and adam.t == 0 and adam.state == {}
    with pytest.raises(TypeError, match="no setting 'beta'"):
        Adam(learning_rate=0.1, beta=0.5)
    with pytest.raises(NotImplementedError):
        Optimiser(0.1).update("W1", np.zeros(1), np.zeros(1))


# The cosine schedule.

def test_the_cosine_schedule():
    assert cosine_schedule(0, 30, 0.1) == 0.1
    assert cosine_schedule(15, 30, 0.1) == pytest.approx(0.05, rel=1e-12)
    assert cosine_schedule(30, 30, 0.1, 0.01) == pytest.approx(0.01, rel=1e-12)
    assert cosine_schedule(25, 100, 0.1) == pytest.approx(0.1 * (1 + math.sqrt(0.5)) / 2, rel=1e-12)
    assert round(cosine_schedule(25, 100, 0.1), 4) == 0.0854  # the knowledge check's q5
    rates = [cosine_schedule(e, 30, 0.3, 0.01) for e in range(31)]
    assert all(a > b for a, b in zip(rates, rates[1:], strict=False))
    assert type(cosine_schedule(1, 3, 1)) is float


# The visible checks of the notebook catch the mistakes the lesson warns about.

class AdamNoCorrection(Adam):
    def update(self, key, param, grad):
        m, v = self.state.get(key, (0.0, 0.0))
        m, v = self.beta1 * m + (1 - self.beta1) * grad, self.beta2 * v + (1 - self.beta2) * grad ** 2
        self.state[key] = (m, v)
        return param - self.learning_rate * m / (np.sqrt(v) + self.eps)


class AdamEpsInside(Adam):
    def update(self, key, param, grad):
        m, v = self.state.get(key, (0.0, 0.0))
        m, v = self.beta1 * m + (1 - self.beta1) * grad, self.beta2 * v + (1 - self.beta2) * grad ** 2
        self.state[key] = (m, v)
        return param - self.learning_rate * (m / (1 - self.beta1 ** self.t)) / np.sqrt(v / (1 - self.beta2 ** self.t)
                                                                                       + self.eps)


class AdamFixedExponent(Adam):
    def update(self, key, param, grad):
        m, v = self.state.get(key, (0.0, 0.0))
        m, v = self.beta1 * m + (1 - self.beta1) * grad, self.beta2 * v + (1 - self.beta2) * grad ** 2
        self.state[key] = (m, v)
        return param - self.learning_rate * (m / (1 - self.beta1)) / (np.sqrt(v / (1 - self.beta2)) + self.eps)


class AdamCountsSteps(Adam):
    def update(self, key, param, grad):
        self.t += 1
        return super().update(key, param, grad)


class RMSPropEpsInside(RMSProp):
    def update(self, key, param, grad):
        square = self.rho * self.state.get(key, 0.0) + (1 - self.rho) * grad ** 2
        self.state[key] = square
        return param - self.learning_rate * grad / np.sqrt(square + self.eps)


class MomentumAverage(Momentum):
    def update(self, key, param, grad):
        velocity = self.beta * self.state.get(key, 0.0) + (1 - self.beta) * grad
        self.state[key] = velocity
        return param - self.learning_rate * velocity


class MomentumInPlace(Momentum):
    def update(self, key, param, grad):
        velocity = self.beta * self.state.get(key, 0.0) + grad
        self.state[key] = velocity
        param -= self.learning_rate * velocity
        return param


def test_the_visible_checks_pass_the_course_versions():
    checks.check_momentum(Momentum)
    checks.check_rmsprop(RMSProp)
    checks.check_adam_first_step(Adam)
    checks.check_adam_steps(Adam)
    checks.check_cosine_schedule(cosine_schedule)


@pytest.mark.parametrize("check,wrong,message", [
    (checks.check_adam_first_step, AdamNoCorrection, "the first step"),
    (checks.check_adam_steps, AdamNoCorrection, "step 1"),
    (checks.check_adam_first_step, AdamEpsInside, "the first step"),
    (checks.check_adam_steps, AdamFixedExponent, "step 2"),
    (checks.check_adam_steps, AdamCountsSteps, "step 1"),
    (checks.check_rmsprop, RMSPropEpsInside, "step 1"),
    (checks.check_momentum, MomentumAverage, "step 1"),
    (checks.check_momentum, MomentumInPlace, "param after Momentum.update at step 1"),
], ids=["adam-no-correction-first", "adam-no-correction", "adam-eps-inside", "adam-fixed-exponent",
        "adam-counts-steps", "rmsprop-eps-inside", "momentum-average", "momentum-in-place"])
def test_the_visible_checks_catch_the_mistakes_the_lesson_warns_about(check, wrong, message):
    with pytest.raises(CheckFailed, match=message) as info:
        check(wrong)
    assert "\n" not in str(info.value)


def test_the_schedule_check_catches_a_missing_lr_min_and_a_missing_half():
    with pytest.raises(CheckFailed, match=r"cosine_schedule\(3, 10, 0.1, 0.01\)"):
        checks.check_cosine_schedule(lambda e, n, high, low=0.0: high * (1 + math.cos(math.pi * e / n)) / 2)
    with pytest.raises(CheckFailed, match=r"should be 0.1, but it is 0.2"):
        checks.check_cosine_schedule(lambda e, n, high, low=0.0: low + (high - low) * (1 + math.cos(math.pi * e / n)))


def test_an_unwritten_optimiser_is_named_in_one_line():
    class Unwritten(Optimiser):
        beta1 = beta2 = eps = 0.5

    with pytest.raises(CheckFailed, match="Adam is not written yet: finish Exercise 7"):
        checks.check_adam_steps(Unwritten)
