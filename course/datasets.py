"""The real datasets shipped in course/data (sources and licences in its README)."""
import gzip
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"


def _load(name):
    """(features, target, feature names) from a shipped gzipped CSV whose last column is the target."""
    path = DATA / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the course's datasets ship with the repository "
                                "(course/data); restore it with "
                                f"`git checkout -- {path.relative_to(DATA.parent.parent)}`")
    try:
        with gzip.open(path, "rt") as f:
            header = f.readline().strip().split(",")
            table = np.loadtxt(f, delimiter=",", ndmin=2)
    except (OSError, EOFError, ValueError) as error:
        raise ValueError(f"{path} is damaged ({error}); restore it with "
                         f"`git checkout -- {path.relative_to(DATA.parent.parent)}`") from error
    return table[:, :-1], table[:, -1], header[:-1]


def load_diabetes():
    """X (442, 10) in original units, y (442,) disease progression, and the feature names."""
    return _load("diabetes.csv.gz")


def load_breast_cancer():
    """X (569, 30), y (569,) with 1 = benign and 0 = malignant, and the feature names."""
    X, y, names = _load("breast_cancer.csv.gz")
    return X, y.astype(int), names


def load_digits():
    """X (1797, 64) pixel counts 0..16 (8 x 8 images, row by row), y (1797,) digits 0..9."""
    X, y, _ = _load("digits.csv.gz")
    return X, y.astype(int)


def stratified_split(y, test_fraction=0.2, seed=0):
    """(train indices, test indices): the same share of every class in each part, shuffled with `seed`."""
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    test = []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test.extend(members[: int(round(test_fraction * len(members)))])
    test = np.sort(np.array(test, dtype=int))
    return np.setdiff1d(np.arange(len(y)), test), test
