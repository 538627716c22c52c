"""The class server end to end: `make hub` for a roster, a week of the course in a real browser, and who sees what.

The module's fixture runs `make hub` in a fresh clone of the course, with its root in a scratch folder, on a
free loopback port, for a test roster of one instructor and two students (Unix accounts nnhubt-*, groups
nnhubt-students and nnhubt-instructors). `make hub` starts with Debian's Python; the hub's venv is the
repository's .hub/venv, built by the first run and reused. The instructor releases notebook 1; in Debian's
chromium each student logs in with the initial password, fetches it from the Assignments tab, answers it
(student A with the reference answers, student B with one of the listed wrong answers) and submits; the
instructor collects, grades with `python -m course grade` and releases the feedback, which each student
fetches and opens in the browser. Then who may see what, a re-run of the setup, and the stop, by its pid:
every process the hub started ends with it. The accounts and the scratch folder are removed at the end, and
before the start (what an interrupted run left).

It needs root (useradd, PAM, servers run as each account): without root the module is skipped and says so.
"""
import csv
import grp
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from grader.assignments import fill_in, read
from grader.hub.settings import UMASK, Settings
from grader.preprocessors.redact import NOTE
from tests.support.browser import CHROMIUM, LAUNCH_ARGS, SHOTS, VIEWPORT, sync_playwright_or_skip
from tests.support.environment import REPO, env, on_a_free_port
from tests.support.lab import SKIP, VENV_INPUTS
from tests.support.wrong_answers import MISTAKES

if os.geteuid() != 0:
    pytest.skip("the class server test makes Unix accounts (useradd) and runs servers as them: it needs root",
                allow_module_level=True)
sync_playwright = sync_playwright_or_skip()

pytestmark = pytest.mark.slow

GROUPS = "nnhubt"
TEACHER, ADA, BOB, NEWCOMER = (f"{GROUPS}-{name}" for name in ("teacher", "ada", "bob", "cy"))
ROSTER = f"""id,name,role
{TEACHER},Tess Teacher,instructor
{ADA},Ada Lovelace,student
{BOB},Bob Builder
"""
ASSIGNMENT, NOTEBOOK = "01_notation", "notation.ipynb"
MISTAKE = MISTAKES[ASSIGNMENT][0]
HUB_VENV = REPO / ".hub" / "venv"  # shared by every run, like the course's .venv
LAST_LINE = "Stop it with Ctrl-C"
NBGRADER_MENU = ".lm-MenuBar-itemLabel:text-is('Nbgrader')"
SCORE = re.compile(r"\(Score: ([\d.]+) / ([\d.]+)\)")


# --- accounts and commands ---------------------------------------------------------------------------------------

def accounts_now():
    """The test's accounts that exist now (the roster's and the one a re-run adds)."""
    names = {TEACHER, ADA, BOB, NEWCOMER}
    for group in (f"{GROUPS}-students", f"{GROUPS}-instructors"):
        try:
            names |= set(grp.getgrnam(group).gr_mem)
        except KeyError:
            pass
    existing = set()
    for name in names:
        try:
            pwd.getpwnam(name)
            existing.add(name)
        except KeyError:
            pass
    return sorted(existing)


def remove_accounts():
    """The test's accounts with their homes, and its groups."""
    for name in accounts_now():
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    for group in (f"{GROUPS}-students", f"{GROUPS}-instructors"):
        subprocess.run(["groupdel", group], capture_output=True)


def as_user(user, command, settings, cwd=None, timeout=600):
    """`command` run as `user`, with what the hub's spawner gives that user's server and its terminals."""
    account = pwd.getpwnam(user)
    kind = "instructor" if user in grp.getgrnam(settings.instructors_group).gr_mem else "learner"
    environment = {"HOME": account.pw_dir, "USER": user, "LOGNAME": user, "SHELL": "/bin/bash", "LANG": "C.UTF-8",
                   "PATH": f"{settings.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", **settings.environment(kind)}
    return subprocess.run(command, user=account.pw_uid, group=account.pw_gid,
                          extra_groups=os.getgrouplist(user, account.pw_gid), umask=UMASK[kind],
                          cwd=cwd or account.pw_dir, env=environment, capture_output=True, text=True, timeout=timeout)


def instructor(settings, *command, timeout=600):
    done = as_user(TEACHER, list(command), settings, cwd=settings.course, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} as the instructor:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def probe(user, settings, checks):
    """{name: "ok" | "denied" | "missing"} for each (name, Python statement) run as `user` with the system Python."""
    script = textwrap.dedent("""
        import json, os, sys
        results = {}
        for name, statement in json.loads(sys.argv[1]):
            try:
                exec(statement)
                results[name] = "ok"
            except PermissionError:
                results[name] = "denied"
            except FileNotFoundError:
                results[name] = "missing"
        print(json.dumps(results))
    """)
    done = as_user(user, ["/usr/bin/python3", "-c", script, json.dumps(checks)], settings)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- the hub ----------------------------------------------------------------------------------------------------

def clone(scratch):
    """A git clone of the working tree as it stands, sharing the course's .venv and the hub's .hub/ (npm, venv)."""
    snapshot = scratch / "snapshot"
    shutil.copytree(REPO, snapshot, ignore=lambda folder, names: SKIP(folder, names) | ({".hub"} & set(names)))
    git = ["git", "-c", "user.name=course-tests", "-c", "user.email=tests@course.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run([*git, *command], cwd=snapshot, check=True, capture_output=True)
    course = scratch / "course"
    subprocess.run(["git", "clone", "-q", str(snapshot), str(course)], check=True, capture_output=True)
    shutil.rmtree(snapshot)
    os.symlink(REPO / ".venv", course / ".venv")
    (REPO / ".hub").mkdir(exist_ok=True)
    os.symlink(REPO / ".hub", course / ".hub")
    for name in VENV_INPUTS:
        if (REPO / name).exists():
            shutil.copystat(REPO / name, course / name)
    return course


def make_hub(course, roster, root, port, *extra):
    return ["make", "hub", f"ROSTER={roster}",
            f"HUB_ARGS=--root={root} --venv={HUB_VENV} --port={port} --groups={GROUPS} {' '.join(extra)}"]


@pytest.fixture(scope="module")
def hub():
    remove_accounts()
    scratch = Path(tempfile.mkdtemp(prefix="nn-hub-test-"))
    os.chmod(scratch, 0o755)  # every account must reach the hub's root inside it, the instructor the course
    started = {"scratch": scratch}
    try:
        course = clone(scratch)
        roster = scratch / "roster.csv"
        roster.write_text(ROSTER)
        root = scratch / "hub"
        log = scratch / "make-hub.log"

        def start(port):
            began = time.monotonic()
            process = subprocess.Popen(make_hub(course, roster, root, port), cwd=course, env=env(),
                                       stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
            deadline = began + 1800  # the first run builds the hub's venv
            while LAST_LINE not in log.read_text():
                if process.poll() is not None:
                    if "is in use" in log.read_text():
                        return None
                    raise AssertionError("make hub exited:\n" + log.read_text()[-4000:])
                if time.monotonic() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    raise AssertionError("make hub did not start:\n" + log.read_text()[-4000:])
                time.sleep(0.5)
            return {"process": process, "port": port, "seconds": time.monotonic() - began}

        started.update(on_a_free_port(start))
        settings = Settings.load(root / "state" / "settings.json")
        with open(settings.passwords) as f:
            passwords = {row["id"]: row["initial_password"] for row in csv.DictReader(f)}
        started.update(settings=settings, passwords=passwords, log=log, roster=roster, course=course,
                       base=f"http://127.0.0.1:{started['port']}", began=time.monotonic())
        yield started
    finally:
        if "process" in started and started["process"].poll() is None:
            stop_hub(started)
        remove_accounts()
        shutil.rmtree(scratch, ignore_errors=True)
        if "began" in started:
            print(f"\nclass server: started in {started['seconds']:.0f} s, "
                  f"tests {time.monotonic() - started['began']:.0f} s")


def stop_hub(started):
    """SIGTERM to the pid the hub wrote; make ends with it."""
    pid = int(started["settings"].pid_file.read_text())
    os.kill(pid, signal.SIGTERM)
    try:
        started["process"].wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(started["process"].pid, signal.SIGKILL)
        raise


# --- the browser ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def pages(hub, chromium):
    """A logged-in page on each person's JupyterLab, each in a browser context (cookies) of its own."""
    opened = {}

    def page(user):
        if user not in opened:
            context = chromium.new_context(viewport=VIEWPORT)
            context.set_default_timeout(120_000)
            opened[user] = log_in(context.new_page(), hub, user)
        return opened[user]

    yield page
    for p in opened.values():
        p.context.close()


def log_in(page, hub, user):
    page.goto(f"{hub['base']}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub["passwords"][user])
    page.click("#login_submit")
    page.wait_for_selector(NBGRADER_MENU)  # the server started as the account, JupyterLab loaded
    assert page.url.startswith(f"{hub['base']}/user/{user}/lab"), page.url
    return page


def menu_items(page):
    page.click(NBGRADER_MENU)
    page.wait_for_selector(".lm-Menu .lm-Menu-item")
    items = page.locator(".lm-Menu .lm-Menu-item:visible .lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    return items


def assignments_tab(page):
    """The Assignments tab (nbgrader's assignment list), open and refreshed."""
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab:has-text('Assignments')")
    if tab.count():
        tab.first.click()
        page.click("#refresh_assignments_list")
    else:
        page.click(NBGRADER_MENU)
        page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
    page.wait_for_selector("#released_assignments_list")


def listed(page, which):
    return page.locator(f"#{which}_assignments_list > .list_item", has_text=ASSIGNMENT).first


def save_notebook(page, user, nb):
    """PUT the notebook into the fetched folder through the server's contents API, as the browser's own session."""
    status = page.evaluate("""async ([user, path, nb]) => {
        const cookie = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
        const response = await fetch(`/user/${user}/api/contents/${path}`, {method: 'PUT',
            headers: {'Content-Type': 'application/json',
                      'X-XSRFToken': cookie ? decodeURIComponent(cookie.slice(6)) : ''},
            body: JSON.stringify({type: 'notebook', format: 'json', content: nb})});
        return response.status;
    }""", [user, f"{ASSIGNMENT}/{NOTEBOOK}", nb])
    assert status == 200, status


def answered(edits=None):
    release, source = (read(REPO / folder / ASSIGNMENT / NOTEBOOK) for folder in ("release", "source"))
    return fill_in(release, source, edits)


# --- the week ---------------------------------------------------------------------------------------------------

def test_the_roster_gives_each_person_a_private_account(hub):
    settings = hub["settings"]
    assert set(grp.getgrnam(settings.students_group).gr_mem) == {ADA, BOB}
    assert set(grp.getgrnam(settings.instructors_group).gr_mem) == {TEACHER}
    for user in (TEACHER, ADA, BOB):
        home = Path(pwd.getpwnam(user).pw_dir)
        assert home.stat().st_mode & 0o777 == 0o700, f"{home} is not private"
    info = settings.passwords.stat()
    instructors = grp.getgrnam(settings.instructors_group).gr_gid
    assert (info.st_mode & 0o777, info.st_uid, info.st_gid) == (0o640, 0, instructors)
    assert set(hub["passwords"]) == {TEACHER, ADA, BOB}
    assert str(settings.venv).startswith(str(HUB_VENV))
    python = Path(settings.venv, "bin", "python").resolve()
    assert python.is_relative_to("/usr"), f"the hub's venv must run a Python every user can run, not {python}"


def test_students_fetch_answer_and_submit_in_the_browser(hub, pages):
    instructor(hub["settings"], "nbgrader", "release_assignment", ASSIGNMENT)
    work = {ADA: answered(), BOB: answered({MISTAKE.cell: (MISTAKE.old, MISTAKE.new)})}
    for user, nb in work.items():
        page = pages(user)
        assert menu_items(page) == ["Assignment List"], "a student's Nbgrader menu"
        assignments_tab(page)
        listed(page, "released").locator(".item_status button:text('Fetch')").click()
        fetched = listed(page, "fetched")
        fetched.wait_for()
        if user == ADA:
            page.screenshot(path=str(SHOTS / "hub-student-assignments.png"))
        save_notebook(page, user, nb)
        if user == ADA:  # what Validate runs: a kernel of the hub's venv, as the student, in her home
            validated = as_user(ADA, ["nbgrader", "validate", f"{ASSIGNMENT}/{NOTEBOOK}"], hub["settings"])
            assert "Success! Your notebook passes all the tests." in validated.stdout, validated.stdout[-3000:]
        fetched.locator(".item_status button:text('Submit')").click()
        listed(page, "submitted").locator(".item_status button:text('Fetch Feedback')").wait_for()
        mine = Path(pwd.getpwnam(user).pw_dir, ASSIGNMENT, NOTEBOOK)
        assert mine.stat().st_uid == pwd.getpwnam(user).pw_uid, "the fetched copy is the student's own"


def test_the_instructor_collects_grades_and_releases_feedback(hub):
    settings = hub["settings"]
    instructor(settings, "nbgrader", "collect", ASSIGNMENT)
    for user in (ADA, BOB):
        assert (settings.course / "submitted" / user / ASSIGNMENT / NOTEBOOK).is_file()
    graded = instructor(settings, "python", "-m", "course", "grade", "--assignment", ASSIGNMENT)
    assert "without the sandbox" not in graded.stdout + graded.stderr
    with open(settings.course / "grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert float(rows[ADA]["score"]) == float(rows[ADA]["max_score"]) > 0, rows[ADA]
    assert float(rows[BOB]["score"]) < float(rows[BOB]["max_score"]), rows[BOB]
    instructor(settings, "nbgrader", "release_feedback", ASSIGNMENT)
    assert len(list((settings.exchange / settings.course_id / "feedback").glob("*.html"))) == 2
    hub["grades"] = rows


def test_each_student_fetches_feedback_and_sees_their_own_score(hub, pages):
    rows = hub["grades"]
    for user in (ADA, BOB):
        page = pages(user)
        assignments_tab(page)
        listed(page, "submitted").locator(".item_status button:text('Fetch Feedback')").click()
        page.locator("#submitted_assignments_list a:text('(view feedback)')").first.click()  # the file browser
        page.locator(".jp-DirListing-item:has-text('notation.html')").first.dblclick()
        heading = page.frame_locator(".jp-HTMLViewer:not(.lm-mod-hidden) iframe").locator("h4").first
        score, maximum = map(float, SCORE.search(heading.inner_text()).groups())
        page.screenshot(path=str(SHOTS / f"hub-feedback-{'a' if user == ADA else 'b'}.png"))
        assert (score, maximum) == (float(rows[user]["score"]), float(rows[user]["max_score"])), heading.inner_text()
        assert (score == maximum) == (user == ADA), f"{user}: {score} / {maximum}"


def test_the_instructors_nbgrader_commands_use_the_courses_settings_from_anywhere(hub):
    """nbgrader's own feedback (after manual grading), run from the instructor's home, still hides hidden tests."""
    settings = hub["settings"]
    done = as_user(TEACHER, ["nbgrader", "generate_feedback", ASSIGNMENT, f"--student={BOB}", "--force"], settings)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    html = (settings.course / "feedback" / BOB / ASSIGNMENT / "notation.html").read_text()
    assert NOTE in html and "BEGIN HIDDEN TESTS" not in html


# --- who may see what -------------------------------------------------------------------------------------------

def test_a_student_cannot_read_another_students_work_or_the_course(hub):
    settings = hub["settings"]
    bob_home = pwd.getpwnam(BOB).pw_dir
    course_exchange = settings.exchange / settings.course_id
    checks = [
        ("bob's home", f"os.listdir({bob_home!r})"),
        ("bob's notebook", f"open({bob_home!r} + '/{ASSIGNMENT}/{NOTEBOOK}').read()"),
        ("bob's fetched feedback", f"os.listdir({bob_home!r} + '/{ASSIGNMENT}/feedback')"),
        ("the submissions in the exchange", f"os.listdir({str(course_exchange / 'inbound')!r})"),
        ("the feedback in the exchange", f"os.listdir({str(course_exchange / 'feedback')!r})"),
        ("the course directory", f"os.listdir({str(settings.course)!r})"),
        ("the collected submissions", f"os.listdir({str(settings.course / 'submitted' / BOB)!r})"),
        ("the source notebooks", f"open({str(settings.course / 'source' / ASSIGNMENT / NOTEBOOK)!r}).read()"),
        ("the passwords", f"open({str(settings.passwords)!r}).read()"),
        ("the hub's state", f"os.listdir({str(settings.state)!r})"),
    ]
    assert probe(ADA, settings, checks) == {name: "denied" for name, _ in checks}
    own = [("her own notebook", f"open(os.path.expanduser('~/{ASSIGNMENT}/{NOTEBOOK}')).read()"),
           ("the released assignment", f"os.listdir({str(course_exchange / 'outbound' / ASSIGNMENT)!r})")]
    assert probe(ADA, settings, own) == {name: "ok" for name, _ in own}


def test_a_student_can_only_submit_to_the_exchange(hub):
    settings = hub["settings"]
    other = settings.exchange / "another-course"
    for folder, mode in ((other, 0o755), (other / "outbound", 0o755), (other / "outbound" / "ps1", 0o755)):
        folder.mkdir()
        os.chown(folder, pwd.getpwnam(TEACHER).pw_uid, -1)
        os.chmod(folder, mode)
    released = settings.exchange / settings.course_id / "outbound" / ASSIGNMENT / NOTEBOOK
    ours = settings.exchange / settings.course_id
    checks = [
        ("add to another course", f"open({str(other / 'outbound' / 'ps1' / 'x.ipynb')!r}, 'w')"),
        ("make a folder in another course", f"os.mkdir({str(other / 'inbound')!r})"),
        ("rename another course", f"os.rename({str(other)!r}, {str(other) + '-mine'!r})"),
        ("remove another course's assignment", f"os.rmdir({str(other / 'outbound' / 'ps1')!r})"),
        ("take over this course's folder", f"os.rename({str(ours)!r}, {str(ours) + '-mine'!r})"),
        ("release into this course", f"open({str(released.parent.parent / 'ps2.ipynb')!r}, 'w')"),
        ("change a released notebook", f"open({str(released)!r}, 'a')"),
    ]
    assert probe(ADA, settings, checks) == {name: "denied" for name, _ in checks}


def test_the_instructor_has_the_formgrader_with_both_submissions(hub, pages):
    page = pages(TEACHER)
    assert menu_items(page) == ["Assignment List", "Course List", "Formgrader", "Create assignment"]
    page.goto(f"{hub['base']}/user/{TEACHER}/formgrader/manage_submissions/{ASSIGNMENT}")
    rows = page.locator("table tbody tr")
    rows.first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('table tbody tr').length >= 2", polling=250)
    text = page.locator("table tbody").inner_text()
    page.screenshot(path=str(SHOTS / "hub-formgrader.png"))
    assert "Lovelace" in text and "Builder" in text, text


def test_a_students_browser_has_no_formgrader_and_no_other_server(hub, pages):
    page = pages(ADA)
    assert page.goto(f"{hub['base']}/user/{ADA}/formgrader").status == 404
    response = page.goto(f"{hub['base']}/user/{TEACHER}/lab")
    assert response.status in (403, 404) or f"/user/{ADA}/" in page.url, (response.status, page.url)
    assert page.locator(NBGRADER_MENU).count() == 0, "the instructor's JupyterLab opened for a student"
    page.goto(f"{hub['base']}/user/{ADA}/lab")
    page.wait_for_selector(NBGRADER_MENU)


# --- the roster again, and the stop -----------------------------------------------------------------------------

def test_a_bad_roster_changes_nothing_and_a_rerun_only_adds(hub):
    settings, course = hub["settings"], hub["course"]
    ada_home = Path(pwd.getpwnam(ADA).pw_dir)
    before = {"listing": sorted(p.name for p in ada_home.iterdir()), "shadow": shadow(ADA)}
    bad = hub["scratch"] / "bad.csv"
    bad.write_text(ROSTER + f"{NEWCOMER},Cy Newcomer\nBad Id,Someone\n{ADA},Ada Again\n")
    command = ["/usr/bin/python3", "-m", "course", "hub", f"--roster={bad}",  # as `make hub` starts it
               f"--root={settings.root}", f"--venv={settings.venv}", f"--groups={GROUPS}", "--setup-only"]
    refused = subprocess.run(command, cwd=course, env=env(), capture_output=True, text=True)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "line 6: 'Bad Id' has a space in it" in refused.stderr and "line 7: 'nnhubt-ada' is already on line 3" \
        in refused.stderr, refused.stderr
    assert NEWCOMER not in accounts_now(), "a roster with a problem changed something"
    good = hub["scratch"] / "more.csv"
    good.write_text(ROSTER + f"{NEWCOMER},Cy Newcomer\n")
    added = subprocess.run([*command[:4], f"--roster={good}", *command[5:]], cwd=course, env=env(),
                           capture_output=True, text=True)
    assert added.returncode == 0, added.stdout + added.stderr
    assert f"accounts created: {NEWCOMER}" in added.stdout, added.stdout
    assert before == {"listing": sorted(p.name for p in ada_home.iterdir()), "shadow": shadow(ADA)}
    with open(settings.passwords) as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [TEACHER, ADA, BOB, NEWCOMER]
    assert {r["id"]: r["initial_password"] for r in rows if r["id"] != NEWCOMER} == hub["passwords"]


def shadow(user):
    for line in Path("/etc/shadow").read_text().splitlines():
        if line.startswith(f"{user}:"):
            return line
    return None


def test_stopping_the_hub_stops_every_process_it_started(hub):
    settings = hub["settings"]
    wrapper = psutil.Process(int(settings.pid_file.read_text()))
    started = wrapper.children(recursive=True)
    names = {p.name() for p in started}
    assert {"jupyterhub", "node"} <= names and sum("singleuser" in n or "jupyterhub-sing" in n for n in names) >= 1, \
        names
    stop_hub(hub)
    alive = [p.pid for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"still running after the stop: {alive}"
    uids = {pwd.getpwnam(u).pw_uid for u in accounts_now()}
    left = [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real in uids]
    assert not left, f"processes of the test's accounts still running: {left}"
    assert not settings.pid_file.exists()
    assert "the hub has stopped, and every process it started" in hub["log"].read_text()
