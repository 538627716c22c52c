"""Notebook 4's training playground in a real browser: a click on Train just after moving a slider starts
training (it was lost when the slider's last value reached the kernel after the click), a disabled button
looks disabled, and Continue and Restart do what they say.

One notebook holding only the playground (the course's reference NN) runs in the session's `lab` server,
in one page of a headless chromium (Debian's, driven by playwright). Screenshots go to
artifacts/screenshots/playground*.png.
"""
import re
import time

import nbformat
import pytest

from tests.support.browser import CHROMIUM, LAUNCH_ARGS, SHOTS, sync_playwright_or_skip
from tests.support.lab import TOKEN, api

sync_playwright = sync_playwright_or_skip()

pytestmark = pytest.mark.slow

NOTEBOOK = "playground-test/playground.ipynb"
ITERATIONS = 20000
# The course's NN, paced: 100 iterations (one of the playground's steps) take at least 50 ms, so that no run
# of 20000 ends by itself within the test's waits, however fast the machine.
PACED_NN = """from course.reference.nn import NN


class PacedNN(NN):
    def train(self, X, Y, n_it, **options):
        time.sleep(n_it / 2000)
        return super().train(X, Y, n_it, **options)
"""
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_READY_JS = """() => !!document.querySelector("__PANEL__ .jp-Notebook-ExecutionIndicator[data-status='idle']")
    && [...document.querySelectorAll(".jp-StatusBar-TextItem[title^='Change kernel']")].some(
        e => /\\| Idle$/.test(e.textContent.trim()))""".replace("__PANEL__", PANEL)
# The computed style of a button, as the learner sees it.
LOOK_JS = """b => { const s = getComputedStyle(b);
    return {disabled: b.hasAttribute('disabled'), text: b.textContent.trim(), opacity: Number(s.opacity),
            cursor: s.cursor, background: s.backgroundColor}; }"""
RUNNING = re.compile(r"(\d+) / \d+ iterations")
WAIT = 60_000  # ms, for what the kernel answers (a redraw takes about a second on the 2-core test machine)


@pytest.fixture(scope="module")
def playground(lab):
    """(page, widget locator): the playground drawn in a JupyterLab page, its kernel idle."""
    path = lab["dir"] / NOTEBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        f"import time\n\nfrom course.widgets.playground import Playground\n{PACED_NN}\n\n"
        f"Playground(PacedNN, n_it={ITERATIONS})")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    nbformat.write(notebook, str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(WAIT)
        page = context.new_page()
        try:
            page.goto(f"{lab['base']}/doc/workspaces/playground-test/tree/{NOTEBOOK}?reset&token={TOKEN}")
            page.wait_for_function(KERNEL_READY_JS, timeout=180_000, polling=250)
            widget = page.locator(f"{PANEL} .course-widget")
            for _ in range(3):  # Lab runs nothing if the kernel is not quite connected yet: run again
                page.click(".lm-MenuBar-itemLabel:text-is('Run')")
                page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
                try:
                    widget.locator("img").wait_for(timeout=WAIT)
                    break
                except Exception:  # noqa: BLE001 (playwright's TimeoutError: Run All is clicked again)
                    pass
            page.wait_for_function("w => [...w.querySelectorAll('img')].every(i => i.complete && i.naturalWidth)",
                                   arg=widget.element_handle(), timeout=WAIT)
            widget.scroll_into_view_if_needed()
            yield page, widget
        except Exception:
            page.screenshot(path=str(SHOTS / "playground-failure.png"))
            raise
        finally:
            context.close()
            chromium.close()
            for session in api(lab, "GET", "/api/sessions"):
                if session["path"] == NOTEBOOK:
                    api(lab, "DELETE", f"/api/sessions/{session['id']}")


class View:
    """The playground's parts in the page, found as a learner finds them: by their place and their text."""

    def __init__(self, page, widget):
        self.page, self.widget = page, widget
        self.train = widget.locator("button").first  # Train, or Continue after a Stop
        self.stop = widget.locator("button", has_text="Stop")
        self.restart = widget.locator("button", has_text="Restart")
        self.width = widget.locator(".widget-slider", has_text="hidden width").locator(".noUi-handle")
        self.caption = widget.locator(".widget-html-content").first

    def status(self):
        return self.caption.inner_text()

    def look(self, button):
        return button.evaluate(LOOK_JS)

    def wait_status(self, pattern, what):
        """The caption once it matches `pattern` (a regex), else a failure that says what it showed."""
        try:
            self.page.wait_for_function("([e, p]) => new RegExp(p).test(e.textContent)",
                                        arg=[self.caption.element_handle(), pattern], timeout=WAIT, polling=100)
        except Exception:  # noqa: BLE001 (playwright's TimeoutError)
            self.page.screenshot(path=str(SHOTS / "playground-failure.png"))
            raise AssertionError(f"{what}: the status never matched {pattern!r}; it says {self.status()!r} "
                                 f"(screenshot {SHOTS / 'playground-failure.png'})") from None
        return re.search(pattern, self.status())

    def wait_enabled(self, button):
        self.page.wait_for_function("b => !b.disabled", arg=button.element_handle(), timeout=WAIT, polling=50)

    def stop_training(self):
        self.stop.click()
        self.wait_status(r"Stopped at iteration \d+", "after Stop")
        self.wait_enabled(self.train)

    def iterations(self):
        found = RUNNING.search(self.status())
        return int(found.group(1)) if found else None


def move(view, how, direction):
    """Move the hidden-width slider by three steps, with the keyboard or by dragging; its new value."""
    handle = view.width
    if how == "keys":
        handle.focus()
        for _ in range(3):
            handle.press("ArrowRight" if direction > 0 else "ArrowLeft")
    else:  # a drag: a value for every step of the way, as a learner's mouse sends them
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        view.page.mouse.move(x, y)
        view.page.mouse.down()
        view.page.mouse.move(x + 12 * direction, y, steps=6)
        view.page.mouse.up()
    return int(float(handle.get_attribute("aria-valuenow")))


def test_train_right_after_moving_a_slider_always_trains(playground):
    """Four times: move the width slider, click Train within half a second, and training runs, with that width."""
    view = View(*playground)
    missed = []
    for attempt, (how, direction) in enumerate([("keys", 1), ("drag", -1), ("keys", -1), ("drag", 1)]):
        width = move(view, how, direction)
        moved = time.monotonic()
        view.page.wait_for_timeout(300)
        view.train.click()
        clicked = time.monotonic() - moved
        assert clicked < 0.6, f"attempt {attempt}: the click came {clicked:.2f} s after the slider, not within 0.5 s"
        # Training, with the slider's last value, and still training a redraw later.
        deadline = time.monotonic() + WAIT / 1000
        first = None
        while time.monotonic() < deadline:
            shown, iterations = view.status(), view.iterations()
            if first is None and iterations is not None:
                first = iterations
            elif first is not None and iterations is not None and iterations > first:
                break
            if "Untrained" in shown and time.monotonic() - moved > 5:
                break
            view.page.wait_for_timeout(100)
        shown, stop = view.status(), view.look(view.stop)
        if not (first is not None and (view.iterations() or 0) > first and not stop["disabled"]):
            missed.append((attempt, how, f"{clicked:.2f} s", shown))
            view.page.screenshot(path=str(SHOTS / f"playground-missed-{attempt}.png"))
            continue
        assert f"[1, {width}, {width}, 1] network" in shown, f"attempt {attempt}: trains another network: {shown!r}"
        view.stop_training()
    assert not missed, f"clicks on Train just after a slider change that did not train (attempt, how, delay, " \
                       f"status): {missed}"


def test_stop_looks_disabled_unless_training(playground):
    view = View(*playground)
    width = move(view, "keys", 1)  # back to an untrained network
    view.wait_status(rf"\[1, {width}, {width}, 1\] network · Untrained", "after moving a slider")
    idle = view.look(view.stop)
    view.train.click()
    view.wait_enabled(view.stop)
    training, train_while_training = view.look(view.stop), view.look(view.train)
    view.page.screenshot(path=str(SHOTS / "playground-training.png"))
    view.stop_training()
    stopped = view.look(view.stop)
    view.page.screenshot(path=str(SHOTS / "playground-stopped.png"))
    assert not training["disabled"] and training["cursor"] == "pointer" and training["opacity"] == 1, training
    for state, look in [("before training", idle), ("after Stop", stopped), ("Train while training",
                                                                             train_while_training)]:
        assert look["disabled"], f"{state}: the button has no disabled attribute: {look}"
        assert look["cursor"] == "not-allowed", f"{state}: a disabled button still shows a pointing hand: {look}"
        assert look["opacity"] < 0.6, f"{state}: a disabled button is hardly fainter than an enabled one: {look}"
    for look in (idle, stopped):
        assert look["background"] != training["background"], \
            f"the disabled Stop keeps the colour of the enabled one: {look} vs {training}"


def test_continue_resumes_and_restart_starts_again_from_fresh_weights(playground):
    view = View(*playground)
    width = move(view, "keys", -1)
    untrained = view.wait_status(rf"\[1, {width}, {width}, 1\] network · Untrained · loss ([\d.e+-]+?)\. Press",
                                 "after moving a slider").group(1)
    view.train.click()
    view.page.wait_for_function("e => { const m = /(\\d+) \\/ \\d+ iterations/.exec(e.textContent);"
                                " return m && Number(m[1]) >= 1000; }", arg=view.caption.element_handle(),
                                timeout=WAIT, polling=100)
    view.stop_training()
    reached = int(view.wait_status(r"Stopped at iteration (\d+)", "after Stop").group(1))
    assert view.look(view.train)["text"] == "Continue" and not view.look(view.restart)["disabled"]
    assert "Continue goes on from iteration" in view.status() and "Restart starts again" in view.status()

    view.train.click()  # Continue, as soon as it is enabled (this click was lost while the last redraw ran)
    view.wait_status(rf"Continuing from iteration {reached} \(loss [\d.e+-]+\) · ", "after Continue")
    going_on = int(view.wait_status(rf"Continuing from iteration {reached} .* (\d+) / \d+ iterations",
                                    "while continuing").group(1))
    assert going_on > reached, view.status()
    view.page.wait_for_timeout(1500)
    view.stop_training()
    continued = int(view.wait_status(r"Stopped at iteration (\d+)", "after the second Stop").group(1))
    assert continued > reached

    view.restart.click()
    view.wait_status(r"Restarted from fresh weights \(iteration 0, loss ([\d.e+-]+)\)", "after Restart")
    assert f"Restarted from fresh weights (iteration 0, loss {untrained})" in view.status(), \
        f"Restart does not start from the untrained network's loss {untrained}: {view.status()!r}"
    first = int(view.wait_status(r"Restarted from fresh weights .* (\d+) / \d+ iterations",
                                 "while training after Restart").group(1))
    assert first < continued, f"after Restart the run is at iteration {first}, not back from 0: {view.status()!r}"
    view.page.screenshot(path=str(SHOTS / "playground-restarted.png"))
    view.stop_training()
