"""Layer indices and parameter shapes, as written in notebook 1."""
LESSON = "01_notation"
__all__ = ["output_layer", "parameter_shapes", "count_parameters", "weight", "weights_leaving", "weights_arriving"]


def output_layer(layers_dims):
    return len(layers_dims) - 1


def parameter_shapes(layers_dims):
    shapes = {}
    for l in range(1, len(layers_dims)):
        shapes[f"W{l}"], shapes[f"b{l}"] = (layers_dims[l - 1], layers_dims[l]), (1, layers_dims[l])
    return shapes


def count_parameters(layers_dims):
    return sum((n_prev + 1) * n for n_prev, n in zip(layers_dims[:-1], layers_dims[1:], strict=False))


def weight(params, l, i, j):
    return params[f"W{l}"][i - 1, j - 1]


def weights_leaving(params, l, i):
    return params[f"W{l + 1}"][i - 1, :]


def weights_arriving(params, l, j):
    return params[f"W{l}"][:, j - 1]
