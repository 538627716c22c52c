"""`make lab` and `make instructor` start JupyterLab on the course, each in a fresh clone of the repo:
the learner's with Validate and the assignment list only, the instructor's with the formgrader too."""
import json
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.support.lab import LAST_LINE, TOKEN

LEARNER_OFF = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"]


def get(lab, path):
    with lab["open"](f"{lab['base']}{path}", timeout=30) as response:
        return response.status, response.geturl(), response.read().decode()


def status(lab, path):
    try:
        return get(lab, path)[0]
    except urllib.error.HTTPError as error:
        return error.code


def page_config(lab):
    _, _, page = get(lab, f"/lab?token={TOKEN}")
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_serves_jupyterlab_and_prints_the_addresses_last(lab):
    status_code, _, page = get(lab, f"/lab?token={TOKEN}")
    assert status_code == 200 and "JupyterLab" in page
    printed = lab["printed"].rstrip().split("\n")
    start = f"http://127.0.0.1:{lab['port']}/lab/tree/workspace/START_HERE.md?token={TOKEN}"
    assert any(start in line for line in printed[-6:]), f"the start page's address is not among the last lines:\n" \
                                                        f"{lab['printed'][-2000:]}"
    assert LAST_LINE in printed[-1]


def test_a_fresh_clone_sets_up_quietly_and_keeps_the_release(lab):
    printed = lab["printed"]
    assert "Removing existing assignment" not in printed and "regenerating" not in printed, printed[-3000:]
    assert "[W " not in printed and "[I " not in printed, f"JupyterLab's log should be quiet:\n{printed[-3000:]}"
    changed = subprocess.run(["git", "status", "--porcelain", "--", "release", "source"], cwd=lab["dir"],
                             capture_output=True, text=True, check=True).stdout
    assert not changed, f"release/ differs from the clone's:\n{changed}"


def test_instructor_lab_prints_the_formgrader_address(instructor_lab):
    printed = instructor_lab["printed"]
    base = f"http://127.0.0.1:{instructor_lab['port']}"
    for address in [f"{base}/formgrader?token={TOKEN}", f"{base}/lab/tree/source?token={TOKEN}"]:
        assert address in printed, f"{address} is not printed:\n{printed[-2000:]}"
    assert "Create assignment" in printed and LAST_LINE in printed.rstrip().split("\n")[-1]


def test_formgrader_lists_the_assignments(instructor_lab, assignments):
    status_code, url, page = get(instructor_lab, f"/formgrader?token={TOKEN}")
    assert status_code == 200 and url.endswith("/formgrader/manage_assignments") and "nbgrader" in page
    _, _, body = get(instructor_lab, "/formgrader/api/assignments")
    assert sorted(a["name"] for a in json.loads(body)) == assignments


def test_learner_lab_has_no_formgrader_or_course_list(lab):
    for endpoint in ["/formgrader", "/formgrader/api/assignments", "/formgraders"]:
        assert status(lab, endpoint) == 404, f"{endpoint} answers in the learner's lab"


@pytest.mark.parametrize("kind", ["learner", "instructor"])
def test_lab_loads_nbgrader_and_the_widgets(request, kind):
    lab = request.getfixturevalue("lab" if kind == "learner" else "instructor_lab")
    _, _, page = get(lab, "/lab")
    for extension in ["@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager"]:
        assert extension in page, f"lab extension {extension} is not loaded"
    _, _, body = get(lab, "/nbgrader_version?version=0.9.6")
    assert json.loads(body)["success"] is True
    disabled = set(page_config(lab)["disabledExtensions"])
    if kind == "learner":
        assert set(LEARNER_OFF) <= disabled, f"the learner's lab loads instructor plugins: disabled are {disabled}"
        assert not {"@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:assignment-list"} & disabled
    else:
        assert not {p for p in disabled if p.startswith("@jupyter/nbgrader")}, disabled
        status_code, _, body = get(lab, "/formgraders")  # the course list
        assert status_code == 200 and "success" in json.loads(body)


def test_learner_assignment_list_reads_a_local_exchange(lab):
    _, _, body = get(lab, "/assignments?course_id=nn-from-scratch")
    assert json.loads(body) == {"success": True, "value": []}, "not the error of a missing exchange"
    assert (lab["dir"] / ".exchange").is_dir()


def test_validate_extension_validates_a_notebook(lab):
    request = urllib.request.Request(
        f"{lab['base']}/assignments/validate", method="POST",
        data=b"path=workspace/02_forward_pass/forward_pass.ipynb",
        headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        reply = json.loads(response.read())
    assert reply["success"] is True
    value = reply["value"] if isinstance(reply["value"], dict) else json.loads(reply["value"])
    assert value.get("failed"), "an unanswered notebook fails validation"


def test_news_popup_is_switched_off(lab):
    _, _, body = get(lab, "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {k: v.get("default") for k, v in json.loads(body)["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False


def test_learner_workspace_is_made_without_overwriting_work(lab):
    workspace = lab["dir"] / "workspace"
    assert (workspace / "01_notation" / "notation.ipynb").read_text() == "my own work"
    release = sorted(p.relative_to(lab["dir"] / "release") for p in (lab["dir"] / "release").rglob("*.ipynb"))
    assert all((workspace / p).exists() for p in release)
    assert (workspace / "02_forward_pass" / "forward_pass.ipynb").read_bytes() == \
        (lab["dir"] / "release" / "02_forward_pass" / "forward_pass.ipynb").read_bytes()
    assert (workspace / "appendix" / "pytorch.ipynb").read_bytes() == \
        (lab["dir"] / "appendix" / "pytorch.ipynb").read_bytes(), "the optional appendix is copied too"


def test_start_page_lists_every_lesson_with_a_link(lab):
    page = (lab["dir"] / "workspace" / "START_HERE.md").read_text()
    for notebook in sorted((lab["dir"] / "release").glob("*/*.ipynb")):
        link = f"]({notebook.parent.name}/{notebook.name})"
        assert link in page, f"the start page has no link to {notebook.parent.name}/{notebook.name}"
    assert "**Validate**" in page and "make check NB=workspace/" in page
    assert "| 1 | [" in page and "cannot be read" in page, "notebook 1 is the learner's own, unreadable file"
