"""The course's version of notebook 2's loop exercise: right on any network, loops only, inputs untouched."""
import ast
import inspect

import numpy as np
import pytest

from course.reference import forward_pass
from course.worked_example import make_dataset, parameters


def _network(dims, rng):
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.normal(size=(dims[l - 1], dims[l]))
        params[f"b{l}"] = rng.normal(size=(1, dims[l]))
    return params


def _with_matrices(X, params):
    L = len(params) // 2
    for l in range(1, L + 1):
        Z = X @ params[f"W{l}"] + params[f"b{l}"]
        X = Z if l == L else np.maximum(0, Z)
    return X


def test_forward_loop_gives_the_worked_example_s_predictions():
    X, _ = make_dataset()
    np.testing.assert_allclose(forward_pass.forward_loop(X, parameters()), forward_pass.X3, rtol=1e-12)


@pytest.mark.parametrize("dims", [[1, 1], [5, 1], [2, 7, 3], [4, 3, 3, 3, 3, 2], [6, 1, 4]])
def test_forward_loop_agrees_with_the_matrix_products_and_changes_nothing(dims):
    rng = np.random.default_rng(len(dims))
    params = _network(dims, rng)
    X = rng.normal(size=(5, dims[0]))
    before = {"X": X.copy(), **{k: v.copy() for k, v in params.items()}}
    out = forward_pass.forward_loop(X, params)
    assert isinstance(out, np.ndarray) and out.shape == (5, dims[-1])
    np.testing.assert_allclose(out, _with_matrices(X, params), rtol=1e-10, atol=1e-12)
    for key, value in {"X": X, **params}.items():
        np.testing.assert_array_equal(value, before[key])


def test_forward_loop_uses_no_matrix_product():
    """Notebook 2 times the course's version when a student's is unfinished: it must be as slow as loops are."""
    tree = ast.parse(inspect.getsource(forward_pass.forward_loop))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.MatMult)]
    assert not {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)} & {"dot", "matmul", "maximum"}
