"""Mini-batches, the L2 penalty, inverted dropout, early stopping and batch normalisation, as written in notebook 7."""
import numpy as np

LESSON = "07_generalisation"
__all__ = ["minibatches", "l2_penalty", "l2_gradients", "dropout_forward", "dropout_backward", "forward_with_dropout",
           "backward_with_dropout", "train_with_early_stopping", "batchnorm_forward", "batchnorm_backward"]


def minibatches(X, Y, batch_size, rng):
    """[(X_batch, Y_batch)]: the rows in the order rng.permutation(n), cut into batches; the last keeps the rest."""
    order = rng.permutation(X.shape[0])
    return [(X[order[start:start + batch_size]], Y[order[start:start + batch_size]])
            for start in range(0, X.shape[0], batch_size)]


def l2_penalty(params, lam):
    """(lam / 2) * the sum of the squares of all the weights; the biases are not penalised."""
    return float(lam / 2 * sum(np.sum(W ** 2) for key, W in params.items() if key.startswith("W")))


def l2_gradients(grads, params, lam):
    """A new dictionary: grads with lam * W(l) added to every dW(l)."""
    new = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            new["d" + key] = grads["d" + key] + lam * W
    return new


def dropout_forward(X, keep_prob, rng, training=True):
    """(X * mask / keep_prob, mask) with mask = rng.random(X.shape) < keep_prob; (X, None) when not training."""
    if not training:
        return X, None
    mask = rng.random(X.shape) < keep_prob
    return X * mask / keep_prob, mask


def dropout_backward(dX_tilde, mask, keep_prob):
    """The gradient with respect to X, given the gradient with respect to the dropout's output."""
    return dX_tilde * mask / keep_prob


def forward_with_dropout(net, X, keep_prob, rng):
    """net.forward_pass(X, training=True) with inverted dropout after every hidden layer: (values, masks).

    `masks` maps each hidden layer l to its mask; with keep_prob = 1 nothing is dropped or drawn.
    """
    values, masks = {"x0": X}, {}
    for l in range(1, net.L):
        values[f"z{l}"] = values[f"x{l - 1}"] @ net.params[f"W{l}"] + net.params[f"b{l}"]
        values[f"x{l}"] = net.a[l]["activation"](values[f"z{l}"])
        if l < net.L - 1 and keep_prob < 1:
            values[f"x{l}"], masks[l] = dropout_forward(values[f"x{l}"], keep_prob, rng)
    return values, masks


def backward_with_dropout(net, Y, values, masks, keep_prob):
    """net.backward_pass for these values, with the gradient sent back through each dropped layer's mask."""
    grads, last = {}, net.L - 1
    dZ = net.loss_function["derivative"](values[f"x{last}"], Y) * net.a[last]["derivative"](values[f"z{last}"])
    for l in range(last, 0, -1):
        grads[f"dW{l}"] = values[f"x{l - 1}"].T @ dZ
        grads[f"db{l}"] = dZ.sum(axis=0, keepdims=True)
        if l > 1:
            dX = dZ @ net.params[f"W{l}"].T
            if l - 1 in masks:
                dX = dropout_backward(dX, masks[l - 1], keep_prob)
            dZ = dX * net.a[l - 1]["derivative"](values[f"z{l - 1}"])
    return grads


def train_with_early_stopping(net, train_one_epoch, validation_cost, max_epochs, patience):
    """(best_epoch, costs): stop after `patience` epochs without a new lowest cost, and put the best parameters back."""
    best = (np.inf, 0, {key: value.copy() for key, value in net.params.items()})
    costs = []
    for epoch in range(1, max_epochs + 1):
        train_one_epoch()
        costs.append(validation_cost())
        if costs[-1] < best[0]:
            best = (costs[-1], epoch, {key: value.copy() for key, value in net.params.items()})
        elif epoch - best[1] >= patience:
            break
    net.params = best[2]
    return best[1], costs


def batchnorm_forward(Z, gamma, beta, eps=1e-5):
    """(gamma * Z_hat + beta, cache), Z_hat being each column of Z standardised over the batch."""
    spread = np.sqrt(Z.var(axis=0, keepdims=True) + eps)
    Z_hat = (Z - Z.mean(axis=0, keepdims=True)) / spread
    return gamma * Z_hat + beta, (Z_hat, gamma, spread)


def batchnorm_backward(dU, cache):
    """(dZ, dgamma, dbeta) from the gradient with respect to the batch-normalised output."""
    Z_hat, gamma, spread = cache
    dZ_hat = dU * gamma
    dZ = (dZ_hat - dZ_hat.mean(axis=0, keepdims=True) - Z_hat * (dZ_hat * Z_hat).mean(axis=0, keepdims=True)) / spread
    return dZ, (dU * Z_hat).sum(axis=0, keepdims=True), dU.sum(axis=0, keepdims=True)
