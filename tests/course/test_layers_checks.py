"""The visible checks of notebook 8's layers: they pass the course's versions, catch the mistakes the lesson warns
about with one line that says what is wrong, and name the exercise when an answer is still unwritten."""
import numpy as np
import pytest

from course.checks import CheckFailed
from course.checks import layers as checks
from course.reference import layers as reference


def fails(check, *args, match=None):
    with pytest.raises(CheckFailed, match=match) as info:
        check(*args)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_the_course_versions_pass():
    checks.check_activations(reference.ReLU, reference.Sigmoid, reference.Identity)
    checks.check_activation_derivatives(reference.ReLU, reference.Sigmoid, reference.Identity)
    for check in (checks.check_dense_forward, checks.check_dense_forward_keeps, checks.check_dense_backward,
                  checks.check_dense_backward_batch):
        check(reference.Dense)
    checks.check_sequential_forward(reference.Sequential)
    checks.check_sequential_backward(reference.Sequential)


class ReLUSlopeAtZero(reference.ReLU):
    def derivative(self, z):
        return (z >= 0).astype(float)


class NaiveSigmoid(reference.Sigmoid):
    def __call__(self, z):
        return 1 / (1 + np.exp(-z))


class ScalarIdentity(reference.Identity):
    def derivative(self, z):
        return 1.0


def test_the_activation_checks_catch_the_warned_mistakes():
    fails(checks.check_activation_derivatives, ReLUSlopeAtZero, reference.Sigmoid, reference.Identity,
          match=r"ReLU\(\)\.derivative\(z\).*index \(0, 1\), should be 0 but is 1")
    fails(checks.check_activations, reference.ReLU, NaiveSigmoid, reference.Identity, match="overflow")
    fails(checks.check_activation_derivatives, reference.ReLU, reference.Sigmoid, ScalarIdentity,
          match=r"Identity\(\)\.derivative\(z\).*should be a numpy array")


class ForwardKeepsOutput(reference.Dense):
    def forward(self, A_prev):
        self.A_prev = A_prev
        self.Z = self.activation(A_prev @ self.W + self.b)
        return self.Z


class ForwardReLU(reference.Dense):
    def forward(self, A_prev):
        self.A_prev, self.Z = A_prev, A_prev @ self.W + self.b
        return np.maximum(0, self.Z)


class ForwardForgets(reference.Dense):
    def forward(self, A_prev):
        self.Z = A_prev @ self.W + self.b
        return self.activation(self.Z)


class BackwardAverages(reference.Dense):
    def backward(self, dA):
        dA_prev = super().backward(dA)
        self.dW, self.db = self.dW / len(dA), self.db / len(dA)
        return dA_prev


class BackwardFlatDb(reference.Dense):
    def backward(self, dA):
        dA_prev = super().backward(dA)
        self.db = self.db.ravel()
        return dA_prev


class BackwardMovesW(reference.Dense):
    def backward(self, dA):
        dA_prev = super().backward(dA)
        self.W = self.W - 0.1 * self.dW
        return dA_prev


def test_the_dense_checks_catch_the_warned_mistakes():
    fails(checks.check_dense_forward_keeps, ForwardKeepsOutput,
          match=r"layer\.Z .*the receptors, before the activation")
    fails(checks.check_dense_forward, ForwardReLU, match=r"layer\.forward\(A_prev\) for a layer .* tanh activation")
    fails(checks.check_dense_forward_keeps, ForwardForgets, match="no attribute 'A_prev'")
    fails(checks.check_dense_backward_batch, BackwardAverages, match=r"layer\.dW .*batch of 6")
    fails(checks.check_dense_backward, BackwardFlatDb, match=r"should have shape \(1, 3\), but it has shape \(3,\)")
    fails(checks.check_dense_backward, BackwardMovesW, match=r"layer\.W after layer\.backward\(dA\)")


class ForwardOrderBackward(reference.Sequential):
    def backward(self, dA):
        for layer in self:
            dA = layer.backward(dA)
        return dA


class SameGradient(reference.Sequential):
    def backward(self, dA):
        for layer in reversed(self):
            layer.backward(dA)
        return dA


def test_the_sequential_checks_catch_the_warned_mistakes():
    fails(checks.check_sequential_backward, ForwardOrderBackward, match="layer 3, the last")
    fails(checks.check_sequential_backward, SameGradient, match="layer 2 received")


def test_an_unwritten_answer_is_named_with_its_exercise():
    class Unwritten:
        def __call__(self, z):
            raise NotImplementedError()

        def derivative(self, z):
            raise NotImplementedError()

    fails(checks.check_activations, Unwritten, Unwritten, Unwritten,
          match=r"ReLU\.__call__ is not written yet: finish Exercise 1")

    class UnwrittenModel(list):
        def forward(self, X):
            raise NotImplementedError()

        backward = forward

    fails(checks.check_sequential_backward, UnwrittenModel, match="Sequential.backward is not written yet: finish "
                                                                   "Exercise 4")


def test_the_stand_in_layers_record_and_survive_a_gradient_of_the_wrong_shape():
    layer = checks.Linear([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[0.0, 1.0]])
    np.testing.assert_array_equal(layer.forward(np.ones((1, 3))), [[9.0, 13.0]])
    np.testing.assert_array_equal(layer.backward(np.ones((1, 2))), [[3.0, 7.0, 11.0]])
    np.testing.assert_array_equal(layer.backward(np.ones((1, 5))), np.zeros((1, 3)))
    assert len(layer.inputs) == 1 and len(layer.gradients) == 2
