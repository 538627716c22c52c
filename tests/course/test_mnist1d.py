"""MNIST-1D (course.mnist1d): the published recipe, deterministic, balanced, fast, and as hard as the paper says."""
import hashlib
import time

import numpy as np
import pytest

from course import mnist1d
from course.mnist1d import make_dataset, published, templates
from course.reference.classification import activation_softmax_dict, one_hot, softmax_ce_dict
from course.reference.generalisation import minibatches
from course.reference.init import he_init
from course.reference.nn import NN, activation_relu_dict

# sha256 of the published mnist1d_data.pkl (github.com/greydanus/mnist1d), its x then x_test rounded to 6 decimals
# as little-endian float64, and its y then y_test as int64: taken from that file, not from this module.
PUBLISHED_X = "a3e49301cd6d81207e6115120e4b369093607da485593686028ea556b9d8928a"
PUBLISHED_Y = "6feec4a017698c7fe237c8854cbd2e338c6dd5c16240f6fa79daefaaa129e169"


def test_shapes_types_and_labels():
    X, y = make_dataset(1234, 0)
    assert X.shape == (1234, mnist1d.LENGTH) and X.dtype == np.float64 and np.isfinite(X).all()
    assert y.shape == (1234,) and y.dtype.kind == "i" and set(np.unique(y)) == set(range(10))
    X0, y0 = make_dataset(0, 0)
    assert X0.shape == (0, 40) and y0.shape == (0,)


@pytest.mark.parametrize("n", [-1, 2.5, "10", True])
def test_a_bad_number_of_samples_is_refused(n):
    with pytest.raises(ValueError, match="whole number"):
        make_dataset(n, 0)


def test_the_same_seed_gives_the_same_samples_and_other_seeds_other_ones():
    X1, y1 = make_dataset(500, 7)
    X2, y2 = make_dataset(500, 7)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    X3, y3 = make_dataset(500, 8)
    assert not np.array_equal(y1, y3) and np.abs(X1 - X3).min(axis=1).max() > 0
    big = 2 ** 255 + 12345  # the grader's seeds are 256-bit hashes
    assert np.array_equal(make_dataset(50, big)[0], make_dataset(50, big)[0])
    assert not np.array_equal(make_dataset(50, big)[0], make_dataset(50, big + 1)[0])


@pytest.mark.parametrize("n", [10, 1234, 5000])
def test_the_classes_are_as_even_as_n_allows_and_shuffled(n):
    _, y = make_dataset(n, 3)
    counts = np.bincount(y, minlength=10)
    assert counts.sum() == n and counts.max() - counts.min() <= 1 and counts.min() == n // 10
    assert not np.array_equal(y, np.sort(y))


def test_a_few_thousand_samples_take_well_under_a_second():
    make_dataset(100, 0)
    started = time.perf_counter()
    make_dataset(5000, 1)
    assert time.perf_counter() - started < 0.5


def test_the_templates_are_the_recipes():
    t = templates()
    assert t.shape == (10, 12)
    assert np.array_equal(t[:, 0], np.zeros(10)) and np.allclose(t[:, -1], 0, atol=1e-15)
    assert np.allclose(t.std(axis=1), 1 / 6) and len({tuple(row) for row in np.round(t, 9)}) == 10
    t[0, 0] = 99.0
    assert templates()[0, 0] == 0.0, "templates() should hand out a fresh copy"


def test_published_regenerates_the_published_dataset():
    X_train, y_train, X_test, y_test = published()
    assert X_train.shape == (4000, 40) and X_test.shape == (1000, 40) and y_train.shape == (4000,)
    X, y = np.concatenate([X_train, X_test]), np.concatenate([y_train, y_test])
    assert hashlib.sha256(np.round(X, 6).astype("<f8").tobytes()).hexdigest() == PUBLISHED_X
    assert hashlib.sha256(y.astype("<i8").tobytes()).hexdigest() == PUBLISHED_Y
    # standardised with its own mean and standard deviation, the constants every set is standardised with
    assert abs(X.mean()) < 1e-12 and abs(X.std() - 1) < 1e-12
    assert np.array_equal(np.bincount(y), np.full(10, 500))


def test_every_set_is_on_the_published_scale():
    X, _ = make_dataset(20000, 11)
    assert abs(X.mean()) < 0.03 and abs(X.std() - 1) < 0.03


def test_the_signals_vary_as_the_recipe_says():
    """Digits drawn alike differ from one another, and the noise is far smaller than the signal."""
    X, y = make_dataset(2000, 5)
    same = X[y == 3]
    assert np.abs(same[0] - same[1]).max() > 0.5
    assert np.isclose(X.std(), 1, atol=0.05) and X.std(axis=0).min() > 0.5


def _train(layers, X, y, epochs, lr, seed=0):
    """Mini-batch Adam on softmax and cross-entropy with the course's NN, He initialisation and mini-batches."""
    rng = np.random.default_rng(seed)
    net = NN(layers, activation_relu_dict, activation_softmax_dict, softmax_ce_dict, seed=seed)
    net.params = he_init(layers, rng)
    m = {k: np.zeros_like(v) for k, v in net.params.items()}
    v = {k: np.zeros_like(v) for k, v in net.params.items()}
    Y, t = one_hot(y, 10), 0
    for epoch in range(epochs):
        rate = lr * 0.5 * (1 + np.cos(np.pi * epoch / epochs))
        for X_batch, Y_batch in minibatches(X, Y, 100, rng):
            grads = net.backward_pass(X_batch, Y_batch, net.forward_pass(X_batch, training=True))
            t += 1
            for key in net.params:
                g = grads["d" + key]
                m[key] = 0.9 * m[key] + 0.1 * g
                v[key] = 0.999 * v[key] + 0.001 * g * g
                net.params[key] -= rate * (m[key] / (1 - 0.9 ** t)) / (np.sqrt(v[key] / (1 - 0.999 ** t)) + 1e-8)
    return net


def test_a_linear_model_stays_near_the_papers_32_percent_and_an_mlp_is_far_above():
    """The paper: logistic regression 32%, MLP 68% on the published split. Here, on a fresh held-out set."""
    X, y, _, _ = published()
    X_new, y_new = make_dataset(3000, 2024)
    linear = _train([40, 10], X, y, epochs=30, lr=1e-2)
    mlp = _train([40, 100, 100, 10], X, y, epochs=40, lr=1e-2)
    linear_accuracy = np.mean(np.argmax(linear.forward_pass(X_new), axis=1) == y_new)
    mlp_accuracy = np.mean(np.argmax(mlp.forward_pass(X_new), axis=1) == y_new)
    assert 0.26 < linear_accuracy < 0.38, linear_accuracy
    assert mlp_accuracy > 0.55 and mlp_accuracy > linear_accuracy + 0.2, (mlp_accuracy, linear_accuracy)
