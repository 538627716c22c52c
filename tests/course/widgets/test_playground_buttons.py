"""The playground's Train/Continue, Restart and Stop buttons, driven from Python (tests/lab/test_playground.py
drives them in a browser)."""
import time

import numpy as np
import pytest

from course.reference.nn import NN
from course.widgets.playground import Playground


def until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def playground():
    w = Playground(n_it=20000)
    yield w
    w.stop()


def buttons(w):
    return {b.description: (b.disabled, b.button_style)
            for b in (w.train_button, w.restart_button, w.stop_button)}


def test_a_setting_that_arrives_after_train_restarts_the_run_with_it(playground):
    """A slider's last value can reach the kernel after the click on Train (ipywidgets holds it back until the
    kernel has handled the slider's previous value, and sends clicks at once): the run goes on, with it."""
    w = playground
    w.start()
    w.width.value = 5
    assert w.running and not w.stop_button.disabled and w.train_button.disabled
    assert w.layers_dims() == [1, 5, 5, 1] and w.net.params["W1"].shape == (1, 5)
    assert all(control.disabled for control in w.settings)
    until(lambda: w.iteration >= 200)
    assert w.history[0][0] == 0 and w.running
    w.stop()
    assert "Stopped at iteration" in w.status and not any(control.disabled for control in w.settings)


def test_train_pressed_while_a_run_winds_up_is_not_lost(playground, monkeypatch):
    """Stop enables Continue before the run's last redraw: a click then waits for that redraw."""
    w = playground
    w.start()
    until(lambda: w.iteration >= 100)
    slow = w.refresh

    def slow_refresh(*args):
        time.sleep(0.5)
        slow(*args)

    monkeypatch.setattr(w, "refresh", slow_refresh)
    w._stop.set()  # the Stop button's job, without waiting for the run to end
    until(lambda: not w._training)
    assert w.running and not w.train_button.disabled, "the run winds up, and Continue is enabled"
    w.start()
    assert w.running and w._training and not w.stop_button.disabled
    assert w.status.startswith("Continuing from iteration")


def test_continue_goes_on_from_the_iteration_reached(playground):
    w = playground
    w.start()
    until(lambda: w.iteration >= 200)
    w.stop()
    reached, net = w.iteration, w.net
    assert f"Stopped at iteration {reached} of 20000" in w.status and "Continue" in w.status
    assert w.train_button.description == "Continue" and not w.train_button.disabled
    w.start()
    assert w.net is net and w.status.startswith(f"Continuing from iteration {reached} (loss ")
    until(lambda: w.iteration > reached + 100)
    w.stop()
    assert f"Stopped at iteration {w.iteration} of 20000" in w.status, "a second Stop says so too"
    steps = [step for step, _ in w.history]
    assert steps[0] == 0 and reached in steps and steps == sorted(set(steps))


def test_restart_trains_again_from_the_first_weights(playground):
    first = []

    class Spy(NN):
        def train(self, *args, **kwargs):
            if not first or first[-1][0] is not self:
                first.append((self, {k: v.copy() for k, v in self.params.items()}))
            return super().train(*args, **kwargs)

    w = playground
    w.nn_class = Spy
    w.reset()
    untrained = w.history[0][1]
    fresh = {k: v.copy() for k, v in w.net.params.items()}
    w.start()
    until(lambda: w.iteration >= 300)
    w.stop()
    trained = w.net
    w.restart()
    assert w.net is not trained and w.history[0] == (0, untrained)
    assert w.status.startswith(f"Restarted from fresh weights (iteration 0, loss {untrained:.5g})")
    until(lambda: len(first) == 2 and w.iteration >= 100)
    w.stop()
    assert first[1][0] is w.net and all(np.array_equal(first[1][1][k], fresh[k]) for k in fresh)
    assert not np.array_equal(trained.params["W1"], fresh["W1"]), "the trained weights were thrown away"


def test_buttons_say_what_they_do_and_the_disabled_ones_are_grey(playground):
    w = playground
    assert buttons(w) == {"Train": (False, "success"), "Restart": (True, ""), "Stop": (True, "")}
    w.start()
    assert buttons(w) == {"Train": (True, ""), "Restart": (True, ""), "Stop": (False, "danger")}
    until(lambda: w.iteration >= 100)
    w.stop()
    assert buttons(w) == {"Continue": (False, "success"), "Restart": (False, "info"), "Stop": (True, "")}
    assert w.train_button.tooltip == f"Go on from iteration {w.iteration}"
    w.width.value = 4
    assert buttons(w) == {"Train": (False, "success"), "Restart": (True, ""), "Stop": (True, "")}
    assert w.status.startswith("Untrained · loss ")


def test_a_finished_or_diverged_run_can_only_restart():
    w = Playground(n_it=100)
    w.start()
    w.wait()
    assert "done" in w.status
    assert buttons(w) == {"Continue": (True, ""), "Restart": (False, "info"), "Stop": (True, "")}
    assert w.train_button.tooltip.startswith("Finished")
    w.start()  # a stray click: nothing to do
    assert not w.running and w.iteration == 100
    w.restart()
    w.wait()
    assert w.iteration == 100 and "Restarted from fresh weights" in w.status and "done" in w.status

    w = Playground(learning_rate=3.0, n_it=2000)
    w.start()
    w.wait()
    assert "Diverged" in w.status
    assert buttons(w) == {"Continue": (True, ""), "Restart": (False, "info"), "Stop": (True, "")}
