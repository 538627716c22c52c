"""The checks of notebook 7: mini-batches, L2 weight decay, inverted dropout, early stopping, batch normalisation.

Results are compared with the values the course's reference answers gave on
the same inputs (course/data/expected/07_generalisation.json), or with an
independent method: properties every correct answer has (every sample once
per epoch, inputs left unchanged, an expected value kept), and finite
differences (course.reference.gradcheck, notebook 3) of the student's own
batch normalisation. The gradients that `l2_gradients` receives come from
the NN class of notebook 4 (course.reference.nn); the networks
that early stopping trains are the notebook's locked `Scripted` stand-in,
whose epochs and validation costs are known in advance.
"""
import numpy as np

from course.checks.expected import Expected
from course.checks.primitives import (
    CheckFailed,
    check_array,
    check_keys,
    check_scalar,
    check_shape,
    check_tuple,
    check_type,
    item,
)
from course.probe.builders import InKernel
from course.reference.gradcheck import numerical_gradient, relative_error
from course.reference.nn import NN, activation_output_dict, activation_relu_dict, loss_dict

EXPECTED = Expected("07_generalisation")


# Exercise 1: minibatches

def _batches(call, batches):
    """[(X_batch, Y_batch), ...] of a result that should be a list of pairs of arrays."""
    __tracebackhide__ = True
    check_type(call, batches, list)
    pairs = []
    for k in range(len(batches)):
        pair = item(call, batches, k)
        x_batch, y_batch = item(f"{call}[{k}]", pair, 0), item(f"{call}[{k}]", pair, 1)
        check_type(f"{call}[{k}][0] (the X_batch of batch {k})", x_batch, np.ndarray)
        check_type(f"{call}[{k}][1] (the Y_batch of batch {k})", y_batch, np.ndarray)
        pairs.append((x_batch, y_batch))
    return pairs


def _epoch(minibatches, X, batch_size, rng):
    """The rows of X in the order one call of minibatches(X, X, batch_size, rng) serves them, as a flat list."""
    __tracebackhide__ = True
    call = f"minibatches(X, X, {batch_size}, rng)"
    pairs = _batches(call, minibatches(X, X, batch_size, rng))
    if not pairs:
        raise CheckFailed(f"{call} for {len(X)} samples should hold at least one batch, but it is an empty list.")
    return np.concatenate([x_batch for x_batch, _ in pairs]).ravel().tolist()


def check_minibatches(minibatches):
    """Ten samples in batches of 4: the sizes, the rows of every batch, and X left as it was."""
    __tracebackhide__ = True
    X = np.arange(20.0).reshape(10, 2)
    Y = np.arange(10) * 10
    call = "minibatches(X, Y, 4, np.random.default_rng(0))"
    pairs = _batches(call, minibatches(X, Y, 4, np.random.default_rng(0)))
    EXPECTED.check(f"the batch sizes of {call} for n = 10", [len(x_batch) for x_batch, _ in pairs])
    for k, (x_batch, y_batch) in enumerate(pairs):
        EXPECTED.check(f"{call}[{k}][0] (the rows of X in batch {k})", x_batch)
        EXPECTED.check(f"{call}[{k}][1] (the labels of the same rows as X_batch {k})", y_batch)
    check_array(f"X after {call} (it should not change)", X, np.arange(20.0).reshape(10, 2))
    check_array(f"Y after {call} (it should not change)", Y, np.arange(10) * 10)


def check_minibatches_shuffle(minibatches):
    """Every sample once per epoch, a new order on every call, the same order from the same seed."""
    __tracebackhide__ = True
    X = np.arange(30.0).reshape(30, 1)
    rng = np.random.default_rng(5)
    first, second = _epoch(minibatches, X, 7, rng), _epoch(minibatches, X, 7, rng)
    check_array("the samples of one epoch of minibatches(X, X, 7, rng), sorted (each exactly once)",
                np.sort(first), X.ravel())
    if first == sorted(first):
        raise CheckFailed("minibatches(X, X, 7, rng) served the samples in their original order: "
                          "draw the order with rng.permutation(n).")
    if first == second:
        raise CheckFailed("two calls of minibatches(X, X, 7, rng) with the same generator gave the same order: "
                          "draw a new permutation from rng on every call.")
    check_array("the first epoch again, from a new generator with the same seed (draw the order from rng, "
                "not from np.random)", np.array(_epoch(minibatches, X, 7, np.random.default_rng(5))),
                np.array(first))


# Exercise 2: l2_penalty and l2_gradients

def _example_params():
    return {"W1": np.array([[1.0, -2.0], [0.0, 3.0]]), "b1": np.array([[5.0, 5.0]]),
            "W2": np.array([[4.0], [-1.0]]), "b2": np.array([[7.0]])}


def check_l2_penalty(l2_penalty):
    """W1 = [[1, -2], [0, 3]], W2 = [[4], [-1]], and biases that must not count."""
    __tracebackhide__ = True
    where = "for W1 = [[1, -2], [0, 3]], b1 = [[5, 5]], W2 = [[4], [-1]], b2 = [[7]]"
    EXPECTED.check(f"l2_penalty(params, 0.1) {where}", l2_penalty(_example_params(), 0.1))
    EXPECTED.check(f"l2_penalty(params, 0.0) {where}", l2_penalty(_example_params(), 0.0))


def _network_gradients():
    """The parameters and the gradients of one backward pass of a [3, 5, 2] ReLU network of notebook 4."""
    net = NN([3, 5, 2], activation_relu_dict, activation_output_dict, loss_dict, seed=1)
    rng = np.random.default_rng(1)
    net.params = {key: rng.normal(size=value.shape) for key, value in net.params.items()}
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    return net.params, net.backward_pass(X, Y, net.forward_pass(X, training=True))


def check_l2_gradients(l2_gradients):
    """The gradients of a [3, 5, 2] network with lam = 0.3: a new dictionary, every entry as it should be."""
    __tracebackhide__ = True
    params, grads = _network_gradients()
    kept = {key: value.copy() for key, value in grads.items()}
    call = "l2_gradients(grads, params, 0.3)"
    penalised = l2_gradients(grads, params, 0.3)
    check_keys(call, penalised, list(grads))
    for key in grads:
        check_array(f"grads[{key!r}] after {call} (the caller's gradients should not change)", grads[key], kept[key])
    for key in grads:
        role = {"W": "the gradient of the penalised cost", "b": "the biases are not penalised",
                "Z": "it should be copied unchanged"}[key[1]]
        EXPECTED.check(f"{call}[{key!r}] for a [3, 5, 2] network ({role})", penalised[key])


# Exercise 3: dropout_forward and dropout_backward

def check_dropout_forward(dropout_forward):
    """The mask drawn from rng, the kept entries scaled, X unchanged, and no dropout at test time."""
    __tracebackhide__ = True
    X = np.arange(1.0, 13.0).reshape(3, 4)
    call = "dropout_forward(X, 0.75, np.random.default_rng(0))"
    out, mask = check_tuple(f"{call} (the pair (output, mask))", dropout_forward(X, 0.75, np.random.default_rng(0)),
                            2)
    check_type(f"the mask of {call}", mask, np.ndarray)
    check_shape(f"the mask of {call}", mask, (3, 4))
    EXPECTED.check(f"the mask of {call}, as 0 and 1", mask.astype(float))
    EXPECTED.check(f"{call} for X = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]", out)
    check_array(f"X after {call} (it should not change)", X, np.arange(1.0, 13.0).reshape(3, 4))
    call = "dropout_forward(X, 0.75, np.random.default_rng(0), training=False)"
    out, mask = check_tuple(f"{call} (the pair (output, mask))",
                            dropout_forward(X, 0.75, np.random.default_rng(0), training=False), 2)
    check_array(f"{call} (no dropout and no scaling at test time)", out, np.arange(1.0, 13.0).reshape(3, 4))
    if mask is not None:
        raise CheckFailed(f"the mask of {call} should be None, but it is a {type(mask).__name__}.")


def check_dropout_expectation(dropout_forward):
    """On 200 000 ones: the mean stays 1 and a share 1 - keep_prob of the entries is dropped."""
    __tracebackhide__ = True
    ones = np.ones((500, 400))
    for keep_prob in (0.5, 0.8):
        call = f"dropout_forward(ones, {keep_prob}, rng)"
        out, _ = check_tuple(f"{call} (the pair (output, mask))",
                             dropout_forward(ones, keep_prob, np.random.default_rng(6)), 2)
        check_shape(call, out, ones.shape)
        check_scalar(f"the mean of {call} (inverted dropout keeps the expected value 1)", float(np.mean(out)), 1.0,
                     rtol=0, atol=0.01)
        check_scalar(f"the share of dropped entries of {call}", float(np.mean(out == 0)), 1 - keep_prob,
                     rtol=0, atol=0.01)


def check_dropout_backward(dropout_backward):
    """A 4 x 5 upstream gradient through a fixed mask with keep_prob 0.6."""
    __tracebackhide__ = True
    dX_tilde = np.random.default_rng(8).normal(size=(4, 5))
    mask = np.arange(20).reshape(4, 5) % 3 != 1
    kept = dX_tilde.copy()
    rows = " / ".join(" ".join(str(int(v)) for v in row) for row in mask.tolist())
    call = f"dropout_backward(dX_tilde, mask, 0.6) for the mask {rows}"
    EXPECTED.check(call, dropout_backward(dX_tilde, mask, 0.6))
    check_array("dX_tilde after dropout_backward (it should not change)", dX_tilde, kept)


# Exercise 4: train_with_early_stopping

class Scripted(metaclass=InKernel):
    """The notebook's stand-in network: each epoch adds 1 to W1 in place; the validation costs follow a script.

    Built in the student's kernel even when the grader's judge runs the test (course.probe.builders)."""

    def __init__(self, costs):
        self.params = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}
        self.script, self.epochs = list(costs), 0

    def epoch(self):
        self.params["W1"] += 1.0
        self.epochs += 1

    def cost(self):
        return self.script[self.epochs - 1]


CURVE = [5.0, 4.0, 3.0, 3.5, 3.2, 3.0, 2.9, 4.0]
RECOVERING = [4.0, 4.5, 3.0, 3.5, 2.0, 2.5, 1.5]  # with patience 2, each worse epoch is followed by a new best


def _run(train_with_early_stopping, network_class, costs, max_epochs, patience):
    """(net, best_epoch, costs returned) of one run on a scripted validation curve."""
    __tracebackhide__ = True
    net = network_class(costs)
    call = f"train_with_early_stopping(net, ..., max_epochs={max_epochs}, patience={patience})"
    result = train_with_early_stopping(net, net.epoch, net.cost, max_epochs=max_epochs, patience=patience)
    check_type(f"{call} (the pair (best_epoch, costs))", result, tuple)
    return net, item(call, result, 0), item(call, result, 1)


def check_early_stopping(train_with_early_stopping, Scripted=Scripted):
    """Patience 3 on the costs 5, 4, 3, 3.5, 3.2, 3, 2.9, 4: the best epoch, the epochs run, the costs returned."""
    __tracebackhide__ = True
    net, best, costs = _run(train_with_early_stopping, Scripted, CURVE, 8, 3)
    curve = "on the validation costs 5, 4, 3, 3.5, 3.2, 3, 2.9, 4 with patience 3"
    EXPECTED.check(f"the best epoch {curve} (a cost equal to the best is not an improvement)", best)
    EXPECTED.check(f"the number of epochs run {curve} (stop when patience epochs have passed since the best one)",
                   net.epochs)
    check_type(f"the costs returned {curve}", costs, (list, tuple, np.ndarray))
    EXPECTED.check(f"the costs returned {curve}", np.asarray(costs, dtype=float))
    net, best, _ = _run(train_with_early_stopping, Scripted, RECOVERING, 7, 2)
    curve = "on the validation costs 4, 4.5, 3, 3.5, 2, 2.5, 1.5 with patience 2"
    EXPECTED.check(f"the number of epochs run {curve} (the count of worse epochs starts again at each new best)",
                   net.epochs)
    EXPECTED.check(f"the best epoch {curve}", best)


def check_early_stopping_restores(train_with_early_stopping, Scripted=Scripted):
    """The parameters of the best epoch are back in net.params, although every epoch changed W1 in place."""
    __tracebackhide__ = True
    net, _, _ = _run(train_with_early_stopping, Scripted, CURVE, 8, 3)
    params = net.params
    check_type("net.params after early stopping", params, dict)
    EXPECTED.check("net.params['W1'] after early stopping on the costs 5, 4, 3, 3.5, 3.2, 3, 2.9, 4 with patience 3 "
                   "(W1 counts the epochs: it should hold the weights of the best epoch)",
                   item("net.params", params, "W1"))
    EXPECTED.check("net.params['b1'] after early stopping", item("net.params", params, "b1"))


# Exercise 5: batchnorm_forward and batchnorm_backward

def check_batchnorm_forward(batchnorm_forward):
    """Four samples of two neurons: U, then the column means and variances with gamma = 1, beta = 0."""
    __tracebackhide__ = True
    Z = np.array([[1.0, 10.0], [2.0, 10.0], [3.0, 40.0], [6.0, 20.0]])
    gamma, beta = np.array([[2.0, 1.0]]), np.array([[0.5, -1.0]])
    call = "batchnorm_forward(Z, gamma, beta)"
    result = batchnorm_forward(Z, gamma, beta)
    check_type(f"{call} (the pair (U, cache))", result, tuple)
    EXPECTED.check(f"{call} for Z = [[1, 10], [2, 10], [3, 40], [6, 20]], gamma = [[2, 1]], beta = [[0.5, -1]]",
                   item(call, result, 0))
    call = "batchnorm_forward(Z, np.ones((1, 2)), np.zeros((1, 2)))"
    U = item(call, batchnorm_forward(Z, np.ones((1, 2)), np.zeros((1, 2))), 0)
    check_shape(call, U, Z.shape)
    check_array(f"the column means of {call}", U.mean(axis=0), [0.0, 0.0], atol=1e-9)
    EXPECTED.check(f"the column variances of {call} (just below 1, because of eps)", U.var(axis=0))


def check_batchnorm_backward(batchnorm_backward, batchnorm_forward):
    """dZ, dgamma and dbeta against finite differences of sum(dU * U), U from your batchnorm_forward."""
    __tracebackhide__ = True
    rng = np.random.default_rng(10)
    Z, dU = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    gamma, beta = rng.normal(size=(1, 4)), rng.normal(size=(1, 4))
    forward = batchnorm_forward(Z, gamma, beta)
    check_type("batchnorm_forward(Z, gamma, beta) (the pair (U, cache))", forward, tuple)
    call = "batchnorm_backward(dU, cache)"
    result = batchnorm_backward(dU, item("batchnorm_forward(Z, gamma, beta)", forward, 1))
    check_type(f"{call} (the triple (dZ, dgamma, dbeta))", result, tuple)
    if len(result) != 3:
        raise CheckFailed(f"{call} should return 3 items (dZ, dgamma, dbeta), but it returns {len(result)}.")

    def cost(_):
        return float(np.sum(dU * batchnorm_forward(Z, gamma, beta)[0]))

    dZ, dgamma, dbeta = result
    check_shape(f"dZ, item 0 of {call}", dZ, Z.shape)
    check_shape(f"dgamma, item 1 of {call}", dgamma, gamma.shape)
    check_shape(f"dbeta, item 2 of {call}", dbeta, beta.shape)
    for name, value, wrt in [("dbeta", dbeta, beta), ("dgamma", dgamma, gamma), ("dZ", dZ, Z)]:
        error = relative_error(value, numerical_gradient(cost, wrt))
        if not error < 1e-6:
            raise CheckFailed(f"{name} of {call} differs from the finite differences of your batchnorm_forward: "
                              f"relative error {error:.1e}.")
