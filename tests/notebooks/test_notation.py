"""One notation in every lesson: J is the cost and ℓ the loss of one sample (L is the output layer's index,
never a loss, and there is no cost C), and each notebook numbers its equations (1), (2), ... in order."""
import re

import pytest

from grader.assignments import read
from tests.support.courses import lesson_notebooks

NOTEBOOKS = {path.parent.name: read(path) for path in lesson_notebooks()}
TAG = re.compile(r"\\tag\{([^}]*)\}")
# A reference to an equation: "equation (4)", "equations (8) and (9)", "with (9)", "(10) and (11)".
REFERENCE = re.compile(r"(?:equations?|with|from|by|and|of|in|apply|read off)\s+\((\d+)\)", re.I)
# The cost or a loss written C or L: "$C = ...", "$L = (a - y)^2$" (not "$L = 3$"), "\partial C", "loss $L$".
WRONG_NAME = re.compile(r"\\partial\s*[CL]\b|\$C\s*=|\$L\s*=\s*[(\\a-z]|(?:loss|cost)\s+\$[CL]\$|\\mathcal\{L\}")


def markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("lesson", sorted(NOTEBOOKS))
def test_equations_are_numbered_one_two_three(lesson):
    tags = TAG.findall(markdown(NOTEBOOKS[lesson]))
    assert tags == [str(n) for n in range(1, len(tags) + 1)], f"{lesson} numbers its equations {tags}"


@pytest.mark.parametrize("lesson", sorted(NOTEBOOKS))
def test_every_equation_referred_to_is_numbered_in_the_notebook(lesson):
    text = markdown(NOTEBOOKS[lesson])
    tags = set(TAG.findall(text))
    outside_maths = re.sub(r"\$\$.+?\$\$|\$[^$]+\$", " ", text, flags=re.S)
    missing = sorted({n for n in REFERENCE.findall(outside_maths) if n not in tags}, key=int)
    assert not missing, f"{lesson} refers to equations {missing}, which it does not number"


@pytest.mark.parametrize("lesson", sorted(NOTEBOOKS))
def test_the_cost_is_j_and_never_c_or_l(lesson):
    text = markdown(NOTEBOOKS[lesson])
    wrong = WRONG_NAME.findall(text)
    assert not wrong, f"{lesson} writes the cost or a loss as C or L: {wrong[:5]}"


def test_the_notation_test_catches_the_old_names():
    assert WRONG_NAME.search(r"records the loss $L = (a - y)^2$")
    assert WRONG_NAME.search(r"$\dfrac{\partial C}{\partial a} = a - y$")
    assert not WRONG_NAME.search(r"the output layer $L = 3$ has one neuron, $J = \tfrac12 (a - y)^2$, $\ell_i$")
