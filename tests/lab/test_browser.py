"""The course in a real browser: JupyterLab runs every answered notebook, its widgets render and respond,
nbgrader's Validate button and the formgrader work.

One headless chromium (Debian's, driven by playwright) is shared by the whole module. It talks to the
session's `lab` server (`make lab` in a fresh clone of the repo), and for the formgrader to its
`instructor_lab` (`make instructor`). Each notebook opens in a page of its own, in
JupyterLab's single-document mode and in a workspace of its own, so that the selectors only ever see that
notebook. Screenshots go to artifacts/screenshots/ (git-ignored): `<assignment>.png` with the first
course widget in view, `<assignment>-top.png` with the top of the notebook, and `*-failure.png` when a
step times out.
"""
import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from grader.assignments import fill_in, read, release_path, source_notebooks
from tests.support.browser import CHROMIUM, LAUNCH_ARGS, SHOTS, VIEWPORT, sync_playwright_or_skip
from tests.support.environment import REPO
from tests.support.lab import TOKEN, api

sync_playwright = sync_playwright_or_skip()

pytestmark = pytest.mark.slow

# Generous: the test machine has 2 cores and CPU steal.
OPEN_TIMEOUT = 180_000      # page load until the kernel is idle
RUN_TIMEOUT = 900_000       # Run All Cells until every cell has run
WIDGET_TIMEOUT = 60_000     # after the run, until the course widgets have drawn their images
VALIDATE_TIMEOUT = 600_000  # nbgrader's Validate button until its dialog
START_TIMEOUT = 60_000      # Run All Cells until the first cell is queued
RUN_ATTEMPTS = 3
VALIDATED = "02_forward_pass"  # the notebook whose Validate button is clicked, answered and unanswered
UNANSWERED = "workspace/02_forward_pass/forward_pass.ipynb"

NOTEBOOKS = [(p.parent.name, p.name) for p in source_notebooks(REPO)]
SINGLE = {a: sum(1 for b, _ in NOTEBOOKS if b == a) == 1 for a, _ in NOTEBOOKS}


def label(assignment, name):
    return assignment if SINGLE.get(assignment, True) else f"{assignment}-{Path(name).stem}"


# Selectors measured with JupyterLab 4.6 and nbgrader 0.9.6.
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"
# The kernel is ready: the notebook's execution indicator says idle, and so does the status bar's kernel
# item ("Python 3 (ipykernel) | Idle"), which says idle only once the kernel is connected.
KERNEL_READY_JS = """() => !!document.querySelector("__IDLE__")
    && [...document.querySelectorAll(".jp-StatusBar-TextItem[title^='Change kernel']")].some(
        e => /\\| Idle$/.test(e.textContent.trim()))""".replace("__IDLE__", IDLE)
VALIDATE_BUTTON = f"{PANEL} .jp-Toolbar-item[data-jp-item-name='runAll']:has-text('Validate') jp-button"
VALIDATION_MESSAGE = ".jp-Dialog #validation-message"
WIDGET = ".course-widget"
SLIDER_HANDLE = ".noUi-handle"  # ipywidgets 8 sliders are noUiSlider
WIDGET_ERROR = re.compile(r"Error (displaying|rendering) widget", re.I)
# Lab renders errors and stderr alike (data-mime-type application/vnd.jupyter.stderr); an error shows
# a traceback, or for a SyntaxError its last line.
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\w*(Error|Exception|Exit|Interrupt)\b", re.M)

# Every cell of the open notebook: kind, prompt, source, outputs. With the default windowing mode
# ("contentVisibility") every cell is in the DOM, rendered or not, so textContent sees them all.
CELLS_JS = """() => [...document.querySelectorAll('__PANEL__ .jp-Notebook .jp-Cell')].map((cell, index) => ({
    index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
    source: [...cell.querySelectorAll('.jp-InputArea-editor .cm-line')].map(l => l.textContent).join('\\n'),
    outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
        mime: o.dataset.mimeType || '', text: o.textContent.slice(-4000)})),
}))""".replace("__PANEL__", PANEL)

# Run All has finished: kernel idle, no cell queued or running ("[*]"), and every non-empty code cell has
# an execution count, unless a cell failed (Run All stops at an error, leaving later cells unrun).
RUN_DONE_JS = """() => {
    const indicator = document.querySelector("__PANEL__ .jp-Notebook-ExecutionIndicator");
    if (!indicator || indicator.dataset.status !== 'idle') return false;
    const cells = [...document.querySelectorAll('__PANEL__ .jp-Notebook .jp-CodeCell')];
    const prompt = c => (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '';
    if (cells.some(c => prompt(c).includes('*'))) return false;
    const failed = [...document.querySelectorAll('__PANEL__ .jp-OutputArea-output')].some(
        o => o.dataset.mimeType === 'application/vnd.jupyter.stderr' && /Traceback|Error/.test(o.textContent));
    const source = c => [...c.querySelectorAll('.jp-InputArea-editor .cm-line')].map(l => l.textContent).join('');
    return failed || cells.every(c => !source(c).trim() || /\\[\\d+\\]/.test(prompt(c)));
}""".replace("__PANEL__", PANEL)

# Run All has started: some code cell is queued, running or numbered.
STARTED_JS = """() => [...document.querySelectorAll('__PANEL__ .jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].some(
    p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""".replace("__PANEL__", PANEL)

# The course widgets have drawn: at least one, each image decoded, no view still loading.
WIDGETS_READY_JS = """() => {
    const widgets = [...document.querySelectorAll('__PANEL__ .course-widget')];
    const images = widgets.flatMap(w => [...w.querySelectorAll('img')]);
    const loading = [...document.querySelectorAll('__PANEL__ .jp-OutputArea-output')].some(
        o => o.textContent.includes('Loading widget...'));
    return widgets.length > 0 && !loading && images.every(i => i.complete && i.naturalWidth > 0);
}""".replace("__PANEL__", PANEL)

# What each course widget contains, for the assertions and their messages.
WIDGETS_JS = """() => [...document.querySelectorAll('__PANEL__ .course-widget')].map(w => ({
    classes: w.className,
    sliders: w.querySelectorAll('.noUi-handle').length,
    images: [...w.querySelectorAll('img')].map(i => ({complete: i.complete, width: i.naturalWidth,
                                                      src: i.getAttribute('src') || ''})),
    text: w.textContent.slice(0, 300),
}))""".replace("__PANEL__", PANEL)


def error_outputs(cells):
    """[(cell index, prompt, first line of source, error text)] for every output that shows an error."""
    return [(c["index"], c["prompt"], c["source"].split("\n")[0][:80], o["text"][-1500:])
            for c in cells for o in c["outputs"]
            if o["mime"] == "application/vnd.jupyter.stderr" and ERROR_TEXT.search(o["text"])]


def describe(errors):
    return "\n".join(f"--- cell {i} {prompt} {head!r}\n{text}" for i, prompt, head, text in errors)


class Browser:
    """The module's browser context and the lab it talks to; opens notebooks, one page each."""

    def __init__(self, context, lab):
        self.context, self.lab = context, lab
        self.timings = {}

    def open(self, path, name):
        """A page showing the notebook at `path` (relative to the lab's root), its kernel idle."""
        workspace = f"browser-test-{name}"  # saved in the lab copy (test_lab.start_lab), not in $HOME
        page = self.context.new_page()
        started = time.monotonic()
        page.goto(f"{self.lab['base']}/doc/workspaces/{workspace}/tree/{path}?reset&token={TOKEN}")
        self.wait(page, name, "the kernel to be idle after opening", lambda: self.kernel_ready(page))
        self.timings.setdefault(name, {})["open"] = round(time.monotonic() - started, 1)
        return page

    def wait(self, page, name, what, waiting):
        """Run `waiting`; if it times out, save a screenshot and say what was awaited."""
        try:
            return waiting()
        except Exception as error:  # noqa: BLE001 (playwright's TimeoutError, or the page crashed)
            self.fail(page, name, what, error)

    @staticmethod
    def kernel_ready(page, timeout=OPEN_TIMEOUT):
        page.wait_for_function(KERNEL_READY_JS, timeout=timeout, polling=250)

    def fail(self, page, name, what, error):
        """Save a screenshot and raise, saying what was awaited, which cells still run, which failed."""
        shot = SHOTS / f"{name}-failure.png"
        try:
            page.screenshot(path=str(shot))
            cells = page.evaluate(CELLS_JS)
        except Exception:  # noqa: BLE001 (a crashed page: the failure is reported without its cells)
            cells = []
        running = [(c["index"], c["prompt"], c["source"].split("\n")[0][:80]) for c in cells
                   if c["code"] and "*" in c["prompt"]]
        raise AssertionError(f"{name}: timed out waiting for {what} (screenshot {shot}); cells still "
                             f"running: {running}; errors: {describe(error_outputs(cells))}\n{error}") from None

    def close(self, page, path):
        """Close the page and shut its notebook's kernel down."""
        page.close()
        for session in api(self.lab, "GET", "/api/sessions"):
            if session["path"] == path:
                api(self.lab, "DELETE", f"/api/sessions/{session['id']}")

    def run_all(self, page, name):
        """Run → Run All Cells, then wait until every cell has run and the course widgets have drawn."""
        started = time.monotonic()
        for attempt in range(1, RUN_ATTEMPTS + 1):
            self.kernel_ready(page)
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            # Lab runs nothing, silently, if the kernel is not connected yet although the indicator said
            # idle (seen once on a cold server): then every prompt stays "[ ]", and Run All is clicked again.
            try:
                page.wait_for_function(STARTED_JS, timeout=START_TIMEOUT, polling=250)
                break
            except Exception as error:  # noqa: BLE001 (a timeout: Run All is clicked again)
                if attempt == RUN_ATTEMPTS:
                    self.fail(page, name, f"Run All Cells to start ({RUN_ATTEMPTS} clicks)", error)
        self.timings.setdefault(name, {})["run_all_clicks"] = attempt
        # polling by interval: polling on animation frames stalled here once
        self.wait(page, name, "Run All Cells to finish", lambda: page.wait_for_function(
            RUN_DONE_JS, timeout=RUN_TIMEOUT, polling=500))
        ran = time.monotonic()
        if not error_outputs(page.evaluate(CELLS_JS)):  # after an error, the widgets may never come
            try:
                page.wait_for_function(WIDGETS_READY_JS, timeout=WIDGET_TIMEOUT, polling=500)
            except Exception:  # noqa: BLE001 (the widget test says what is missing)
                pass
        self.timings[name].update(run_all=round(ran - started, 1), widgets=round(time.monotonic() - ran, 1))

    def screenshots(self, page, name):
        page.evaluate(f"() => document.querySelectorAll('{PANEL} .jp-WindowedPanel-outer')"
                      ".forEach(e => e.scrollTop = 0)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}-top.png"))
        widget = page.locator(f"{PANEL} {WIDGET}").first
        if widget.count():
            widget.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"{name}.png"))

@pytest.fixture(scope="module")
def browser(lab):
    """One headless chromium for the module, one context, and the lab it talks to."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SHOTS.glob("*-failure.png"):
        stale.unlink()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        context = chromium.new_context(viewport=VIEWPORT)
        context.set_default_timeout(120_000)
        session = Browser(context, lab)
        try:
            yield session
        finally:
            context.close()
            chromium.close()
            (REPO / "artifacts" / "browser-timings.json").write_text(json.dumps(session.timings, indent=1))


@pytest.fixture(scope="module")
def answered(lab):
    """{(assignment, name): path in the lab}: every release notebook answered with the reference solutions."""
    paths = {}
    for source in source_notebooks(lab["dir"]):
        rel = Path("answered") / source.parent.name / source.name
        (lab["dir"] / rel).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill_in(read(release_path(source)), read(source)), str(lab["dir"] / rel))
        paths[source.parent.name, source.name] = rel.as_posix()
    return paths


@pytest.fixture(scope="module")
def executed(browser, answered):
    """executed(assignment, name) -> what the notebook shows after Run All Cells in the browser.

    Each notebook is run once, a slider of its first widget moved, and its page closed.
    """
    results = {}

    def get(assignment, name):
        if (assignment, name) not in results:
            path, key = answered[assignment, name], label(assignment, name)
            page = None
            try:
                page = browser.open(path, key)
                browser.run_all(page, key)
                result = {"cells": page.evaluate(CELLS_JS), "widgets": page.evaluate(WIDGETS_JS), "page": page}
                browser.screenshots(page, key)
                try:
                    result["slider"] = move_first_slider(browser, page, key)
                except Exception as error:  # noqa: BLE001 (fails the slider test only)
                    result["slider"] = error
            except Exception as error:  # noqa: BLE001 (a notebook that failed to run fails its other tests)
                result = {"error": error, "page": page}
            if result["page"] is not None:
                browser.close(page, path)
                result["page"] = None
            results[assignment, name] = result
        if "error" in results[assignment, name]:
            raise results[assignment, name]["error"]
        return results[assignment, name]

    yield get
    for (assignment, name), result in results.items():
        if result["page"] is not None:
            browser.close(result["page"], answered[assignment, name])


def ids(notebooks):
    return [label(a, n) for a, n in notebooks]


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_answered_notebook_runs_every_cell_without_errors(executed, assignment, name):
    cells = executed(assignment, name)["cells"]
    errors = error_outputs(cells)
    assert not errors, f"{assignment}/{name} shows {len(errors)} error output(s) after Run All:\n{describe(errors)}"
    unrun = [(c["index"], c["source"].split("\n")[0][:80]) for c in cells
             if c["code"] and c["source"].strip() and not re.search(r"\[\d+\]", c["prompt"])]
    assert not unrun, f"{assignment}/{name}: code cells without an execution count after Run All: {unrun}"


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_answered_notebook_renders_its_course_widgets(executed, assignment, name):
    result = executed(assignment, name)
    broken = [(c["index"], c["source"].split("\n")[0][:80], o["text"][:300]) for c in result["cells"]
              for o in c["outputs"] if WIDGET_ERROR.search(o["text"])]
    assert not broken, f"{assignment}/{name}: widget outputs show an error (cell, source, output): {broken}"
    widgets = result["widgets"]
    assert widgets, (f"{assignment}/{name}: no element with class course-widget after Run All "
                     f"(screenshot {SHOTS / (label(assignment, name) + '.png')})")
    for k, w in enumerate(widgets):
        summary = {key: value for key, value in w.items() if key != "images"} | {
            "images": [{**i, "src": i["src"][:40]} for i in w["images"]]}
        assert w["sliders"] >= 1, f"{assignment}/{name}: course widget {k} has no slider: {summary}"
        assert w["images"], f"{assignment}/{name}: course widget {k} has no img: {summary}"
        assert all(i["complete"] and i["width"] > 0 for i in w["images"]), \
            f"{assignment}/{name}: course widget {k} has an image that did not load: {summary}"


def move_first_slider(browser, page, key):
    """Press the arrow keys on the first course widget's first slider; wait for its image to change."""
    widget = page.locator(f"{PANEL} {WIDGET}").first
    assert widget.count(), f"{key}: no course-widget to move a slider in"
    handle = widget.locator(SLIDER_HANDLE).first
    images = widget.locator("img")
    assert handle.count() and images.count(), f"{key}: the first course widget lacks a slider or an img"
    page.bring_to_front()
    started = time.monotonic()
    before_srcs = images.evaluate_all("es => es.map(e => e.getAttribute('src'))")
    before_value = handle.get_attribute("aria-valuenow")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for key_name in ["ArrowRight"] * 3 + ["ArrowLeft"] * 6:  # left as well, in case it started at its maximum
        handle.press(key_name)
        if handle.get_attribute("aria-valuenow") != before_value:
            break
    moved_value = handle.get_attribute("aria-valuenow")
    assert moved_value != before_value, f"{key}: the slider did not move from {before_value}"
    browser.wait(page, key + "-slider", "the widget image to change after moving the slider",
                 lambda: page.wait_for_function(
                     """([widget, before]) => {
                         const images = [...widget.querySelectorAll('img')];
                         return images.some((i, k) => i.getAttribute('src') !== before[k])
                             && images.every(i => i.complete && i.naturalWidth > 0);
                     }""", arg=[widget.element_handle(), before_srcs], timeout=120_000, polling=250))
    browser.timings[key]["slider_redraw"] = round(time.monotonic() - started, 1)
    browser.kernel_ready(page, timeout=120_000)
    widget.screenshot(path=str(SHOTS / f"{key}-slider.png"))
    return {"from": before_value, "to": moved_value, "cells": page.evaluate(CELLS_JS)}


@pytest.mark.parametrize(("assignment", "name"), NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_moving_a_slider_redraws_the_widget_image(executed, assignment, name):
    """In every lesson: a learner moves a slider, and the picture changes."""
    moved = executed(assignment, name)["slider"]
    if isinstance(moved, Exception):
        raise moved
    errors = error_outputs(moved["cells"])
    assert not errors, (f"{assignment}/{name}: moving the slider from {moved['from']} to {moved['to']} "
                        f"led to errors:\n{describe(errors)}")


def validate(browser, path, name):
    """Click nbgrader's Validate button on the notebook at `path`; the dialog's class and text."""
    page = browser.open(path, name)
    try:
        started = time.monotonic()
        page.locator(VALIDATE_BUTTON).click()
        message = browser.wait(page, name, "the Validate dialog", lambda: page.wait_for_selector(
            VALIDATION_MESSAGE, timeout=VALIDATE_TIMEOUT))
        browser.timings[name]["validate"] = round(time.monotonic() - started, 1)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        outcome = message.get_attribute("class"), message.inner_text()
        page.locator(".jp-Dialog .jp-mod-accept").click()
        return outcome
    finally:
        browser.close(page, path)


@pytest.fixture(scope="module")
def to_validate(lab, answered):
    """Copies to validate, so that the Validate button's save leaves the learner's workspace untouched."""
    notebook = next(nb for nb in answered if nb[0] == VALIDATED)
    paths = {"answered": f"validate/answered/{notebook[1]}", "unanswered": f"validate/unanswered/{notebook[1]}"}
    for kind, source in [("answered", answered[notebook]), ("unanswered", UNANSWERED)]:
        (lab["dir"] / paths[kind]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lab["dir"] / source, lab["dir"] / paths[kind])
    return paths


def test_validate_button_passes_an_answered_notebook(browser, to_validate):
    classes, text = validate(browser, to_validate["answered"], "validate-answered")
    assert "validation-success" in classes and "Success! Your notebook passes all the tests." in text, \
        f"Validate on the answered {VALIDATED} did not report success: {classes!r}\n{text[:3000]}"


def test_validate_button_reports_the_failures_of_an_unanswered_notebook(browser, to_validate):
    classes, text = validate(browser, to_validate["unanswered"], "validate-unanswered")
    assert "validation-failed" in classes and "The following cell failed:" in text, \
        f"Validate on the unanswered {UNANSWERED} did not report failures: {classes!r}\n{text[:3000]}"
    assert re.search(r"`\w+` is not written yet: finish Exercise \d", text), \
        f"the failure report does not name the unanswered exercise:\n{text[:3000]}"


def test_formgrader_lists_every_assignment(browser, instructor_lab, assignments):
    page = browser.context.new_page()
    try:
        page.goto(f"{instructor_lab['base']}/formgrader?token={TOKEN}")
        names = page.locator("#main-table td.name")
        browser.wait(page, "formgrader", "the formgrader's assignment table", lambda: page.wait_for_function(
            "n => document.querySelectorAll('#main-table td.name').length >= n", arg=len(assignments),
            timeout=OPEN_TIMEOUT, polling=500))
        page.screenshot(path=str(SHOTS / "formgrader.png"))
        shown = sorted(t.strip() for t in names.all_inner_texts())
        assert page.url.endswith("/formgrader/manage_assignments"), f"the formgrader is at {page.url}"
        assert shown == assignments, f"the formgrader lists {shown}, expected {assignments}"
    finally:
        page.close()
