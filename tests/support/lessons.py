"""What each lesson promises to print, checked on the learner's run and on the graded reference."""

# What each executed notebook must print: the numbers its lesson promises.
EXPECTED_OUTPUT = {
    "02_forward_pass": [
        "z1 = [-0.314  0.818 -0.417]", "x1 = [0.    0.818 0.   ]", "z2 = [-0.07362  0.02454]",
        "x2 = [0.      0.02454]", "z3 = [0.0017178]", "x3 = [0.0017178]",
    ],
    "03_backprop": [
        "before: a = 0.731, dC/da = -0.269, dC/dz = dC/db = -0.053, dC/dw = [0.053 0.106]",
        "after one step: w = [ 1.947 -3.106], b = -2.947, a = 0.79",
        "        1   36.0000000000",
        "final w: [-3.3990955  -0.20180899  0.80271349]   final b: 0.60090450",
        "W3: relative error 5.5e-07",
        "-2.77297784",
        "dJ/dw(2)_22 = -6.4703", "dJ/dw(1)_12 = -1.4475", "dJ/dw(1)_22 = -2.0645",
    ],
    "05_classification": [
        "predicted 2.3026, measured 2.3026",
        "1438 training and 359 held-out images of 64 pixels",
    ],
    "04_nn_class": [
        "prediction for x = (6.1, 8.7): 0.0017178",
        "the all-entries MSE  largest relative error: 5.0e-01",
        "always predicting the training mean 77.2",
        "a straight line fitted by least squares: 53.3",
    ],
    "06_why_training_fails": [
        "all weights 0.5: the five hidden units' incoming weights differ by less than 1e-9",
        "ReLU: 20 of 32 neurons dead at the start; 0 of them moved during training",
        "leaky ReLU: 20 of 32 neurons dead at the start; 20 of them moved during training",
    ],
    "07_generalisation": [
        "training 100, validation 300, test 539, set aside 858",
        "without dropout, largest difference from backward_pass: 0.0",
        "spread of layer 10: 2.3e-12 without, 0.59 with batch normalisation",
    ],
}

# Numbers of the full-length training runs, which nbgrader cuts to a tenth (course.notebook.iterations).
LEARNER_OUTPUT = {
    "04_nn_class": [
        "held-out loss lowest after 900 iterations (0.2375); after 2000: 0.2471",
        "held-out root mean squared error: network 54.1,",
    ],
    "07_generalisation": [
        "lowest validation cost 0.393 at iteration 125; at the end 0.450",
        "dropout            150  150     1.000    0.448   0.887    0.859",
        "early stopping      26   16     1.000    0.360   0.867    0.870",
        "more data           15   15     1.000    0.078   0.977    0.968",
    ],
}


def printed(nb):
    """The text each code cell printed, as a reader sees it.

    A kernel may send one print as several stream messages (its flush timer can fire
    between the writes of print's arguments), so a cell's outputs are joined as they are.
    """
    return "\n".join("".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code")


def assert_prints_the_lesson_numbers(assignment, nb, learner=False):
    text = printed(nb)
    for line in EXPECTED_OUTPUT.get(assignment, []) + (LEARNER_OUTPUT.get(assignment, []) if learner else []):
        assert line in text, f"{assignment}: the executed notebook does not print {line!r}"
