"""The reference of notebook 8: its layers and model against notebook 4's NN and against finite differences."""
import math

import numpy as np
import pytest

from course.layers_support import MeanSquaredError, SoftmaxCrossEntropy
from course.reference.classification import cross_entropy, one_hot, softmax
from course.reference.gradcheck import numerical_gradient, relative_error
from course.reference.layers import Dense, Identity, ReLU, Sequential, Sigmoid
from course.reference.nn import NN, activation_output_dict, activation_relu_dict, loss_dict
from course.worked_example import LAYERS_DIMS, make_dataset, parameters


def example_model():
    params = parameters()
    model = Sequential([Dense(2, 3, ReLU()), Dense(3, 2, ReLU()), Dense(2, 1, Identity())])
    for l, layer in enumerate(model, start=1):
        layer.W, layer.b = params[f"W{l}"], params[f"b{l}"]
    return model


def test_the_example_network_as_layers_is_notebook_4s_nn_exactly():
    X, Y = make_dataset(50)
    model, mse = example_model(), MeanSquaredError()
    A = model.forward(X)
    net = NN(list(LAYERS_DIMS), activation_relu_dict, activation_output_dict, loss_dict)
    net.params = parameters()
    values = net.forward_pass(X, training=True)
    grads = net.backward_pass(X, Y, values)
    model.backward(mse.derivative(A, Y))
    np.testing.assert_array_equal(A, values["x3"])
    for l, layer in enumerate(model, start=1):
        np.testing.assert_array_equal(layer.A_prev, values[f"x{l - 1}"])
        np.testing.assert_array_equal(layer.Z, values[f"z{l}"])
        np.testing.assert_array_equal(layer.dW, grads[f"dW{l}"])
        np.testing.assert_array_equal(layer.db, grads[f"db{l}"])
    assert mse(A, Y) == net.loss_function["loss"](values["x3"], Y)


def test_the_worked_example_numbers_of_notebooks_2_and_3():
    X, Y = make_dataset()
    model, mse = example_model(), MeanSquaredError()
    assert round(float(model.forward(X[:1])[0, 0]), 7) == 0.0017178
    assert f"{mse(model.forward(X), Y):.6f}" == "3465.901456"
    model.backward(mse.derivative(model.forward(X[:1]), Y[:1]))
    assert (round(model[2].dW[1, 0], 4), round(model[1].dW[1, 1], 4), round(model[0].dW[0, 1], 4)) == \
        (-2.773, -6.4703, -1.4475)


@pytest.mark.parametrize("loss", [MeanSquaredError(), SoftmaxCrossEntropy()], ids=["mse", "softmax-ce"])
def test_every_gradient_of_a_mixed_model_matches_finite_differences(loss):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(9, 4))
    Y = rng.normal(size=(9, 3)) if isinstance(loss, MeanSquaredError) else one_hot(rng.integers(0, 3, 9), 3)
    model = Sequential([Dense(4, 6, Sigmoid(), rng), Dense(6, 5, ReLU(), rng), Dense(5, 3, Identity(), rng)])
    dX = model.backward(loss.derivative(model.forward(X), Y))
    X_copy = X.copy()
    for layer in model:
        for name in ("W", "b"):
            numeric = numerical_gradient(lambda _: loss(model.forward(X), Y), getattr(layer, name))
            assert relative_error(getattr(layer, "d" + name), numeric) < 1e-5
    assert relative_error(dX, numerical_gradient(lambda _: loss(model.forward(X_copy), Y), X_copy)) < 1e-5


def test_dense_keeps_its_input_and_receptors_and_changes_no_parameter_backwards():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, Sigmoid(), rng)
    W, b = layer.W.copy(), layer.b.copy()
    A_prev = rng.normal(size=(4, 3))
    A = layer.forward(A_prev)
    assert layer.A_prev is A_prev
    np.testing.assert_allclose(layer.Z, A_prev @ W + b)
    np.testing.assert_allclose(A, 1 / (1 + np.exp(-(A_prev @ W + b))))
    layer.backward(np.ones((4, 2)))
    np.testing.assert_array_equal(layer.W, W)
    np.testing.assert_array_equal(layer.b, b)
    assert layer.db.shape == (1, 2) and layer.dW.shape == (3, 2)


def test_dense_draws_he_weights_from_its_generator():
    a, b = Dense(400, 300, ReLU(), 7), Dense(400, 300, ReLU(), np.random.default_rng(7))
    np.testing.assert_array_equal(a.W, b.W)
    assert abs(a.W.std() - math.sqrt(2 / 400)) < 0.02 * math.sqrt(2 / 400)
    np.testing.assert_array_equal(a.b, np.zeros((1, 300)))


def test_the_activations_by_formula():
    z = np.array([-1000.0, -3.0, 0.0, 0.5, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = Sigmoid()(z)
        ds = Sigmoid().derivative(z)
    np.testing.assert_allclose(s[1:4], [1 / (1 + math.exp(3.0)), 0.5, 1 / (1 + math.exp(-0.5))], rtol=1e-14)
    assert s[0] == 0.0 and s[-1] == 1.0 and ds[0] == 0.0 and ds[-1] == 0.0
    np.testing.assert_allclose(ds[1:4], [math.exp(3.0) / (1 + math.exp(3.0)) ** 2, 0.25,
                                         math.exp(-0.5) / (1 + math.exp(-0.5)) ** 2], rtol=1e-12)
    np.testing.assert_array_equal(ReLU()(z), [0.0, 0.0, 0.0, 0.5, 1000.0])
    np.testing.assert_array_equal(ReLU().derivative(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    assert Identity().derivative(np.zeros((2, 3), dtype=int)).dtype == float


def test_the_loss_objects_are_the_costs_of_notebooks_4_and_5():
    rng = np.random.default_rng(2)
    Z, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, 6)
    Y = one_hot(labels, 4)
    ce = SoftmaxCrossEntropy()
    expected = -sum(math.log(p[k]) for p, k in zip(softmax(Z), labels, strict=True)) / 6
    assert ce(Z, Y) == pytest.approx(expected, rel=1e-12)
    assert ce(Z, labels) == pytest.approx(expected, rel=1e-12) == pytest.approx(cross_entropy(softmax(Z), Y))
    np.testing.assert_allclose(ce.derivative(Z, labels), numerical_gradient(lambda t: ce(t, Y), Z.copy()),
                               rtol=1e-6, atol=1e-9)
    A, T = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    assert MeanSquaredError()(A, T) == pytest.approx(np.sum((A - T) ** 2) / 10, rel=1e-12)


def test_sequential_is_the_list_of_its_layers():
    layers = [Dense(2, 2, ReLU(), 0), Dense(2, 1, Identity(), 1)]
    model = Sequential(layers)
    assert list(model) == layers and len(model) == 2 and model[1] is layers[1]
