"""`working`: the student's answers where they pass their visible tests, the course's where they do not yet."""
import numpy as np
import pytest

import course.reference.nn as reference
from course import fallback

NN_SKELETON = '''
class NN:
    def __init__(self, layers_dims, activation_hidden, activation_output, loss_function, seed=None):
        self.L, self.loss_function, self.params = len(layers_dims), loss_function, {}
        self.a = [lambda x: x] + [activation_hidden] * (self.L - 2) + [activation_output]
        self.initialize_parameters(layers_dims, np.random.default_rng(seed))

    def initialize_parameters(self, layers_dims, rng):
        raise NotImplementedError("write initialize_parameters in Exercise 4")

    def forward_pass(self, X, training=False):
        raise NotImplementedError("write forward_pass in Exercise 5")

    def backward_pass(self, X, Y, coef):
        raise NotImplementedError("write backward_pass in Exercise 6")

    def train(self, X, Y, n_it, learning_rate=0.01, verbose=True):
        raise NotImplementedError("write train in Exercise 7")
'''


DERIVATIVE_AND_DICT = ("def relu_derivative(z):\n    return (z > 0) * 1.0\n"
                       "activation_relu_dict = {'activation': relu, 'derivative': relu_derivative}\n")


def notebook(code, names):
    """Run `code` as notebook cells would, then `working(*names)` from that namespace."""
    space = {"np": np, "working": fallback.working}
    exec(code, space)  # noqa: S102 (the test's own code, standing in for a student's)
    exec(f"my = working(*{names!r})", space)  # noqa: S102
    return space


@pytest.fixture(autouse=True)
def fresh_verdicts(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(fallback, "_verdicts", {})


def test_a_finished_answer_is_used_and_nothing_is_printed(capsys):
    space = notebook("def relu(z):\n    return np.maximum(0, z)\n" + DERIVATIVE_AND_DICT, ["relu"])
    assert space["my"].relu is space["relu"]
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("answer", "why"), [
    ("def relu(z):\n    raise NotImplementedError()\n", "still raises NotImplementedError"),
    ("def relu(z):\n    return z\n", "does not pass its tests"),
    ("def relu(z):\n    return z.nope\n", "raises AttributeError"),
    ("relu = None\ndel relu\n", "`relu` is not defined"),
])
def test_an_unfinished_answer_is_replaced_with_one_line_naming_the_exercise(answer, why, capsys):
    space = notebook(answer + DERIVATIVE_AND_DICT if answer.startswith("def") else answer, ["relu"])
    assert space["my"].relu is reference.relu
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("Exercise 1 is not finished yet") and why in out[0], out


def test_a_dictionary_follows_its_exercise():
    space = notebook("def relu(z):\n    raise NotImplementedError()\n"
                     "def relu_derivative(z):\n    return (z > 0) * 1.0\n"
                     "activation_relu_dict = {'activation': relu, 'derivative': relu_derivative}\n",
                     ["activation_relu_dict"])
    assert space["my"].activation_relu_dict is reference.activation_relu_dict


def test_a_class_gets_the_course_version_of_its_unfinished_methods_only(capsys):
    init = ("def initialize_parameters(self, layers_dims, rng):\n"
            "    for l in range(1, self.L):\n"
            "        self.params[f'W{l}'] = rng.normal(scale=0.001, size=(layers_dims[l - 1], layers_dims[l]))\n"
            "        self.params[f'b{l}'] = np.zeros((1, layers_dims[l]))\n"
            "NN.initialize_parameters = initialize_parameters\n")
    space = notebook(NN_SKELETON + init, ["NN"])
    mixed = space["my"].NN
    assert issubclass(mixed, space["NN"]) and mixed is not space["NN"]
    assert vars(mixed)["forward_pass"] is vars(reference.NN)["forward_pass"]
    assert "initialize_parameters" not in vars(mixed)
    out = capsys.readouterr().out
    assert [line.split(" ")[1] for line in out.splitlines()] == ["5", "6", "7"], out
    net = mixed([2, 3, 1], reference.activation_relu_dict, reference.activation_output_dict, reference.loss_dict, 0)
    assert net.forward_pass(np.ones((4, 2))).shape == (4, 1)
    assert not hasattr(space["NN"], "_x") and space["NN"].forward_pass is not reference.NN.forward_pass


def test_a_fixed_answer_is_checked_again():
    space = notebook("def relu(z):\n    raise NotImplementedError()\n" + DERIVATIVE_AND_DICT, ["relu"])
    assert space["my"].relu is reference.relu
    exec("def relu(z):\n    return np.maximum(0, z)\n" + DERIVATIVE_AND_DICT + "my = working('relu')", space)  # noqa: S102
    assert space["my"].relu is space["relu"]


def test_nothing_is_replaced_while_a_submission_is_graded(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    space = notebook("def relu(z):\n    raise NotImplementedError()\n", ["relu"])
    assert space["my"].relu is space["relu"]
    assert capsys.readouterr().out == ""


def test_a_name_that_no_exercise_defines_is_refused():
    with pytest.raises(ValueError, match="not the answer to any exercise"):
        notebook("", ["plt"])
