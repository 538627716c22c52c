"""Every notebook run the way a learner runs it: answered, every cell, figures drawn, no errors."""
import re

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
        "-2.77297784",
        "dJ/dw(2)_22 = -6.4703", "dJ/dw(1)_12 = -1.4475", "dJ/dw(1)_22 = -2.0645",
    ],
    "05_classification": [
        "predicted 2.3026, measured 2.3026",
        "1438 training and 359 held-out images of 64 pixels",
    ],
    "04_nn_class": [
        "prediction for x = (6.1, 8.7): 0.0017178",
        "the tutorial's MSE   largest relative error: 5.0e-01",
        "always predicting the training mean 77.2",
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
    "07_generalisation": [
        "lowest validation cost 0.393 at iteration 125; at the end 0.450",
        "dropout            150  150     1.000    0.448   0.887    0.859",
        "early stopping      26   16     1.000    0.360   0.867    0.870",
        "more data           15   15     1.000    0.078   0.977    0.968",
    ],
}


def printed(nb):
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def assert_prints_the_lesson_numbers(assignment, nb, learner=False):
    text = printed(nb)
    for line in EXPECTED_OUTPUT.get(assignment, []) + (LEARNER_OUTPUT.get(assignment, []) if learner else []):
        assert line in text, f"{assignment}: the executed notebook does not print {line!r}"


def test_every_notebook_ran(learner_runs, assignments):
    assert sorted(learner_runs) == assignments


def test_every_cell_runs_without_error(learner_runs):
    for assignment, nb in learner_runs.items():
        errors = [(c.source.split("\n")[0], o.ename, o.evalue) for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{assignment}: {errors}"


def test_figures_are_drawn(learner_runs):
    for assignment, nb in learner_runs.items():
        images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
        assert len(images) >= 2, f"{assignment} draws {len(images)} figures"


def test_every_lesson_shows_a_widget_with_a_static_image_beside_it(learner_runs):
    for assignment, nb in learner_runs.items():
        views = [o["data"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert any("image/png" in data for data in views), f"{assignment} shows no course widget"


def test_no_cell_writes_to_stderr(learner_runs):
    for assignment, nb in learner_runs.items():
        noise = [o.text[:200] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if o.output_type == "stream" and o.name == "stderr"]
        assert not noise, f"{assignment}: {noise}"


def test_prints_the_numbers_of_each_lesson(learner_runs):
    for assignment, nb in learner_runs.items():
        assert_prints_the_lesson_numbers(assignment, nb, learner=True)


def test_notebook_4_trains_and_beats_the_baseline(learner_runs):
    text = printed(learner_runs["04_nn_class"])
    ours = float(re.search(r"our MSE +largest relative error: (\S+)", text).group(1))
    assert ours < 1e-7, "the course's MSE and its derivative agree"
    network, baseline = map(float, re.search(r"network ([\d.]+), always predicting the training mean ([\d.]+)", text).groups())
    assert network < 0.8 * baseline, f"held-out error {network} should beat the baseline {baseline}"
    rmse = float(re.search(r"root mean squared error ([\d.]+) \(targets", text).group(1))
    assert rmse < 5, f"the network fits the example rule y = round(x1^2 + x2^2) to within {rmse}"


def test_notebook_5_reads_digits_at_95_percent_on_held_out_images(learner_runs):
    nb = learner_runs["05_classification"]
    text = printed(nb)
    held_out = float(re.search(r"after \d+ iterations: training accuracy [\d.]+, held-out accuracy ([\d.]+)", text).group(1))
    assert held_out >= 0.95, f"held-out digit accuracy {held_out} is below 95%"
    cancer = float(re.search(r"held-out accuracy on \d+ tumours: ([\d.]+)", text).group(1))
    assert cancer >= 0.93, f"held-out breast-cancer accuracy {cancer}"
    titles = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and any(
        "image/png" in o.get("data", {}) for o in c.outputs))
    for figure in ["confusion", "misclassified", "Three examples of each digit", "Accuracy"]:
        assert figure in titles, f"notebook 5 does not draw its {figure!r} figure"
