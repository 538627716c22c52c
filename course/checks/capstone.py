"""The checks of notebook 9, the capstone: the student's `predict(X)`, and its accuracy on a held-out test set.

`check_capstone_predict` (visible) runs `predict` on a small public sample of MNIST-1D and checks what comes back:
one integer label 0..9 per row, the same labels whatever the batch and the order, X left unchanged.

`check_capstone_heldout` (hidden; one test cell per band) scores `predict` on a held-out set that no repository and
no release contains. The set is drawn with course.mnist1d.make_dataset from a seed hashed from a secret, the
environment variable COURSE_CAPSTONE_SECRET of the process the check runs in. Under the course's grader that is the
grader's own process (the judge); the student's kernel runs sandboxed, with an environment from a short whitelist and
no view of the grader's files, so it never has the secret: only the held-out signals X reach `predict`, never their
labels. Nothing is computed when this module is imported.

`predict` labels the held-out set twice: in order, in chunks of 1000, and again reshuffled, in chunks of another
size. An honest `predict` labels each row on its own, so both passes agree; one whose labels depend on the order, the
batch or its own state (a hard-coded sequence, dropout left on, statistics of the batch) does not, and fails every
band. A band is passed when both passes reach its accuracy.
"""
import hashlib
import os

import numpy as np

from course.checks.primitives import CheckFailed, _describe, check_array, verify_untouched
from course.mnist1d import CLASSES, LENGTH, make_dataset

SECRET_ENV = "COURSE_CAPSTONE_SECRET"
BANDS = (25, 50, 63, 70)  # held-out accuracy, in percent, of bands 1 .. 4: one test cell and its points each
HELDOUT_SIZE = 5000
CHUNK, RESHUFFLED_CHUNK = 1000, 700
AGREEMENT = 0.995  # the share of held-out signals that must get the same label in both passes
PUBLIC_SEED, PUBLIC_SIZE = 909, 120  # the visible check's sample: public, and never part of the held-out set
_SALT = b"course capstone held-out set, version 1\0"

NOT_HERE = ("the held-out test set is not available here: it is drawn only where the course's grader runs. "
            "To see your band, grade your notebook with `make check NB=<your notebook>`.")


def _integer(seed_bytes):
    return int.from_bytes(hashlib.sha256(_SALT + seed_bytes).digest(), "big")


def heldout_seed(secret):
    """The 256-bit seed of the held-out set for this secret (a non-empty string)."""
    if type(secret) is not str or not secret:
        raise ValueError("the capstone's secret should be a non-empty string")
    return _integer(b"set\0" + secret.encode())


def heldout_set(secret):
    """(X, y): the held-out set of this secret, HELDOUT_SIZE signals and their digits."""
    return make_dataset(HELDOUT_SIZE, heldout_seed(secret))


def _reshuffle(secret):
    return np.random.default_rng(_integer(b"reshuffle\0" + secret.encode())).permutation(HELDOUT_SIZE)


def _secret():
    """The secret, from this process's environment only (never from the student's kernel)."""
    __tracebackhide__ = True
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        raise CheckFailed(NOT_HERE)
    return secret


def _check_callable(predict):
    __tracebackhide__ = True
    if not callable(predict) or getattr(predict, "_callable", True) is False:  # _callable: a handle to a kernel object
        raise CheckFailed(f"predict should be a function, predict(X) -> labels, but it is {_described(predict)}.")


def _described(value):
    remote = getattr(type(value), "_remote_description", None)
    return remote(value) if callable(remote) else _describe(value)


def _dtype_kind(got):
    """The dtype's kind letter of an array, also of one that stayed in the kernel (strings, objects); or None."""
    try:
        kind = got.dtype.kind
    except Exception:  # noqa: BLE001 (anything without a dtype)
        return None
    return kind if type(kind) is str else None


def _labels(call, got, n):
    """`got` as an int array of n labels 0..9, or CheckFailed saying what is wrong with it."""
    __tracebackhide__ = True
    verify_untouched()
    what = f"{call} should return a numpy array of {n} integer labels 0..9, one per row of X"
    if not isinstance(got, np.ndarray):
        kind = _dtype_kind(got)
        if kind in ("U", "S"):
            raise CheckFailed(f"{call} holds strings; it should hold integer labels 0..9 (for example "
                              "np.argmax(scores, axis=1)).")
        if kind == "O":
            raise CheckFailed(f"{call} is an array of Python objects; it should hold integer labels 0..9.")
        raise CheckFailed(f"{what}, but it returned {_described(got)}.")
    if got.shape != (n,):
        hint = ""
        if got.shape == (n, CLASSES):
            hint = " It looks like one score or probability per class: return np.argmax(..., axis=1)."
        elif got.shape == (n, 1) or got.shape == (1, n):
            hint = " Flatten it with .ravel()."
        raise CheckFailed(f"{what}, so of shape ({n},), but its shape is {got.shape}.{hint}")
    if got.dtype.kind in ("U", "S"):
        raise CheckFailed(f"{call} holds strings such as {str(got[0])!r}; it should hold integer labels 0..9.")
    if got.dtype.kind not in "iuf":
        raise CheckFailed(f"{what}, but its entries are of type {got.dtype}.")
    values = got.astype(float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise CheckFailed(f"{call} holds {values[bad[0]]} at index {bad[0]} ({bad.size} such entries); it should "
                          "hold integer labels 0..9.")
    bad = np.flatnonzero((values != np.round(values)) | (values < 0) | (values > CLASSES - 1))
    if bad.size:
        raise CheckFailed(f"{call} holds {got[bad[0]].item()!r} at index {bad[0]}, which is not a digit 0..9 "
                          f"({bad.size} such entries).")
    return values.astype(int)


def _predict(predict, X, chunk, what):
    """predict's labels for the rows of X, asked for `chunk` rows at a time (each call gets a copy of its rows)."""
    __tracebackhide__ = True
    labels = []
    for start in range(0, X.shape[0], chunk):
        rows = np.array(X[start:start + chunk])
        labels.append(_labels(f"predict(X) for {rows.shape[0]} {what}", predict(rows), rows.shape[0]))
    return np.concatenate(labels)


def check_capstone_predict(predict):
    """predict on 120 public MNIST-1D signals: a label 0..9 per row, the same in any batch or order; X unchanged."""
    __tracebackhide__ = True
    _check_callable(predict)
    X, _ = make_dataset(PUBLIC_SIZE, PUBLIC_SEED)
    shown = f"X = {PUBLIC_SIZE} signals of MNIST-1D, shape ({PUBLIC_SIZE}, {LENGTH})"
    given = X.copy()
    labels = _labels(f"predict(X), for {shown},", predict(given), PUBLIC_SIZE)
    check_array("X after predict(X) (it should not change)", given, X)
    one = _labels("predict(X[:1]), for the first row alone,", predict(X[:1].copy()), 1)
    if one[0] != labels[0]:
        raise CheckFailed(f"predict(X[:1]) gives the first signal the label {one[0]}, but predict(X) gives it "
                          f"{labels[0]}: predict should label each row on its own. Does it use statistics of the "
                          "batch (its mean, batch normalisation in training mode) or leave dropout on?")
    order = np.random.default_rng(PUBLIC_SEED).permutation(PUBLIC_SIZE)
    shuffled = _labels("predict(X[order]), for the rows in another order,", predict(X[order]), PUBLIC_SIZE)
    moved = np.flatnonzero(shuffled != labels[order])
    if moved.size:
        raise CheckFailed(f"predict gives {moved.size} of {PUBLIC_SIZE} signals another label when the rows come in "
                          "another order: it should label each row on its own, the same every time.")


def score_heldout(predict, secret):
    """(accuracy in order, accuracy reshuffled, share of signals labelled alike in both) on the held-out set."""
    __tracebackhide__ = True
    X, y = heldout_set(secret)
    first = _predict(predict, X, CHUNK, "held-out signals")
    order = _reshuffle(secret)
    second = np.empty_like(first)
    second[order] = _predict(predict, X[order], RESHUFFLED_CHUNK, "held-out signals, reshuffled")
    return (int(np.sum(first == y)) / HELDOUT_SIZE, int(np.sum(second == y)) / HELDOUT_SIZE,
            float(np.mean(first == second)))


def band_of(accuracy):
    """The highest band (0 .. len(BANDS)) that this accuracy (a fraction) reaches."""
    return sum(1 for threshold in BANDS if round(accuracy * 100, 6) >= threshold)


def check_capstone_heldout(predict, band):
    """Band `band` (1 .. 4) of the capstone: predict reaches BANDS[band - 1] percent on the held-out set, both in
    order and reshuffled, and labels the reshuffled signals as it labelled them in order."""
    __tracebackhide__ = True
    if type(band) is not int or not 1 <= band <= len(BANDS):
        raise ValueError(f"band should be one of 1 .. {len(BANDS)}")
    secret = _secret()
    _check_callable(predict)
    accuracy, reshuffled, agreement = score_heldout(predict, secret)
    if agreement < AGREEMENT:
        differ = round((1 - agreement) * HELDOUT_SIZE)
        raise CheckFailed(f"predict gave {differ} of {HELDOUT_SIZE} held-out signals a different label when they "
                          "came again, reshuffled and in batches of another size: it should label each row on its "
                          "own, the same every time (no state kept between calls, no statistics of the batch, "
                          "dropout off).")
    worst = min(accuracy, reshuffled)
    threshold = BANDS[band - 1]
    reached = band_of(worst)
    line = (f"held-out accuracy {accuracy:.1%} on {HELDOUT_SIZE} signals ({reshuffled:.1%} reshuffled): "
            f"band {reached} of {len(BANDS)}")
    if reached < band:
        raise CheckFailed(f"{line}; band {band} needs {threshold}% (the bands: "
                          f"{', '.join(f'{t}%' for t in BANDS)}).")
    print(f"{line}; band {band} needs {threshold}%: reached.")
    return worst
