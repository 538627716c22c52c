"""Plausible wrong answers, each of which the graded tests must catch.

A mistake is an edit of one reference answer: in the solution cell `cell`,
the text `old` is replaced by `new` (tuples for several replacements), the
way a student might get it wrong.
test_wrong_answers.py autogrades every one with nbgrader and checks that it
loses points in that exercise's own test cells; a mistake marked `visible`
must also fail one of them with the hidden tests left out, as a learner's
Validate runs them.
"""
import re
from dataclasses import dataclass

from tests.support.environment import REPO
from tests.support.names import attributes, bindings, free_names


@dataclass(frozen=True)
class Mistake:
    cell: str
    what: str
    old: str | tuple
    new: str | tuple
    visible: bool = False  # a mistake the lesson warns about: the visible tests alone must catch it


MISTAKES = {
    "01_notation": [
        Mistake("output_layer", "returns the number of layers (the two meanings of L)",
                "len(layers_dims) - 1", "len(layers_dims)"),
        Mistake("output_layer", "returns the number of hidden layers",
                "len(layers_dims) - 1", "len(layers_dims) - 2"),
        Mistake("output_layer", "hard-codes the visible test's answer",
                "return len(layers_dims) - 1", "return 3"),
        Mistake("parameter_shapes", "transposes W: n(l) rows and n(l-1) columns",
                "(layers_dims[l - 1], layers_dims[l])", "(layers_dims[l], layers_dims[l - 1])"),
        Mistake("parameter_shapes", "makes b one-dimensional",
                "(1, layers_dims[l])", "(layers_dims[l],)"),
        Mistake("parameter_shapes", "makes b a column",
                "(1, layers_dims[l])", "(layers_dims[l], 1)"),
        Mistake("parameter_shapes", "stops one layer early",
                "range(1, len(layers_dims))", "range(1, len(layers_dims) - 1)"),
        Mistake("parameter_shapes", "numbers the layers from 0",
                'shapes[f"W{l}"]', 'shapes[f"W{l - 1}"]'),
        Mistake("parameter_shapes", "hard-codes the example network",
                "    shapes = {}\n    for l in range(1, len(layers_dims)):",
                "    shapes = {'W1': (2, 3), 'b1': (1, 3), 'W2': (3, 2), 'b2': (1, 2), 'W3': (2, 1), 'b3': (1, 1)}\n"
                "    for l in []:"),
        Mistake("count_parameters", "forgets the biases",
                " + layers_dims[l] for l", " for l"),
        Mistake("count_parameters", "counts neurons instead of parameters",
                "return sum(layers_dims[l - 1] * layers_dims[l] + layers_dims[l] for l in range(1, len(layers_dims)))",
                "return sum(layers_dims)"),
        Mistake("count_parameters", "gives the input layer biases too",
                "for l in range(1, len(layers_dims)))", "for l in range(1, len(layers_dims))) + layers_dims[0]"),
        Mistake("count_parameters", "hard-codes the visible test's answer",
                "return sum(layers_dims[l - 1] * layers_dims[l] + layers_dims[l] for l in range(1, len(layers_dims)))",
                "return 20"),
        Mistake("weight", "reads the subscripts the other way round (to, from)",
                "[i - 1, j - 1]", "[j - 1, i - 1]"),
        Mistake("weight", "forgets that NumPy counts from 0",
                "[i - 1, j - 1]", "[i, j]"),
        Mistake("weight", "looks in the previous layer's matrix",
                'params[f"W{l}"]', 'params[f"W{l - 1}"]'),
        Mistake("leaving_arriving", "takes the leaving weights from W(l) instead of W(l+1)",
                'params[f"W{l + 1}"][i - 1, :]', 'params[f"W{l}"][i - 1, :]'),
        Mistake("leaving_arriving", "takes a column for the leaving weights",
                'params[f"W{l + 1}"][i - 1, :]', 'params[f"W{l + 1}"][:, i - 1]'),
        Mistake("leaving_arriving", "takes a row for the arriving weights",
                'params[f"W{l}"][:, j - 1]', 'params[f"W{l}"][j - 1, :]'),
        Mistake("leaving_arriving", "takes the arriving weights from W(l+1)",
                'params[f"W{l}"][:, j - 1]', 'params[f"W{l + 1}"][:, j - 1]'),
    ],
    "02_forward_pass": [
        Mistake("receptors", "indexes the weight matrix transposed",
                "W[j, k] * x_prev[j]", "W[k, j] * x_prev[j]"),
        Mistake("receptors", "forgets the bias",
                "total = b[0, k]", "total = 0.0"),
        Mistake("receptors", "adds the first neuron's bias to every receptor",
                "total = b[0, k]", "total = b[0, 0]"),
        Mistake("receptors", "applies the ReLU inside the receptor",
                "z[k] = total", "z[k] = max(0.0, total)"),
        Mistake("receptors", "returns a (1, n) row instead of a 1-D array",
                "return z", "return z.reshape(1, -1)"),
        Mistake("receptors", "mixes up the loop variables",
                "W[j, k] * x_prev[j]", "W[j, k] * x_prev[k]"),
        Mistake("layer_forward", "forgets the activation",
                "return Z, activation(Z)", "return Z, Z"),
        Mistake("layer_forward", "returns (X, Z) instead of (Z, X)",
                "return Z, activation(Z)", "return activation(Z), Z"),
        Mistake("layer_forward", "hard-codes the ReLU instead of using `activation`",
                "return Z, activation(Z)", "return Z, np.maximum(0, Z)"),
        Mistake("layer_forward", "forgets the bias",
                "Z = X_prev @ W + b", "Z = X_prev @ W"),
        Mistake("layer_forward", "adds the bias as a column",
                "Z = X_prev @ W + b", "Z = X_prev @ W + b.T"),
        Mistake("layer_forward", "applies a ReLU in place, which also changes Z (X and Z are one array)",
                "return Z, activation(Z)", "X = Z\n    X[X < 0] = 0\n    return Z, X"),
        Mistake("forward_dataset", "forgets the ReLU in layer 1",
                'Z1, X1 = my.layer_forward(X, params["W1"], params["b1"], relu)',
                'Z1, X1 = my.layer_forward(X, params["W1"], params["b1"], identity)'),
        Mistake("forward_dataset", "feeds the receptors Z1 to layer 2 instead of the neurons X1",
                'layer_forward(X1, params["W2"]', 'layer_forward(Z1, params["W2"]'),
        Mistake("forward_dataset", "feeds layer 1's neurons to layer 3",
                'layer_forward(X2, params["W3"]', 'layer_forward(X1, params["W3"]'),
        Mistake("forward_loop", "forgets the bias", "total = b[0, k]", "total = 0.0", visible=True),
        Mistake("forward_loop", "applies the ReLU in the output layer too",
                "x = z if l == L else [max(0.0, v) for v in z]", "x = [max(0.0, v) for v in z]", visible=True),
        Mistake("forward_loop", "leaves out the ReLU of the hidden layers",
                "x = z if l == L else [max(0.0, v) for v in z]", "x = z"),
        Mistake("forward_loop", "reads the weight matrix transposed",
                "W[j, k] * x[j]", "W[k, j] * x[j]", visible=True),
        Mistake("forward_loop", "skips the first neuron of the previous layer",
                "for j in range(n_prev):", "for j in range(1, n_prev):"),
        Mistake("forward_loop", "stops one layer early (the two meanings of L)",
                "for l in range(1, L + 1):", "for l in range(1, L):"),
        Mistake("forward_loop", "is hard-coded to three layers", "L = len(params) // 2", "L = 3", visible=True),
        Mistake("forward_loop", "hard-codes the example network's layer sizes",
                "n_prev, n = W.shape", "n_prev, n = (2, 3, 2, 1)[l - 1], (2, 3, 2, 1)[l]"),
        Mistake("forward_loop", "feeds the sample's inputs to every layer instead of the previous layer's neurons",
                "total += W[j, k] * x[j]", "total += W[j, k] * X[i, j]"),
        Mistake("forward_loop", "overwrites the sum instead of adding to it",
                "total += W[j, k] * x[j]", "total = W[j, k] * x[j]"),
        Mistake("forward_loop", "gives every row the first sample's output",
                "x = [X[i, j] for j in range(n_inputs)]", "x = [X[0, j] for j in range(n_inputs)]"),
        Mistake("forward_loop", "hard-codes the worked example's six outputs",
                "return out", "return np.array([[0.0017178], [0.0004416], [0.0015232], [0.000336], [0.0014742], "
                "[0.0010752]])"),
    ],
    "03_backprop": [
        Mistake("sigmoid_neuron_gradients", "forgets the sigmoid's derivative",
                "dloss_dz = (a - y) * a * (1.0 - a)", "dloss_dz = (a - y)"),
        Mistake("sigmoid_neuron_gradients", "gets the sign of dloss/da wrong",
                "dloss_dz = (a - y) * a * (1.0 - a)", "dloss_dz = (y - a) * a * (1.0 - a)"),
        Mistake("sigmoid_neuron_gradients", "takes the derivative at z instead of at a",
                "dloss_dz = (a - y) * a * (1.0 - a)", "dloss_dz = (a - y) * z * (1.0 - z)"),
        Mistake("sigmoid_neuron_gradients", "forgets to multiply by the input",
                "dloss_dz * np.asarray(x, dtype=float)", "dloss_dz * np.ones(len(x))"),
        Mistake("train_relu_neuron", "records the loss after the update",
                ("        losses.append((a - y) ** 2)\n", "        b = b - lr * dz\n"),
                ("", "        b = b - lr * dz\n        losses.append((max(np.dot(w, x) + b, 0.0) - y) ** 2)\n")),
        Mistake("train_relu_neuron", "forgets the ReLU's derivative",
                "(1.0 if z > 0 else 0.0)", "1.0", visible=True),
        Mistake("train_relu_neuron", "climbs the gradient instead of descending it",
                ("w = w - lr * dz * x", "b = b - lr * dz"), ("w = w + lr * dz * x", "b = b + lr * dz")),
        Mistake("train_relu_neuron", "drops the 2 of the squared loss's derivative",
                "dz = 2.0 * (a - y)", "dz = (a - y)"),
        Mistake("train_relu_neuron", "updates the caller's weights in place",
                ("w = np.array(w, dtype=float)", "w = w - lr * dz * x"),
                ("w = np.asarray(w, dtype=float)", "w -= lr * dz * x")),
        Mistake("train_relu_neuron", "runs one iteration too few",
                "for _ in range(n_iter):", "for _ in range(n_iter - 1):"),
        Mistake("output_weight_gradient", "counts the neuron from 0",
                "x_prev[i - 1]", "x_prev[i]"),
        Mistake("output_weight_gradient", "gets the sign of dJ/dx wrong",
                "(x_out - y) * 1.0", "(y - x_out) * 1.0"),
        Mistake("output_weight_gradient", "stops the chain rule before the weight",
                "return (x_out - y) * 1.0 * x_prev[i - 1]", "return (x_out - y) * 1.0"),
        Mistake("path_gradients", "follows only the first path through layer 2",
                'for m in range(1, params["W2"].shape[1] + 1):', "for m in range(1, 2):"),
        Mistake("path_gradients", "forgets the ReLU gate of layer 2",
                'relu_prime(v["z2"][m - 1]) * params["W2"]', '1.0 * params["W2"]'),
        Mistake("path_gradients", "forgets the ReLU gate of layer 1",
                'relu_prime(v["z1"][j - 1]) * v["x0"][i - 1]', '1.0 * v["x0"][i - 1]'),
        Mistake("path_gradients", "uses the input instead of layer 1's neuron in dJ/dw2",
                'relu_prime(v["z2"][j - 1]) * v["x1"][i - 1]', 'relu_prime(v["z2"][j - 1]) * v["x0"][i - 1]'),
        Mistake("path_gradients", "uses w(2) where w(3) belongs in dJ/dw2",
                'return upstream * params["W3"][j - 1, 0]', 'return upstream * params["W2"][i - 1, j - 1]'),
        Mistake("path_gradients", "reads W2 transposed in the path sum",
                'params["W2"][j - 1, m - 1]', 'params["W2"][m - 1, j - 1]'),
        Mistake("backprop", "forgets the ReLU mask",
                "dZ = (dZ @ params[f\"W{l}\"].T) * (Z[l - 1] > 0)", "dZ = dZ @ params[f\"W{l}\"].T"),
        Mistake("backprop", "averages db instead of summing it (the 1/n is already in dZ)",
                "np.sum(dZ, axis=0, keepdims=True)", "np.mean(dZ, axis=0, keepdims=True)"),
        Mistake("backprop", "transposes dW",
                'grads[f"dW{l}"] = A[l - 1].T @ dZ', 'grads[f"dW{l}"] = (A[l - 1].T @ dZ).T'),
        Mistake("backprop", "forgets the 1/n",
                "dZ = (A[L] - Y) / n", "dZ = A[L] - Y"),
        Mistake("backprop", "gets the sign of the output error wrong",
                "dZ = (A[L] - Y) / n", "dZ = (Y - A[L]) / n"),
        Mistake("backprop", "masks with the wrong layer's receptors",
                "* (Z[l - 1] > 0)", "* (Z[l] > 0)"),
        Mistake("backprop", "is hard-coded to three layers",
                "L = len(params) // 2", "L = 3"),
        Mistake("backprop", "makes db one-dimensional",
                "np.sum(dZ, axis=0, keepdims=True)", "np.sum(dZ, axis=0)"),
        Mistake("gradient_check", "uses a one-sided difference",
                ("theta[idx] = old - h\n        down = f(theta)", "(up - down) / (2 * h)"),
                ("theta[idx] = old\n        down = f(theta)", "(up - down) / h")),
        Mistake("gradient_check", "uses a one-sided difference with a large h",
                ("h=1e-5", "theta[idx] = old - h\n        down = f(theta)", "(up - down) / (2 * h)"),
                ("h=1e-2", "theta[idx] = old\n        down = f(theta)", "(up - down) / h")),
        Mistake("gradient_check", "divides by h instead of 2h",
                "(up - down) / (2 * h)", "(up - down) / h"),
        Mistake("gradient_check", "does not put theta back",
                "        theta[idx] = old\n        grad[idx]", "        grad[idx]"),
        Mistake("gradient_check", "ignores h and always uses 1e-5",
                "theta[idx] = old + h", "h = 1e-5\n        theta[idx] = old + h"),
        Mistake("gradient_check", "divides by zero when both gradients are zero",
                "np.maximum(1e-8, np.abs(a) + np.abs(b))", "(np.abs(a) + np.abs(b))"),
        Mistake("gradient_check", "averages the relative errors instead of taking the largest",
                "return float(np.max(", "return float(np.mean("),
        Mistake("gradient_check", "divides by |a| only",
                "np.maximum(1e-8, np.abs(a) + np.abs(b))", "np.maximum(1e-8, np.abs(a))"),
        Mistake("find_the_bugs", "names every parameter",
                '{"W1", "b1", "W2", "b3"}', '{"W1", "b1", "W2", "b2", "W3", "b3"}'),
        Mistake("find_the_bugs", "names only the gradient of the transposed matrix",
                '{"W1", "b1", "W2", "b3"}', '{"W2"}'),
        Mistake("find_the_bugs", "names one parameter per wrong line, missing that a wrong dZ1 spoils db1 too",
                '{"W1", "b1", "W2", "b3"}', '{"W1", "W2", "b3"}'),
        Mistake("find_the_bugs", "names the layers' weights, not the gradients the checker flags",
                '{"W1", "b1", "W2", "b3"}', '{"W1", "W2", "W3"}'),
        Mistake("find_the_bugs", "names the gradients that are right",
                '{"W1", "b1", "W2", "b3"}', '{"b2", "W3"}'),
        Mistake("find_the_bugs", "writes the names as one string",
                '{"W1", "b1", "W2", "b3"}', '"W1, b1, W2, b3"', visible=True),
        Mistake("find_the_bugs", "leaves dW2 transposed",
                "dW2 = X1.T @ dZ2", "dW2 = dZ2.T @ X1"),
        Mistake("find_the_bugs", "still averages db3 (the 1/n is already in dZ3)",
                "db3 = np.sum(dZ3, axis=0, keepdims=True)", "db3 = np.mean(dZ3, axis=0, keepdims=True)"),
        Mistake("find_the_bugs", "still forgets the sigmoid's derivative in layer 1",
                'dZ1 = (dZ2 @ params["W2"].T) * X1 * (1 - X1)', 'dZ1 = dZ2 @ params["W2"].T'),
        Mistake("find_the_bugs", "takes layer 2's derivative in layer 1",
                "* X1 * (1 - X1)", "* X2 * (1 - X2)"),
        Mistake("find_the_bugs", "takes the sigmoid for its derivative in layer 1",
                "* X1 * (1 - X1)", "* X1"),
    ],
    "04_nn_class": [
        Mistake("relu", "gives the ReLU a derivative of 1 at z = 0", "(z > 0).astype(float)", "(z >= 0).astype(float)"),
        Mistake("relu", "applies the ReLU in place, changing the receptors",
                "return np.maximum(0, z)", "z[z < 0] = 0\n    return z", visible=True),
        Mistake("relu", "swaps the two functions in the dictionary",
                '{"activation": relu, "derivative": relu_derivative}',
                '{"activation": relu_derivative, "derivative": relu}'),
        Mistake("relu", "writes the derivative as the ReLU itself",
                "return (z > 0).astype(float)", "return np.maximum(0, z)"),
        Mistake("identity", "returns a single 1 as the derivative",
                "return np.ones_like(z, dtype=float)", "return 1.0"),
        Mistake("identity", "returns zeros as the derivative",
                "np.ones_like(z, dtype=float)", "np.zeros_like(z, dtype=float)"),
        Mistake("mse", "keeps a popular version's mean over every entry",
                "np.sum((a - Y) ** 2) / (2 * Y.shape[0])", "np.mean((a - Y) ** 2) / 2", visible=True),
        Mistake("mse", "hard-codes the visible test's answer",
                "return float(np.sum((a - Y) ** 2) / (2 * Y.shape[0]))", "return 13 / 6"),
        Mistake("mse", "forgets the 1/2", "/ (2 * Y.shape[0])", "/ Y.shape[0]"),
        Mistake("mse", "leaves the 1/n out of the derivative", "return (a - Y) / Y.shape[0]", "return a - Y"),
        Mistake("mse", "divides the derivative by every entry, n times m",
                "return (a - Y) / Y.shape[0]", "return (a - Y) / Y.size", visible=True),
        Mistake("mse", "gets the sign of the derivative wrong",
                "return (a - Y) / Y.shape[0]", "return (Y - a) / Y.shape[0]"),
        Mistake("initialize_parameters", "transposes the weight matrices",
                "size=(layers_dims[l - 1], layers_dims[l])", "size=(layers_dims[l], layers_dims[l - 1])"),
        Mistake("initialize_parameters", "makes the biases one-dimensional",
                "np.zeros((1, layers_dims[l]))", "np.zeros(layers_dims[l])"),
        Mistake("initialize_parameters", "draws from np.random instead of rng",
                "rng.normal(scale=0.001,", "np.random.normal(scale=0.001,"),
        Mistake("initialize_parameters", "passes 0.001 as the mean instead of the scale",
                "rng.normal(scale=0.001,", "rng.normal(0.001,"),
        Mistake("initialize_parameters", "draws the biases at random too",
                "self.params[f\"b{l}\"] = np.zeros((1, layers_dims[l]))",
                "self.params[f\"b{l}\"] = rng.normal(scale=0.001, size=(1, layers_dims[l]))"),
        Mistake("initialize_parameters", "stops one layer early (the two meanings of L)",
                "for l in range(1, self.L):", "for l in range(1, self.L - 1):"),
        Mistake("forward_pass", "uses the hidden layers' activation on the output layer",
                'outputs[f"x{l}"] = self.a[l]["activation"](outputs[f"z{l}"])',
                'outputs[f"x{l}"] = self.a[l if l < self.L - 1 else 1]["activation"](outputs[f"z{l}"])'),
        Mistake("forward_pass", "hard-codes the ReLU instead of using self.a",
                'self.a[l]["activation"](outputs[f"z{l}"])', 'np.maximum(0, outputs[f"z{l}"])'),
        Mistake("forward_pass", "forgets the bias",
                ' @ self.params[f"W{l}"] + self.params[f"b{l}"]', ' @ self.params[f"W{l}"]'),
        Mistake("forward_pass", "returns the last receptors instead of the last neurons",
                'else outputs[f"x{self.L - 1}"]', 'else outputs[f"z{self.L - 1}"]', visible=True),
        Mistake("forward_pass", "is hard-coded to three layers", "for l in range(1, self.L):", "for l in range(1, 4):"),
        Mistake("forward_pass", "always returns the dictionary",
                "return outputs if training else", "return outputs or"),
        Mistake("backward_pass", "uses W(l) where W(l+1) belongs",
                'derivatives[f"dZ{l + 1}"] @ self.params[f"W{l + 1}"].T',
                'derivatives[f"dZ{l + 1}"] @ self.params[f"W{l}"]'),
        Mistake("backward_pass", "averages db",
                'np.sum(derivatives[f"dZ{l}"], axis=0, keepdims=True)',
                'np.mean(derivatives[f"dZ{l}"], axis=0, keepdims=True)'),
        Mistake("backward_pass", "leaves out the hidden activation's derivative",
                ' @ self.params[f"W{l + 1}"].T)\n                                     *'
                ' self.a[l]["derivative"](coef[f"z{l}"]))',
                ' @ self.params[f"W{l + 1}"].T))'),
        Mistake("backward_pass", "leaves out the output activation's derivative",
                ' * self.a[l]["derivative"](coef[f"z{l}"]))\n    for l', ')\n    for l', visible=True),
        Mistake("backward_pass", "hard-codes the ReLU's derivative",
                '* self.a[l]["derivative"](coef[f"z{l}"]))\n        derivatives[f"dW{l}"]',
                '* (coef[f"z{l}"] > 0))\n        derivatives[f"dW{l}"]'),
        Mistake("backward_pass", "hard-codes the MSE derivative instead of using the loss dictionary",
                'self.loss_function["derivative"](coef[f"x{l}"], Y)', '(coef[f"x{l}"] - Y) / Y.shape[0]'),
        Mistake("backward_pass", "transposes dW",
                'coef[f"x{l - 1}"].T @ derivatives[f"dZ{l}"]', '(coef[f"x{l - 1}"].T @ derivatives[f"dZ{l}"]).T'),
        Mistake("backward_pass", "is hard-coded to three layers",
                "for l in range(self.L - 1, 0, -1):", "for l in range(3, 0, -1):"),
        Mistake("backward_pass", "works on coef in place",
                'derivatives[f"dW{l}"] = coef[f"x{l - 1}"].T @ derivatives[f"dZ{l}"]',
                'coef[f"z{l}"] *= 1.0 + 1e-3\n        derivatives[f"dW{l}"] = coef[f"x{l'
                ' - 1}"].T @ derivatives[f"dZ{l}"]'),
        Mistake("train", "climbs the gradient",
                ('self.params[f"W{l}"] -= learning_rate', 'self.params[f"b{l}"] -= learning_rate'),
                ('self.params[f"W{l}"] += learning_rate', 'self.params[f"b{l}"] += learning_rate')),
        Mistake("train", "ignores the learning rate",
                'self.params[f"W{l}"] -= learning_rate *', 'self.params[f"W{l}"] -= 0.01 *'),
        Mistake("train", "runs one iteration too few", "for i in range(n_it):", "for i in range(n_it - 1):"),
        Mistake("train", "forgets to update the biases",
                'self.params[f"b{l}"] -= learning_rate * derivatives[f"db{l}"]', "pass"),
        Mistake("train", "updates each layer before computing the next layer's gradients",
                '        derivatives = self.backward_pass(X, Y, coef)\n        for l in range(1, self.L):\n',
                '        for l in range(self.L - 1, 0, -1):\n            derivatives ='
                ' self.backward_pass(X, Y, coef)\n'),
        Mistake("train", "prints at the wrong iterations",
                "if verbose and i % 100 == 0:", "if verbose and (i + 1) % 100 == 0:"),
        Mistake("train", "prints the loss after the update",
                'loss = self.loss_function["loss"](coef[f"x{self.L - 1}"], Y)',
                'loss = self.loss_function["loss"](self.forward_pass(X), Y)'),
        Mistake("train", "ignores verbose", "if verbose and i % 100 == 0:", "if i % 100 == 0:"),
    ],
    "05_classification": [
        Mistake("sigmoid", "computes 1 / (1 + exp(-z)) directly: overflows at z = -1000",
                "    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n"
                "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                "    return 1 / (1 + np.exp(-z))", visible=True),
        Mistake("sigmoid", "picks the stable branch with np.where, which still evaluates the overflowing one",
                "    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                "    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))"),
        Mistake("sigmoid", "swaps the two branches", "1 / (1 + e), e / (1 + e)", "e / (1 + e), 1 / (1 + e)"),
        Mistake("sigmoid", "derivative forgets the factor (1 - s)", "return s * (1 - s)", "return s"),
        Mistake("sigmoid", "derivative applies s(1 - s) to z itself",
                "    s = sigmoid(z)\n    return s * (1 - s)", "    return z * (1 - z)"),
        Mistake("bce", "computes the cost from the probabilities sigmoid(z): ln 0 at z = 40 and y = 0",
                "return float(np.sum(np.maximum(z, 0) - Y * z + np.log1p(e)) / Y.shape[0])",
                "a = 1 / (1 + np.exp(-z))\n"
                "    return float(-np.sum(Y * np.log(a) + (1 - Y) * np.log(1 - a)) / Y.shape[0])", visible=True),
        Mistake("bce", "clips the probabilities instead: a confident mistake costs -ln(1e-12), not |z|",
                "return float(np.sum(np.maximum(z, 0) - Y * z + np.log1p(e)) / Y.shape[0])",
                "a = np.clip(np.where(z >= 0, 1 / (1 + e), e / (1 + e)), 1e-12, 1 - 1e-12)\n"
                "    return float(-np.sum(Y * np.log(a) + (1 - Y) * np.log(1 - a)) / Y.shape[0])", visible=True),
        Mistake("bce", "writes ln(1 + e^z) directly: overflows at z = 1000",
                "np.maximum(z, 0) - Y * z + np.log1p(e)", "np.log1p(np.exp(z)) - Y * z", visible=True),
        Mistake("bce", "averages over every entry instead of over the samples",
                "np.log1p(e)) / Y.shape[0])", "np.log1p(e)) / Y.size)", visible=True),
        Mistake("bce", "forgets the max(z, 0)", "np.maximum(z, 0) - Y * z", "-Y * z"),
        Mistake("bce", "adds y z instead of subtracting it", "- Y * z +", "+ Y * z +"),
        Mistake("bce", "takes max(-z, 0) instead of max(z, 0)", "np.maximum(z, 0)", "np.maximum(-z, 0)"),
        Mistake("bce", "gradient forgets the 1/n", "return (s - Y) / Y.shape[0]", "return s - Y"),
        Mistake("bce", "gradient divides by every entry instead of by the samples",
                "return (s - Y) / Y.shape[0]", "return (s - Y) / Y.size"),
        Mistake("bce", "gradient flips the sign: (Y - sigmoid(z))/n", "return (s - Y)", "return (Y - s)"),
        Mistake("bce", "gradient multiplies by sigmoid_derivative(z) again: a confident mistake loses its gradient",
                "return (s - Y) / Y.shape[0]", "return (s - Y) * s * (1 - s) / Y.shape[0]", visible=True),
        Mistake("bce", "gradient returns dJ/da, the derivative with respect to the probability",
                "return (s - Y) / Y.shape[0]", "return (s - Y) / (s * (1 - s)) / Y.shape[0]"),
        Mistake("bce", "gradient uses the receptor as if it were the probability: (z - Y)/n",
                "return (s - Y) / Y.shape[0]", "return (z - Y) / Y.shape[0]"),
        Mistake("softmax", "normalises the columns instead of the rows",
                "E.sum(axis=1, keepdims=True)", "E.sum(axis=0, keepdims=True)"),
        Mistake("softmax", "does not subtract the maximum", "np.exp(Z - Z.max(axis=1, keepdims=True))", "np.exp(Z)"),
        Mistake("softmax", "subtracts the maximum of the whole matrix",
                "np.exp(Z - Z.max(axis=1, keepdims=True))", "np.exp(Z - Z.max())", visible=True),
        Mistake("softmax", "divides by the sum of the whole matrix", "E / E.sum(axis=1, keepdims=True)", "E / E.sum()"),
        Mistake("one_hot", "transposes the matrix: (k, n)",
                "    Y = np.zeros((len(y), k))\n    Y[np.arange(len(y)), y] = 1.0",
                "    Y = np.zeros((k, len(y)))\n    Y[y, np.arange(len(y))] = 1.0"),
        Mistake("one_hot", "counts classes from 1",
                "Y[np.arange(len(y)), y] = 1.0", "Y[np.arange(len(y)), y - 1] = 1.0"),
        Mistake("one_hot", "hard-codes ten classes", "np.zeros((len(y), k))", "np.zeros((len(y), 10))"),
        Mistake("cross_entropy", "sums over the samples instead of averaging", "/ n)", ")"),
        Mistake("cross_entropy", "indexes whole columns with P[:, y]", "P[np.arange(n), Y]", "P[:, Y]"),
        Mistake("cross_entropy", "forgets the minus sign", "float(-np.sum(", "float(np.sum("),
        Mistake("cross_entropy", "forgets to clip: a zero probability costs inf",
                "    P = np.clip(P, 1e-12, 1.0)\n", ""),
        Mistake("cross_entropy", "handles one-hot labels only",
                "    if Y.ndim == 1:\n        return float(-np.sum(np.log(P[np.arange(n), Y])) / n)\n", ""),
        Mistake("softmax_ce_gradient", "forgets the 1/n", "(P - Y) / Z.shape[0]", "P - Y"),
        Mistake("softmax_ce_gradient", "flips the sign: (Y - P)/n", "(P - Y)", "(Y - P)"),
        Mistake("softmax_ce_gradient", "divides by the number of classes", "/ Z.shape[0]", "/ Z.shape[1]"),
        Mistake("initial_loss", "predicts ln(1/k), the log-probability, instead of the cost",
                "return float(np.log(k))", "return float(np.log(1 / k))"),
        Mistake("initial_loss", "predicts with the base-10 logarithm",
                "return float(np.log(k))", "return float(np.log10(k))"),
        Mistake("initial_loss", "measures a network with redrawn weights instead of the fresh one",
                'initial_loss = fresh.loss_function["loss"](fresh.forward_pass(X_digits), y_digits)',
                'redraw_weights(fresh, 0.1)\n'
                'initial_loss = fresh.loss_function["loss"](fresh.forward_pass(X_digits), y_digits)'),
    ],
    "06_why_training_fails": [
        Mistake("tanh", "writes the formula with exponentials: nan at z = 1000",
                "return np.tanh(z)\n", "return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))\n", visible=True),
        Mistake("tanh", "forgets to square the tanh in the derivative",
                "return 1 - np.tanh(z) ** 2", "return 1 - np.tanh(z)"),
        Mistake("tanh", "squares z instead of tanh(z) in the derivative",
                "return 1 - np.tanh(z) ** 2", "return 1 - z ** 2"),
        Mistake("tanh", "uses the sigmoid's form of the derivative",
                "return 1 - np.tanh(z) ** 2", "return np.tanh(z) * (1 - np.tanh(z))"),
        Mistake("tanh", "writes the derivative with exponentials: overflows at z = 1000",
                "return 1 - np.tanh(z) ** 2", "return 4 / (np.exp(z) + np.exp(-z)) ** 2"),
        Mistake("tanh", "swaps the two functions in the dictionary",
                '{"activation": tanh, "derivative": tanh_derivative}',
                '{"activation": tanh_derivative, "derivative": tanh}'),
        Mistake("leaky_relu", "hard-codes the slope 0.01 instead of using alpha",
                "np.where(z > 0, z, alpha * z)", "np.where(z > 0, z, 0.01 * z)"),
        Mistake("leaky_relu", "returns alpha instead of alpha * z for negative z",
                "np.where(z > 0, z, alpha * z)", "np.where(z > 0, z, alpha)"),
        Mistake("leaky_relu", "scales the negative receptors in place, changing the caller's array",
                "return np.where(z > 0, z, alpha * z)", "z[z < 0] *= alpha\n    return z"),
        Mistake("leaky_relu", "gives the derivative a slope of 1 at z = 0",
                "np.where(z > 0, 1.0, alpha)", "np.where(z >= 0, 1.0, alpha)"),
        Mistake("leaky_relu", "keeps the ReLU's derivative, 0 for negative z",
                "np.where(z > 0, 1.0, alpha)", "np.where(z > 0, 1.0, 0.0)"),
        Mistake("leaky_relu", "hard-codes the slope 0.01 in the derivative",
                "np.where(z > 0, 1.0, alpha)", "np.where(z > 0, 1.0, 0.01)"),
        Mistake("init", "passes He's variance as the standard deviation",
                "scale=np.sqrt(2 / n_in)", "scale=2 / n_in"),
        Mistake("init", "uses variance 1 / n(l-1) for He",
                "scale=np.sqrt(2 / n_in)", "scale=np.sqrt(1 / n_in)"),
        Mistake("init", "divides He's variance by the layer's own width n(l)",
                "scale=np.sqrt(2 / n_in)", "scale=np.sqrt(2 / n_out)"),
        Mistake("init", "draws He's weights from np.random instead of rng",
                "params[f\"W{l}\"] = rng.normal(scale=np.sqrt(2 / n_in)",
                "params[f\"W{l}\"] = np.random.normal(scale=np.sqrt(2 / n_in)"),
        Mistake("init", "draws He's biases at random too",
                "scale=np.sqrt(2 / n_in), size=(n_in, n_out))\n        params[f\"b{l}\"] = np.zeros((1, n_out))",
                "scale=np.sqrt(2 / n_in), size=(n_in, n_out))\n"
                "        params[f\"b{l}\"] = rng.normal(scale=np.sqrt(2 / n_in), size=(1, n_out))"),
        Mistake("init", "transposes He's weight matrices",
                "scale=np.sqrt(2 / n_in), size=(n_in, n_out))", "scale=np.sqrt(2 / n_in), size=(n_out, n_in))"),
        Mistake("init", "uses the 1 / n(l-1) variant for Xavier, not the course's convention",
                "scale=np.sqrt(2 / (n_in + n_out))", "scale=np.sqrt(1 / n_in)"),
        Mistake("init", "passes Xavier's variance as the standard deviation",
                "scale=np.sqrt(2 / (n_in + n_out))", "scale=2 / (n_in + n_out)"),
        Mistake("init", "uses He's variance for Xavier",
                "scale=np.sqrt(2 / (n_in + n_out))", "scale=np.sqrt(2 / n_in)"),
        Mistake("init", "draws Xavier's weights with the right spread but from a uniform distribution",
                "rng.normal(scale=np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))",
                "rng.uniform(-np.sqrt(6 / (n_in + n_out)), np.sqrt(6 / (n_in + n_out)), size=(n_in, n_out))"),
        Mistake("gradient_norms", "lists the layers in the dictionary's order, from the last layer back",
                "    L = sum(1 for key in grads if key.startswith(\"dW\"))\n"
                "    return np.array([np.sqrt(np.sum(grads[f\"dW{l}\"] ** 2)) for l in range(1, L + 1)])",
                "    return np.array([np.sqrt(np.sum(g ** 2)) for key, g in grads.items() if key.startswith(\"dW\")])"),
        Mistake("gradient_norms", "sorts the keys as strings: dW10 comes before dW2",
                "    L = sum(1 for key in grads if key.startswith(\"dW\"))\n"
                "    return np.array([np.sqrt(np.sum(grads[f\"dW{l}\"] ** 2)) for l in range(1, L + 1)])",
                "    return np.array([np.sqrt(np.sum(grads[key] ** 2)) for key in"
                " sorted(grads) if key.startswith(\"dW\")])", visible=True),
        Mistake("gradient_norms", "forgets the square root", "np.sqrt(np.sum(grads[f\"dW{l}\"] ** 2))",
                "np.sum(grads[f\"dW{l}\"] ** 2)"),
        Mistake("gradient_norms", "takes the spectral norm instead of the Frobenius norm",
                "np.sqrt(np.sum(grads[f\"dW{l}\"] ** 2))", "np.linalg.norm(grads[f\"dW{l}\"], 2)"),
        Mistake("gradient_norms", "counts every gradient, not only the dW, to find L",
                "L = sum(1 for key in grads if key.startswith(\"dW\"))", "L = len(grads) // 3 - 1"),
        Mistake("gradient_norms", "adds the bias gradients to the norm",
                "np.sqrt(np.sum(grads[f\"dW{l}\"] ** 2))",
                "np.sqrt(np.sum(grads[f\"dW{l}\"] ** 2) + np.sum(grads[f\"db{l}\"] ** 2))"),
    ],
    "07_generalisation": [
        Mistake("minibatches", "drops the last, smaller batch",
                "for start in range(0, n, batch_size)]", "for start in range(0, n - batch_size + 1, batch_size)]"),
        Mistake("minibatches", "never shuffles", "order = rng.permutation(n)", "order = np.arange(n)"),
        Mistake("minibatches", "shuffles with np.random instead of rng",
                "order = rng.permutation(n)", "order = np.random.permutation(n)"),
        Mistake("minibatches", "shuffles X but takes Y in the original order",
                "Y[order[start:start + batch_size]]", "Y[start:start + batch_size]"),
        Mistake("minibatches", "draws a fresh random batch every time, so samples repeat and others are missed",
                "    return [(X[order[start:start + batch_size]], Y[order[start:start + batch_size]])\n"
                "            for start in range(0, n, batch_size)]",
                "    batches = []\n    for start in range(0, n, batch_size):\n"
                "        pick = rng.permutation(n)[:batch_size]\n        batches.append((X[pick], Y[pick]))\n"
                "    return batches"),
        Mistake("minibatches", "shuffles the caller's X and Y in place",
                "    order = rng.permutation(n)\n    return [(X[order[start:start +"
                " batch_size]], Y[order[start:start + batch_size]])",
                "    order = rng.permutation(n)\n    X[:], Y[:] = X[order], Y[order]\n"
                "    return [(X[start:start + batch_size], Y[start:start + batch_size])"),
        Mistake("l2", "penalises the biases too",
                'for key, W in params.items() if key.startswith("W"))', "for key, W in params.items())"),
        Mistake("l2", "forgets the 1/2 in the penalty", "return float(lam / 2 * sum(", "return float(lam * sum("),
        Mistake("l2", "takes the absolute values (L1) instead of the squares", "np.sum(W ** 2)", "np.sum(np.abs(W))"),
        Mistake("l2", "adds lam / 2 * W to the gradient", "+ lam * W", "+ lam / 2 * W"),
        Mistake("l2", "writes the new gradients into the caller's dictionary", "new = dict(grads)", "new = grads"),
        Mistake("l2", "adds the decay to the bias gradients too", 'if key.startswith("W"):', "if True:"),
        Mistake("dropout", "forgets to divide by keep_prob (not inverted)",
                "return X * mask / keep_prob, mask", "return X * mask, mask"),
        Mistake("dropout", "multiplies by keep_prob instead of dividing",
                "return X * mask / keep_prob, mask", "return X * mask * keep_prob, mask"),
        Mistake("dropout", "keeps a neuron with probability 1 - keep_prob",
                "mask = rng.random(X.shape) < keep_prob", "mask = rng.random(X.shape) > keep_prob"),
        Mistake("dropout", "draws the mask from np.random instead of rng",
                "mask = rng.random(X.shape) < keep_prob", "mask = np.random.random(X.shape) < keep_prob"),
        Mistake("dropout", "still drops neurons at test time",
                "    if not training:\n        return X, None\n", ""),
        Mistake("dropout", "scales by keep_prob at test time, as non-inverted dropout would",
                "        return X, None", "        return X * keep_prob, None"),
        Mistake("dropout", "forgets the scaling in the backward pass",
                "return dX_tilde * mask / keep_prob", "return dX_tilde * mask"),
        Mistake("dropout", "draws a new mask in the backward pass",
                "return dX_tilde * mask / keep_prob",
                "return dX_tilde * (np.random.random(dX_tilde.shape) < keep_prob) / keep_prob"),
        Mistake("early_stopping", "keeps the same arrays instead of copies, so the last weights come back",
                "{key: value.copy() for key, value in net.params.items()}", "dict(net.params)"),
        Mistake("early_stopping", "counts a cost equal to the best as an improvement",
                "if cost < best_cost:", "if cost <= best_cost:"),
        Mistake("early_stopping", "waits one epoch too many",
                "epoch - best_epoch >= patience", "epoch - best_epoch > patience"),
        Mistake("early_stopping", "forgets to restore the best parameters", "    net.params = best_params\n", ""),
        Mistake("early_stopping", "numbers the epochs from 0",
                "for epoch in range(1, max_epochs + 1):", "for epoch in range(max_epochs):"),
        Mistake("early_stopping", "stops as soon as the cost goes up once, ignoring the patience",
                "elif epoch - best_epoch >= patience:", "else:"),
        Mistake("early_stopping", "counts every worse epoch and never resets the count at a new best",
                ("    costs = []\n", "        elif epoch - best_epoch >= patience:\n            break"),
                ("    costs, worse = [], 0\n",
                 "        else:\n            worse += 1\n            if worse >= patience:\n                break"),
                visible=True),
        Mistake("batchnorm", "standardises each sample (row) instead of each neuron (column)",
                ("mean = Z.mean(axis=0, keepdims=True)", "Z.var(axis=0, keepdims=True)"),
                ("mean = Z.mean(axis=1, keepdims=True)", "Z.var(axis=1, keepdims=True)")),
        Mistake("batchnorm", "adds eps outside the square root",
                "np.sqrt(Z.var(axis=0, keepdims=True) + eps)", "np.sqrt(Z.var(axis=0, keepdims=True)) + eps"),
        Mistake("batchnorm", "uses the variance with 1 / (m - 1)",
                "Z.var(axis=0, keepdims=True)", "Z.var(axis=0, keepdims=True, ddof=1)"),
        Mistake("batchnorm", "ignores that the mean and the spread depend on Z",
                "    dZ = (dZ_hat - dZ_hat.mean(axis=0, keepdims=True)\n"
                "          - Z_hat * (dZ_hat * Z_hat).mean(axis=0, keepdims=True)) / spread",
                "    dZ = dZ_hat / spread"),
        Mistake("batchnorm", "forgets Z_hat in dgamma",
                "dgamma = (dU * Z_hat).sum(axis=0, keepdims=True)", "dgamma = dU.sum(axis=0, keepdims=True)"),
        Mistake("batchnorm", "averages dbeta instead of summing", "dbeta = dU.sum(axis=0, keepdims=True)",
                "dbeta = dU.mean(axis=0, keepdims=True)"),
        Mistake("batchnorm", "forgets gamma on the way back", "dZ_hat = dU * gamma", "dZ_hat = dU"),
    ],
    "08_layers": [
        # Exercise 1: activation objects
        Mistake("activations", "gives the ReLU a slope of 1 at z = 0", "return (z > 0).astype(float)",
                "return (z >= 0).astype(float)", visible=True),
        Mistake("activations", "clips negative receptors in place, changing the caller's array",
                "        return np.maximum(0, z)", "        z[z < 0] = 0\n        return z", visible=True),
        Mistake("activations", "writes the sigmoid as 1 / (1 + exp(-z)): it overflows at z = -1000",
                "        e = np.exp(-np.abs(z))\n        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                "        return 1 / (1 + np.exp(-z))", visible=True),
        Mistake("activations", "takes the sigmoid's derivative as z (1 - z) instead of s (1 - s)",
                "        s = self(z)\n        return s * (1 - s)", "        return z * (1 - z)"),
        Mistake("activations", "gives the identity the derivative 1, a number, not an array shaped like z",
                "return np.ones_like(z, dtype=float)", "return 1.0", visible=True),
        # Exercise 2: Dense.forward
        Mistake("dense_forward", "forgets the bias", "self.Z = A_prev @ self.W + self.b", "self.Z = A_prev @ self.W"),
        Mistake("dense_forward", "forgets the activation", "return self.activation(self.Z)", "return self.Z"),
        Mistake("dense_forward", "hard-codes the ReLU instead of the layer's own activation",
                "return self.activation(self.Z)", "return np.maximum(0, self.Z)", visible=True),
        Mistake("dense_forward", "keeps the output, not the receptors, as self.Z",
                "    self.Z = A_prev @ self.W + self.b\n    return self.activation(self.Z)",
                "    self.Z = self.activation(A_prev @ self.W + self.b)\n    return self.Z", visible=True),
        Mistake("dense_forward", "does not keep its input", "    self.A_prev = A_prev\n", "", visible=True),
        Mistake("dense_forward", "multiplies by W on the wrong side, W^T A_prev^T",
                "self.Z = A_prev @ self.W + self.b", "self.Z = (self.W.T @ A_prev.T).T + self.b.T"),
        # Exercise 3: Dense.backward
        Mistake("dense_backward", "divides dW and db by the batch size again (the cost already did)",
                ("self.dW = self.A_prev.T @ dZ", "self.db = np.sum(dZ, axis=0, keepdims=True)"),
                ("self.dW = self.A_prev.T @ dZ / dA.shape[0]",
                 "self.db = np.sum(dZ, axis=0, keepdims=True) / dA.shape[0]"),
                visible=True),
        Mistake("dense_backward", "forgets the derivative of the activation",
                "dZ = dA * self.activation.derivative(self.Z)", "dZ = dA"),
        Mistake("dense_backward", "takes the activation's derivative at the output A instead of the receptors Z",
                "dZ = dA * self.activation.derivative(self.Z)",
                "dZ = dA * self.activation.derivative(self.activation(self.Z))"),
        Mistake("dense_backward", "makes db one-dimensional", "np.sum(dZ, axis=0, keepdims=True)", "np.sum(dZ, axis=0)",
                visible=True),
        Mistake("dense_backward", "averages db over the batch instead of summing",
                "np.sum(dZ, axis=0, keepdims=True)", "np.mean(dZ, axis=0, keepdims=True)"),
        Mistake("dense_backward", "returns dZ instead of the gradient for the layer below", "return dZ @ self.W.T",
                "return dZ"),
        Mistake("dense_backward", "sends dA back through W without the activation's derivative", "return dZ @ self.W.T",
                "return dA @ self.W.T"),
        Mistake("dense_backward", "moves W inside the backward pass, before the gradient for the layer below uses it",
                "    return dZ @ self.W.T", "    self.W = self.W - 0.1 * self.dW\n    return dZ @ self.W.T",
                visible=True),
        # Exercise 4: Sequential
        Mistake("sequential", "runs the backward pass first layer to last", "for layer in reversed(self):",
                "for layer in self:", visible=True),
        Mistake("sequential", "gives every layer the model's dA instead of the gradient from the layer above",
                "            dA = layer.backward(dA)\n        return dA",
                "            layer.backward(dA)\n        return dA", visible=True),
        Mistake("sequential", "feeds the model's input X to every layer",
                "            A = layer.forward(A)", "            A = layer.forward(X)"),
        Mistake("sequential", "returns the first layer's output from forward",
                "        A = X\n        for layer in self:\n            A = layer.forward(A)\n        return A",
                "        outputs = [layer.forward(X) for layer in self[:1]]\n        return outputs[0]"),
        Mistake("sequential", "forgets to return dJ/dX from backward",
                "            dA = layer.backward(dA)\n        return dA", "            dA = layer.backward(dA)"),
        # Exercise 5: Momentum
        Mistake("momentum", "averages instead of summing: v = beta v + (1 - beta) g",
                "self.beta * self.state.get(key, 0.0) + grad",
                "self.beta * self.state.get(key, 0.0) + (1 - self.beta) * grad"),
        Mistake("momentum", "never stores the velocity, so every step is plain gradient descent",
                "        self.state[key] = velocity\n", "", visible=True),
        Mistake("momentum", "keeps one velocity for all the parameters",
                ('self.state.get(key, 0.0)', 'self.state[key] = velocity'),
                ('self.state.get("velocity", 0.0)', 'self.state["velocity"] = velocity')),
        Mistake("momentum", "moves along the old velocity, before adding the new gradient",
                "        self.state[key] = velocity\n        return param - self.learning_rate * velocity",
                "        old = self.state.get(key, 0.0)\n        self.state[key] = velocity\n"
                "        return param - self.learning_rate * old"),
        Mistake("momentum", "hard-codes beta = 0.9", "velocity = self.beta * self.state",
                "velocity = 0.9 * self.state"),
        Mistake("momentum", "changes param in place", "        return param - self.learning_rate * velocity",
                "        param -= self.learning_rate * velocity\n        return param", visible=True),
        # Exercise 6: RMSProp
        Mistake("rmsprop", "puts eps inside the square root", "(np.sqrt(square) + self.eps)",
                "np.sqrt(square + self.eps)", visible=True),
        Mistake("rmsprop", "forgets the factor (1 - rho) of the new squared gradient",
                "+ (1 - self.rho) * grad ** 2", "+ grad ** 2"),
        Mistake("rmsprop", "divides by the average of the squares, not its square root",
                "(np.sqrt(square) + self.eps)", "(square + self.eps)"),
        Mistake("rmsprop", "hard-codes rho = 0.9", "square = self.rho * self.state.get(key, 0.0) + (1 - self.rho)",
                "square = 0.9 * self.state.get(key, 0.0) + (1 - 0.9)"),
        Mistake("rmsprop", "keeps one average for all the parameters",
                ('self.state.get(key, 0.0)', 'self.state[key] = square'),
                ('self.state.get("square", 0.0)', 'self.state["square"] = square')),
        # Exercise 7: Adam, against Kingma and Ba's Algorithm 1
        Mistake("adam", "leaves out the bias correction, so the first steps are 3.16 times too large",
                ("m_hat = m / (1 - self.beta1 ** self.t)", "v_hat = v / (1 - self.beta2 ** self.t)"),
                ("m_hat = m", "v_hat = v"), visible=True),
        Mistake("adam", "puts eps inside the square root", "(np.sqrt(v_hat) + self.eps)", "np.sqrt(v_hat + self.eps)",
                visible=True),
        Mistake("adam", "corrects with a fixed exponent, as if every step were the first",
                ("self.beta1 ** self.t", "self.beta2 ** self.t"), ("self.beta1", "self.beta2"), visible=True),
        Mistake("adam", "counts the steps in update, once for every parameter",
                "        m, v = self.state.get(key, (0.0, 0.0))\n",
                "        self.t += 1\n        m, v = self.state.get(key, (0.0, 0.0))\n", visible=True),
        Mistake("adam", "corrects the first moment only", "v_hat = v / (1 - self.beta2 ** self.t)", "v_hat = v"),
        Mistake("adam", "hard-codes beta1 = 0.9 and beta2 = 0.999",
                ("m = self.beta1 * m + (1 - self.beta1) * grad", "v = self.beta2 * v + (1 - self.beta2) * grad ** 2"),
                ("m = 0.9 * m + 0.1 * grad", "v = 0.999 * v + 0.001 * grad ** 2")),
        Mistake("adam", "keeps one pair (m, v) for all the parameters",
                ("self.state.get(key, (0.0, 0.0))", "self.state[key] = (m, v)"),
                ('self.state.get("moments", (0.0, 0.0))', 'self.state["moments"] = (m, v)')),
        # Exercise 8: the cosine schedule
        Mistake("cosine_schedule", "forgets the 1/2, starting at twice lr_max",
                "(1 + np.cos(np.pi * epoch / total_epochs)) / 2", "(1 + np.cos(np.pi * epoch / total_epochs))"),
        Mistake("cosine_schedule", "ignores lr_min", "return float(lr_min + (lr_max - lr_min) *",
                "return float(lr_max *", visible=True),
        Mistake("cosine_schedule", "takes a whole period, climbing back to lr_max at the end",
                "np.cos(np.pi * epoch / total_epochs)", "np.cos(2 * np.pi * epoch / total_epochs)"),
    ],
}


QUIZ_ANSWER = re.compile(r'^(q\d+) = "([a-z])"$', re.M)


def quiz_mistakes(assignment, letters="abcd"):
    """For each knowledge-check cell: every answer shifted to the next letter, then the one after, and so on.

    Together the shifts give every question each of its wrong letters.
    """
    from grader.assignments import read, source_notebooks
    from grader.cells import nbgrader_meta
    found = []
    for path in source_notebooks(REPO):
        if path.parent.name != assignment:
            continue
        for cell in read(path).cells:
            gid = nbgrader_meta(cell).get("grade_id", "")
            if not (gid.startswith("quiz_") and nbgrader_meta(cell).get("solution")):
                continue
            answers = QUIZ_ANSWER.findall(cell.source)
            for shift in range(1, len(letters)):
                wrong = [letters[(letters.index(a) + shift) % len(letters)] for _, a in answers]
                found.append(Mistake(gid, f"every answer shifted by {shift} letter(s)",
                                     tuple(f'{q} = "{a}"' for q, a in answers),
                                     tuple(f'{q} = "{w}"' for (q, _), w in zip(answers, wrong, strict=True))))
    return found


for _assignment in MISTAKES:
    MISTAKES[_assignment] = MISTAKES[_assignment] + quiz_mistakes(_assignment)


def uses(source):
    """The names a cell reads without binding them itself, and every attribute it mentions."""
    return free_names(source) | attributes(source)


# Exercises whose tests never run another exercise's code, although the static
# analysis below cannot see it (their tests build networks without calling the
# student's other methods). test_wrong_answers.py checks each claim with stub
# submissions: one exercise left unanswered, every other exercise's tests pass.
INDEPENDENT = {
    "04_nn_class": {"relu", "identity", "mse", "initialize_parameters", "forward_pass", "backward_pass", "train"},
    "06_why_training_fails": {"tanh", "leaky_relu", "init", "gradient_norms"},
    "07_generalisation": {"minibatches", "l2", "dropout", "early_stopping", "batchnorm"},
    "08_layers": {"activations", "dense_forward", "dense_backward", "sequential", "momentum", "rmsprop", "adam",
                  "cosine_schedule"},
}


def rounds(mistakes, source_nb, independent=frozenset()):
    """Group mistakes into submissions that can be graded together.

    A submission holds at most one mistake per exercise, and only mistakes of
    exercises that cannot reach each other's code, so each mistake's own test
    cells see no other mistake. Reach is over-approximated: an exercise reaches
    every name its answer and tests mention, and, through the other cells that
    bind those names (a given class, say), every name those cells mention.
    Returns a list of {exercise: Mistake}.
    """
    from grader.assignments import exercises
    from grader.cells import nbgrader_meta, reference_solution
    code = [(nbgrader_meta(c).get("grade_id"), reference_solution(c.source) if nbgrader_meta(c).get("solution")
             else c.source) for c in source_nb.cells if c.cell_type == "code"]
    source = dict(code)
    tests = exercises(source_nb)
    binders = {}
    for gid, text in code:
        if gid not in tests:
            for name in bindings(text, imports=False):
                binders.setdefault(name, []).append(text)

    def reach(exercise):
        seen, todo = set(), set().union(*(uses(source[c]) for c in [exercise, *tests[exercise]]))
        while todo:
            name = todo.pop()
            seen.add(name)
            for text in binders.get(name, []):
                todo |= uses(text) - seen
        return seen

    bound = {e: bindings(source[e], imports=False) for e in tests}
    reached = {e: reach(e) for e in tests}

    def clash(a, b):
        if a == b:
            return True
        if a in independent and b in independent:
            return False
        return bool(bound[a] & reached[b] or bound[b] & reached[a])

    groups = []
    for mistake in mistakes:
        group = next((g for g in groups if not any(clash(mistake.cell, e) for e in g)), None)
        if group is None:
            group = {}
            groups.append(group)
        group[mistake.cell] = mistake
    return groups
