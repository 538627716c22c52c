"""The capstone's checks (course.checks.capstone): the bands, the reshuffle rule, clear messages, and the secret."""
import inspect
import time

import numpy as np
import pytest

import course.checks.capstone as capstone
from course.checks import CheckFailed
from course.checks.capstone import (
    BANDS,
    HELDOUT_SIZE,
    NOT_HERE,
    SECRET_ENV,
    band_of,
    check_capstone_heldout,
    check_capstone_predict,
    heldout_set,
)
from course.mnist1d import make_dataset, published

SECRET = "a test secret, not the course's"


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return SECRET


def knowing(accuracy, secret=SECRET):
    """A predict that knows the held-out labels, row by row, and gets exactly `accuracy` of them right."""
    X, y = heldout_set(secret)
    wrong = np.random.default_rng(1).permutation(HELDOUT_SIZE)[:round((1 - accuracy) * HELDOUT_SIZE)]
    labels = y.copy()
    labels[wrong] = (labels[wrong] + 1) % 10
    table = {row.tobytes(): label for row, label in zip(X, labels, strict=True)}
    return lambda X: np.array([table.get(row.tobytes(), 0) for row in np.asarray(X)])


def centroids(dtype=float):
    """An honest predict: the nearest class mean of the published training set (about 30% on held-out data)."""
    X, y, _, _ = published()
    means = np.stack([X[y == d].mean(axis=0) for d in range(10)]).astype(dtype)

    def predict(X):
        X = np.asarray(X, dtype=dtype)
        return np.argmin(((X[:, None, :] - means[None]) ** 2).sum(axis=-1), axis=1)
    return predict


def passed_bands(predict):
    passed = []
    for band in range(1, len(BANDS) + 1):
        try:
            check_capstone_heldout(predict, band)
            passed.append(band)
        except CheckFailed:
            pass
    return passed


def message(check, *args):
    with pytest.raises(CheckFailed) as failure:
        check(*args)
    return str(failure.value)


@pytest.mark.parametrize(("accuracy", "bands"), [
    (0.1, []), (0.2498, []), (0.25, [1]), (0.4998, [1]), (0.5, [1, 2]), (0.6298, [1, 2]),
    (0.63, [1, 2, 3]), (0.6998, [1, 2, 3]), (0.70, [1, 2, 3, 4]), (0.99, [1, 2, 3, 4])])
def test_each_band_passes_from_its_threshold_on(secret, accuracy, bands):
    assert passed_bands(knowing(accuracy)) == bands
    assert band_of(accuracy) == len(bands)


def test_a_passed_band_prints_the_accuracy_and_a_failed_one_says_what_it_needs(secret, capsys):
    assert check_capstone_heldout(knowing(0.6), 2) == pytest.approx(0.6)
    assert capsys.readouterr().out == ("held-out accuracy 60.0% on 5000 signals (60.0% reshuffled): band 2 of 4; "
                                       "band 2 needs 50%: reached.\n")
    assert message(check_capstone_heldout, knowing(0.6), 3) == (
        "held-out accuracy 60.0% on 5000 signals (60.0% reshuffled): band 2 of 4; band 3 needs 63% "
        "(the bands: 25%, 50%, 63%, 70%).")


def test_an_honest_predict_keeps_its_band_in_float32_and_when_slow(secret):
    assert passed_bands(centroids()) == [1]
    assert passed_bands(centroids(np.float32)) == [1]
    honest = centroids()

    def slow(X):
        time.sleep(0.01)
        return honest(X).astype(np.int32)
    assert passed_bands(slow) == [1]

    def as_floats(X):  # whole numbers in a float array are labels too
        return honest(X).astype(float)
    assert passed_bands(as_floats) == [1]


def test_a_predict_that_learned_the_public_data_by_heart_gets_chance_on_held_out_data(secret):
    X, y, X_val, y_val = published()
    table = {row.tobytes(): label for row, label in zip(np.concatenate([X, X_val]), np.concatenate([y, y_val]),
                                                        strict=True)}

    def by_heart(X):
        return np.array([table.get(row.tobytes(), 0) for row in X])
    assert by_heart(X[:50]).tolist() == y[:50].tolist()
    assert passed_bands(by_heart) == []


def test_labels_hard_coded_in_order_fail_the_reshuffle(secret):
    """Even the true labels, handed out by position, fail: the reshuffled signals get the wrong ones."""
    _, y = heldout_set(SECRET)
    calls = []

    def in_order(X):
        start = sum(calls) % HELDOUT_SIZE
        calls.append(len(X))
        return y[start:start + len(X)]
    text = message(check_capstone_heldout, in_order, 1)
    assert text.startswith("predict gave ") and "a different label when they came again, reshuffled" in text


@pytest.mark.parametrize("kind", ["counter", "dropout", "batch statistics"])
def test_a_predict_that_depends_on_its_state_or_its_batch_fails_every_band(secret, kind):
    honest, rng, count = centroids(), np.random.default_rng(0), [0]

    def predict(X):
        if kind == "counter":
            count[0] += 1
            return (honest(X) + count[0]) % 10
        if kind == "dropout":
            labels = honest(X)
            noisy = rng.random(len(X)) < 0.2
            labels[noisy] = rng.integers(0, 10, noisy.sum())
            return labels
        return honest((X - X.mean(axis=0)) / X.std(axis=0))
    assert passed_bands(predict) == []
    assert "label each row on its own" in message(check_capstone_heldout, predict, 1)


@pytest.mark.parametrize(("returned", "expected"), [
    (lambda X: np.zeros((len(X), 10)), "so of shape (1000,), but its shape is (1000, 10). It looks like one score "
                                       "or probability per class: return np.argmax(..., axis=1)."),
    (lambda X: np.zeros((len(X), 1), dtype=int), "but its shape is (1000, 1). Flatten it with .ravel()."),
    (lambda X: np.zeros(len(X) - 1, dtype=int), "but its shape is (999,)."),
    (lambda X: np.full(len(X), "3"), "predict(X) for 1000 held-out signals holds strings such as '3'; it should "
                                     "hold integer labels 0..9."),
    (lambda X: np.full(len(X), np.nan), "predict(X) for 1000 held-out signals holds nan at index 0 (1000 such "
                                        "entries); it should hold integer labels 0..9."),
    (lambda X: np.arange(len(X)) % 11, "holds 10 at index 10, which is not a digit 0..9 (90 such entries)."),
    (lambda X: np.full(len(X), 2.5), "holds 2.5 at index 0, which is not a digit 0..9"),
    (lambda X: [0] * len(X), "predict(X) for 1000 held-out signals should return a numpy array of 1000 integer "
                             "labels 0..9, one per row of X, but it returned a list."),
    (lambda X: None, "but it returned None (did the function forget to `return`?)."),
    (lambda X: np.zeros(len(X), dtype=bool), "but its entries are of type bool."),
])
def test_a_wrong_result_gets_one_clear_sentence(secret, returned, expected):
    assert expected in message(check_capstone_heldout, returned, 1)


def test_predict_must_be_a_function(secret):
    assert message(check_capstone_heldout, np.zeros(3), 1).startswith(
        "predict should be a function, predict(X) -> labels, but it is a numpy array")


def test_without_the_secret_there_is_no_held_out_set(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    assert message(check_capstone_heldout, centroids(), 1) == NOT_HERE
    monkeypatch.setenv(SECRET_ENV, "")
    assert message(check_capstone_heldout, centroids(), 1) == NOT_HERE


def test_the_secret_comes_from_the_environment_only_and_decides_the_set():
    assert list(inspect.signature(check_capstone_heldout).parameters) == ["predict", "band"]
    X1, y1 = heldout_set("one")
    X2, y2 = heldout_set("one")
    X3, _ = heldout_set("two")
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2) and not np.array_equal(X1, X3)
    assert X1.shape == (HELDOUT_SIZE, 40) and np.array_equal(np.bincount(y1), np.full(10, HELDOUT_SIZE // 10))
    with pytest.raises(ValueError):
        heldout_set("")


def test_the_module_holds_no_held_out_data():
    arrays = [name for name, value in vars(capstone).items() if isinstance(value, np.ndarray)]
    assert arrays == []


def test_a_wrong_band_number_is_the_tests_mistake(secret):
    for band in (0, 5, "1", 1.0):
        with pytest.raises(ValueError):
            check_capstone_heldout(centroids(), band)


def test_the_visible_check_passes_an_honest_predict_and_needs_no_secret(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    check_capstone_predict(centroids())
    check_capstone_predict(centroids(np.float32))


def test_the_visible_check_explains_batch_dependence_changes_to_x_and_wrong_results():
    honest = centroids()
    text = message(check_capstone_predict, lambda X: honest((X - X.mean(axis=0)) / (X.std(axis=0) + 1e-12)))
    assert "predict should label each row on its own" in text and "statistics of the batch" in text

    def in_place(X):
        X -= X.mean()
        return honest(X)
    assert message(check_capstone_predict, in_place).startswith("X after predict(X) (it should not change)")
    assert message(check_capstone_predict, lambda X: np.zeros((len(X), 10))).startswith(
        "predict(X), for X = 120 signals of MNIST-1D, shape (120, 40), should return a numpy array of 120 integer "
        "labels 0..9, one per row of X, so of shape (120,), but its shape is (120, 10).")
    flipped = {"n": 0}

    def order_dependent(X):
        flipped["n"] += 1
        return honest(X) if flipped["n"] != 3 else honest(X)[::-1].copy()
    assert "another label when the rows come in another order" in message(check_capstone_predict, order_dependent)


def test_the_public_sample_is_not_the_held_out_set(secret):
    X_public, _ = make_dataset(capstone.PUBLIC_SIZE, capstone.PUBLIC_SEED)
    X_held, _ = heldout_set(SECRET)
    assert not ({row.tobytes() for row in X_public} & {row.tobytes() for row in X_held})
