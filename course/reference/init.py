"""Xavier and He initialisation, as written in notebook 6."""
import numpy as np

LESSON = "06_why_training_fails"
__all__ = ["xavier_init", "he_init"]


def _normal_init(layers_dims, rng, variance):
    params = {}
    for l in range(1, len(layers_dims)):
        n_in, n_out = layers_dims[l - 1], layers_dims[l]
        params[f"W{l}"] = rng.normal(scale=np.sqrt(variance(n_in, n_out)), size=(n_in, n_out))
        params[f"b{l}"] = np.zeros((1, n_out))
    return params


def xavier_init(layers_dims, rng):
    """W(l) ~ N(0, 2 / (n(l-1) + n(l))), drawn in layer order from rng; b(l) zeros of shape (1, n(l))."""
    return _normal_init(layers_dims, rng, lambda n_in, n_out: 2 / (n_in + n_out))


def he_init(layers_dims, rng):
    """W(l) ~ N(0, 2 / n(l-1)), drawn in layer order from rng; b(l) zeros of shape (1, n(l))."""
    return _normal_init(layers_dims, rng, lambda n_in, n_out: 2 / n_in)
