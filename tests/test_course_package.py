"""The course package's data, reference network and gradient checker."""
import gzip

import numpy as np
import pytest

from course import datasets
from course.gradcheck import check_network_gradients, numerical_gradient, relative_error
from course.nn import NN, MSE, activation_output_dict, activation_relu_dict, loss_dict
from course.notebook import iterations


def test_datasets_have_the_documented_shapes_and_targets():
    X, y, names = datasets.load_diabetes()
    assert X.shape == (442, 10) and y.shape == (442,) and names[:4] == ["age", "sex", "bmi", "bp"]
    assert y.min() == 25 and y.max() == 346 and set(np.unique(X[:, 1])) == {1.0, 2.0}
    X, y, names = datasets.load_breast_cancer()
    assert X.shape == (569, 30) and len(names) == 30 and np.bincount(y).tolist() == [212, 357]
    X, y = datasets.load_digits()
    assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_a_missing_dataset_file_says_how_to_restore_it(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "DATA", tmp_path)
    with pytest.raises(FileNotFoundError, match="git checkout"):
        datasets.load_diabetes()


def test_a_corrupted_dataset_file_fails_loudly(tmp_path, monkeypatch):
    with gzip.open(tmp_path / "diabetes.csv.gz", "wt") as f:
        f.write("age,sex,progression\n1,2,3\n4,oops,6\n")
    monkeypatch.setattr(datasets, "DATA", tmp_path)
    with pytest.raises(ValueError, match="damaged"):
        datasets.load_diabetes()
    (tmp_path / "diabetes.csv.gz").write_text("not gzip at all")
    with pytest.raises(ValueError, match="damaged"):
        datasets.load_diabetes()


def random_network(dims, seed=0):
    net = NN(dims, activation_relu_dict, activation_output_dict, loss_dict, seed=seed)
    rng = np.random.default_rng(seed)
    for key in net.params:
        net.params[key] = rng.normal(size=net.params[key].shape)
    return net


def test_reference_network_gradients_agree_with_finite_differences():
    net = random_network([3, 5, 4, 2])
    X, Y = np.random.default_rng(1).normal(size=(6, 3)), np.random.default_rng(2).normal(size=(6, 2))
    errors = check_network_gradients(net, X, Y)
    assert set(errors) == set(net.params) and max(errors.values()) < 1e-6


def test_the_gradient_checker_catches_a_wrong_backward_pass():
    net = random_network([3, 5, 2])
    X, Y = np.random.default_rng(1).normal(size=(6, 3)), np.random.default_rng(2).normal(size=(6, 2))
    right = net.backward_pass
    net.backward_pass = lambda X, Y, coef: {k: 2 * v for k, v in right(X, Y, coef).items()}
    assert min(check_network_gradients(net, X, Y).values()) > 0.3


def test_numerical_gradient_restores_theta_and_relative_error_handles_zeros():
    theta = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda t: float(np.sum(t ** 3)), theta)
    assert np.allclose(grad, 3 * theta ** 2, rtol=1e-8)
    assert theta.tolist() == [[1.0, -2.0], [0.5, 3.0]]
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 4.2)


def test_reference_network_trains_and_prints_every_100_iterations(capsys):
    X = np.random.default_rng(3).normal(size=(50, 2))
    Y = X[:, :1] * 2 - X[:, 1:]
    net = NN([2, 8, 1], activation_relu_dict, activation_output_dict, loss_dict, seed=0)
    before = MSE(net.forward_pass(X), Y)
    net.train(X, Y, 250, learning_rate=0.1)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Iteration 0", "Iteration 100", "Iteration 200"]
    assert MSE(net.forward_pass(X), Y) < before / 10


def test_iterations_are_cut_only_while_nbgrader_runs(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert iterations(60) == 60
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert iterations(60) == 6 and iterations(3) == 1


def test_stratified_split_keeps_class_shares_and_is_reproducible():
    _, y = datasets.load_digits()
    train, test = datasets.stratified_split(y, 0.2, seed=0)
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == len(y)
    shares = np.bincount(y[test], minlength=10) / np.bincount(y, minlength=10)
    assert np.all(np.abs(shares - 0.2) < 0.01), shares
    again, _ = datasets.stratified_split(y, 0.2, seed=0)
    other, _ = datasets.stratified_split(y, 0.2, seed=1)
    assert np.array_equal(train, again) and not np.array_equal(train, other)
