"""The learner's lab (`make lab`) and the instructor's (`make instructor`) in a real browser.

The learner's opens on workspace/START_HERE.md, which lists every lesson, and has Validate and the
assignment list but no formgrader, course list or Create Assignment: no menu entry, no command, no
sidebar, no page. The instructor's has them all. One headless chromium serves the module; each lab is
the session's (tests/support/jobs.py), started once, and exposes window.jupyterapp for these tests.
"""
import re
import shutil
import subprocess

import pytest

from grader.apps.start import read_cells, title
from tests.support.browser import CHROMIUM, LAUNCH_ARGS, SHOTS, VIEWPORT, sync_playwright_or_skip
from tests.support.environment import env
from tests.support.lab import TOKEN

sync_playwright = sync_playwright_or_skip()

pytestmark = pytest.mark.slow

NBGRADER_COMMANDS = {
    "learner": ["nbgrader:open-assignment-list"],
    "instructor": ["nbgrader:open-assignment-list", "nbgrader:open-course-list", "nbgrader:open-create-assignment",
                   "nbgrader:open-formgrader", "nbgrader:open-formgrader-local"]}
MENU = {"learner": ["Assignment List"],
        "instructor": ["Assignment List", "Course List", "Formgrader", "Create assignment"]}  # (local): in a notebook
CREATE_ASSIGNMENT_TAB = ".jp-SideBar.jp-mod-right .lm-TabBar-tab[data-id='nbgrader-create_assignemnt']"  # sic
START_PAGE = ".jp-MarkdownViewer:not(.lm-mod-hidden) .jp-RenderedMarkdown"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
VALIDATE_BUTTON = f"{PANEL} .jp-Toolbar-item[data-jp-item-name='runAll']:has-text('Validate')"
CURRENT_PATH_JS = "() => { const w = window.jupyterapp.shell.currentWidget; return w && w.context && w.context.path }"
COMMANDS_JS = "() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('nbgrader:')).sort()"


@pytest.fixture(scope="module")
def context():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        browser_context = chromium.new_context(viewport=VIEWPORT)
        browser_context.set_default_timeout(120_000)
        try:
            yield browser_context
        finally:
            browser_context.close()
            chromium.close()


def opened(context, lab):
    """A page on the lab's own first address (`/`, as the browser `make lab` opens goes), the app started."""
    page = context.new_page()
    page.goto(f"{lab['base']}/?token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget", polling=250)
    page.wait_for_selector(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
    return page


@pytest.fixture(scope="module")
def learner(context, lab):
    page = opened(context, lab)
    page.wait_for_selector(f"{START_PAGE} h1")
    page.screenshot(path=str(SHOTS / "learner-start-page.png"))
    yield page
    page.close()


@pytest.fixture(scope="module")
def instructor(context, instructor_lab):
    page = opened(context, instructor_lab)
    yield page
    page.close()


def menu_items(page):
    """The visible entries of the Nbgrader menu."""
    page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
    page.wait_for_selector(".lm-Menu .lm-Menu-item")
    items = page.locator(".lm-Menu .lm-Menu-item:visible .lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    return items


def run_command(page, command, args=None):
    """Run a Lab command, and accept the dialog it may ask its question in (so it is not awaited)."""
    page.evaluate("([c, a]) => { window.jupyterapp.commands.execute(c, a); }", [command, args or {}])
    try:
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=3_000)
    except Exception:  # noqa: BLE001 (playwright's TimeoutError: it asked nothing)
        pass


def show_start_page(page):
    page.locator("#jp-main-dock-panel .lm-TabBar-tab:has-text('START_HERE.md')").click()
    page.wait_for_selector(START_PAGE)


def test_learner_lab_opens_on_the_start_page(learner, lab):
    assert learner.url.endswith("/lab/tree/workspace/START_HERE.md"), learner.url
    assert learner.evaluate(CURRENT_PATH_JS) == "workspace/START_HERE.md"
    heading = learner.locator(f"{START_PAGE} h1").first.inner_text()
    assert "start here" in heading.lower(), f"a rendered Markdown preview, not the source: {heading!r}"


def test_start_page_links_every_lesson(learner, lab):
    links = learner.locator(f"{START_PAGE} table a").all_inner_texts()
    release = sorted((lab["dir"] / "release").glob("*/*.ipynb"))
    expected = [title(read_cells(p), p.parent.name).replace("`", "") for p in release]  # rendered: no backticks
    assert [re.sub(r"\s+", " ", t).strip() for t in links] == expected
    assert learner.locator(f"{START_PAGE} strong:text-is('Validate')").count(), "how to validate"
    assert "make check NB=workspace/" in learner.locator(START_PAGE).inner_text(), "how to check"


def test_a_lesson_link_opens_its_notebook_with_the_validate_button(learner, lab):
    show_start_page(learner)
    learner.locator(f"{START_PAGE} table a").nth(1).click()  # notebook 1 is the learner's own, unreadable file
    learner.wait_for_selector(VALIDATE_BUTTON)
    path = learner.evaluate(CURRENT_PATH_JS)
    try:
        assert path == "workspace/02_forward_pass/forward_pass.ipynb"
    finally:
        run_command(learner, "notebook:close-and-shutdown")
        learner.wait_for_selector(PANEL, state="detached")


def test_learner_lab_has_the_assignment_list_and_no_instructor_tools(learner):
    assert menu_items(learner) == MENU["learner"]
    assert learner.evaluate(COMMANDS_JS) == NBGRADER_COMMANDS["learner"]
    assert learner.locator(CREATE_ASSIGNMENT_TAB).count() == 0, "the learner's lab has the Create Assignment sidebar"
    learner.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
    learner.click(".lm-Menu-itemLabel:text-is('Assignment List')")
    listed = learner.wait_for_selector("#released_assignments_list")
    learner.screenshot(path=str(SHOTS / "learner-assignment-list.png"))
    assert "no assignments to fetch" in listed.inner_text().lower(), "an empty local exchange, not an error"


def test_learner_lab_has_no_formgrader_page(context, lab):
    page = context.new_page()
    try:
        response = page.goto(f"{lab['base']}/formgrader?token={TOKEN}")
        assert response.status == 404
    finally:
        page.close()


def test_instructor_lab_has_the_formgrader_and_create_assignment(instructor):
    assert menu_items(instructor) == MENU["instructor"]
    assert instructor.evaluate(COMMANDS_JS) == NBGRADER_COMMANDS["instructor"]
    assert instructor.locator(CREATE_ASSIGNMENT_TAB).count() == 1
    # Create Assignment works on the open notebook: a source notebook's cells, with their points.
    run_command(instructor, "docmanager:open", {"path": "source/01_notation/notation.ipynb"})
    try:
        instructor.wait_for_selector(f"{PANEL} .jp-Cell")
        instructor.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
        instructor.click(".lm-Menu-itemLabel:text-is('Create assignment')")
        instructor.wait_for_selector("#nbgrader-create_assignemnt .nbgrader-TotalPointsInput:visible")
        instructor.screenshot(path=str(SHOTS / "instructor-create-assignment.png"))
    finally:
        run_command(instructor, "notebook:close-and-shutdown")


@pytest.mark.skipif(not shutil.which("bwrap"), reason="make check grades in bubblewrap's sandbox")
def test_make_check_shows_its_score_on_the_start_page(learner, lab):
    checked = subprocess.run(["make", "check", "NB=workspace/02_forward_pass/forward_pass.ipynb"], cwd=lab["dir"],
                             env=env(), capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    total = re.search(r"total: (\S+) / (\S+)", checked.stdout).groups()
    page = (lab["dir"] / "workspace" / "START_HERE.md").read_text()
    row = next(line for line in page.split("\n") if "(02_forward_pass/forward_pass.ipynb)" in line)
    assert f"{total[0]} / {total[1]} points" in row, row
    show_start_page(learner)
    run_command(learner, "docmanager:reload")
    learner.wait_for_function(
        "([selector, text]) => document.querySelector(selector).innerText.includes(text)",
        arg=[START_PAGE, f"{total[0]} / {total[1]} points"], polling=250, timeout=30_000)
