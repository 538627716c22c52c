"""`make lab` starts JupyterLab on the course, with nbgrader's extensions, in a copy of the repo."""
import json
import urllib.request

from tests.support.lab import TOKEN


def get(lab, path):
    with lab["open"](f"{lab['base']}{path}", timeout=30) as response:
        return response.status, response.geturl(), response.read().decode()


def test_serves_jupyterlab_and_prints_the_url(lab):
    status, _, page = get(lab, f"/lab?token={TOKEN}")
    assert status == 200 and "JupyterLab" in page
    printed = (lab["dir"] / "lab.log").read_text()
    assert f"http://127.0.0.1:{lab['port']}/lab/tree/workspace?token={TOKEN}" in printed


def test_formgrader_lists_the_assignments(lab, assignments):
    status, url, page = get(lab, f"/formgrader?token={TOKEN}")
    assert status == 200 and url.endswith("/formgrader/manage_assignments") and "nbgrader" in page
    _, _, body = get(lab, "/formgrader/api/assignments")
    assert sorted(a["name"] for a in json.loads(body)) == assignments


def test_nbgrader_lab_and_server_extensions_are_enabled(lab):
    _, _, page = get(lab, "/lab")
    for extension in ["@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager"]:
        assert extension in page, f"lab extension {extension} is not loaded"
    _, _, body = get(lab, "/nbgrader_version?version=0.9.6")
    assert json.loads(body)["success"] is True
    for endpoint in ["/assignments?course_id=nn-from-scratch", "/formgraders"]:  # assignment and course lists
        status, _, body = get(lab, endpoint)
        assert status == 200 and "success" in json.loads(body)


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
