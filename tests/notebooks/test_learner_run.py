"""Every notebook run the way a learner runs it: answered, every cell, figures drawn, no errors."""
import re

import pytest

from tests.support.lessons import assert_prints_the_lesson_numbers, printed


def run_of(learner_runs, lesson):
    if lesson not in learner_runs:
        pytest.skip(f"COURSE_LESSONS leaves out {lesson}")
    return learner_runs[lesson]


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
    text = printed(run_of(learner_runs, "04_nn_class"))
    ours = float(re.search(r"our MSE +largest relative error: (\S+)", text).group(1))
    assert ours < 1e-7, "the course's MSE and its derivative agree"
    network, baseline = map(float, re.search(r"network ([\d.]+), always predicting the training mean ([\d.]+)",
                                             text).groups())
    assert network < 0.8 * baseline, f"held-out error {network} should beat the baseline {baseline}"
    rmse = float(re.search(r"root mean squared error ([\d.]+) \(targets", text).group(1))
    assert rmse < 5, f"the network fits the example rule y = round(x1^2 + x2^2) to within {rmse}"


def test_notebook_5_reads_digits_at_95_percent_on_held_out_images(learner_runs):
    nb = run_of(learner_runs, "05_classification")
    text = printed(nb)
    held_out = float(re.search(r"after \d+ iterations: training accuracy [\d.]+, held-out accuracy ([\d.]+)",
                               text).group(1))
    assert held_out >= 0.95, f"held-out digit accuracy {held_out} is below 95%"
    cancer = float(re.search(r"held-out accuracy on \d+ tumours: ([\d.]+)", text).group(1))
    assert cancer >= 0.93, f"held-out breast-cancer accuracy {cancer}"
    titles = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and any(
        "image/png" in o.get("data", {}) for o in c.outputs))
    for figure in ["confusion", "misclassified", "Three examples of each digit", "Accuracy"]:
        assert figure in titles, f"notebook 5 does not draw its {figure!r} figure"
