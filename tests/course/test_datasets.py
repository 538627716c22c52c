"""The datasets shipped in course/data: shapes, targets, clear failures, the stratified split."""
import gzip

import numpy as np
import pytest

from course import datasets


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


def test_stratified_split_keeps_class_shares_and_is_reproducible():
    _, y = datasets.load_digits()
    train, test = datasets.stratified_split(y, 0.2, seed=0)
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == len(y)
    shares = np.bincount(y[test], minlength=10) / np.bincount(y, minlength=10)
    assert np.all(np.abs(shares - 0.2) < 0.01), shares
    again, _ = datasets.stratified_split(y, 0.2, seed=0)
    other, _ = datasets.stratified_split(y, 0.2, seed=1)
    assert np.array_equal(train, again) and not np.array_equal(train, other)
