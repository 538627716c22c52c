"""Which reference modules a graded kernel must not read, how a submission's reach for them is seen, the stubs."""
import pytest

from grader import references

LATER_THAN_3 = {"course.reference.nn", "course.reference.classification", "course.reference.activations",
                "course.reference.init", "course.reference.generalisation", "course.nn", "course.softmax",
                "course.init", "course.activations", "course.reference.why_training_fails",
                "course.reference.layers", "course.layers_support"}


def test_grading_a_lesson_hides_its_reference_and_every_later_one_with_their_old_aliases():
    assert set(references.hidden("04_nn_class")) == LATER_THAN_3
    assert set(references.hidden("03_backprop")) == LATER_THAN_3 | {"course.reference.gradcheck", "course.gradcheck",
                                                                    "course.reference.backprop"}
    assert set(references.hidden("02_forward_pass")) == set(references.hidden("03_backprop")) | {
        "course.reference.forward_pass"}
    assert set(references.hidden("07_generalisation")) == {"course.reference.generalisation", "course.reference.layers"}
    assert set(references.hidden("a_custom_assignment")) == set(references.modules()), "unnumbered: hide them all"


def test_a_stub_refuses_to_import_and_says_why():
    stubs = references.stubs("04_nn_class")
    nn = str(references.package_folder() / "reference" / "nn.py")
    with pytest.raises(ImportError, match=f"course.reference.nn {references.STUB_MARK} 04_nn_class is graded"):
        exec(stubs[nn], {})


@pytest.mark.parametrize("code", [
    "import course.nn\nNN.backward_pass = course.nn.NN.backward_pass",
    "from course.reference.nn import NN",
    "from course.reference import nn",
    "from course import nn",
    "import course.reference.nn as r",
    "x = course.reference.nn.NN",
    "import importlib.util\nimportlib.util.find_spec('course.reference.nn').origin",
    "open(course.__path__[0] + '/reference/nn.py').read()",
    "open('/srv/course/course/reference/__pycache__/nn.cpython-311.pyc', 'rb')",
])
def test_a_reach_for_the_reference_is_seen(code):
    assert references.uses(code, references.hidden("04_nn_class")), code


@pytest.mark.parametrize("code", [
    "from course.reference.gradcheck import numerical_gradient",
    "def relu(z):\n    return np.maximum(0, z)",
    "connections = 'nn'\nannotation = 'reference nn'",
    "from course.checks.nn_class import check_relu",
    "%matplotlib inline",
])
def test_honest_code_is_not_taken_for_a_reach(code):
    assert references.uses(code, references.hidden("04_nn_class")) == [], code
