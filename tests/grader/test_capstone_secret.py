"""The capstone's held-out set, through the course's real grader: the sandboxed kernel never has the secret or the
labels, and the judge still scores the student's `predict` (course.checks.capstone, grader.capstone_secret)."""
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from course.checks.capstone import BANDS, CHUNK, NOT_HERE, PUBLIC_SIZE, SECRET_ENV, band_of, heldout_set
from grader import capstone_secret, sandbox
from grader.sandbox import KEEP_ENV
from grader.sandbox.__main__ import kernel_env
from tests.support.environment import REPO, env

ASSIGNMENT, NAME = "09_capstone", "capstone.ipynb"

PREDICT = """import numpy as np
from course.mnist1d import published

X_train, y_train, _, _ = published()
means = np.stack([X_train[y_train == d].mean(axis=0) for d in range(10)])


def predict(X):
    return np.argmin(((X[:, None, :] - means[None]) ** 2).sum(axis=-1), axis=1)
"""

RECORD = """# The student's own code: keep every message the tests send to this kernel.
import course.probe.codec as _codec

_loads, RECEIVED = _codec.loads, []


def _recording(text, *args, **kwargs):
    RECEIVED.append(text)
    return _loads(text, *args, **kwargs)


_codec.loads = _recording
"""

SEARCH = """# The student's own code: look for the secret and the held-out labels wherever this kernel can.
import glob, json, os
found = {"environ": dict(os.environ), "proc": {}, "files": {}, "paths": {}}
for path in glob.glob("/proc/[0-9]*/environ") + glob.glob("/proc/[0-9]*/cmdline"):
    try:
        found["proc"][path] = open(path, "rb").read().decode(errors="replace")
    except OSError as error:
        found["proc"][path] = type(error).__name__
for folder in (os.getcwd(), os.path.expanduser("~"), "/tmp", "/dev/shm", "/run"):
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                found["files"][os.path.join(root, name)] = open(os.path.join(root, name), "rb").read(4096).hex()
            except OSError as error:
                found["files"][os.path.join(root, name)] = type(error).__name__
for path in PATHS:
    found["paths"][path] = os.path.exists(path)
from course.checks.capstone import check_capstone_heldout
try:
    check_capstone_heldout(predict, 1)
except Exception as error:
    found["in_kernel"] = str(error)
print("FOUND " + json.dumps(found))
"""

AFTER = """# The student's own code, after the tests: every array the tests sent, by dtype, shape and digest.
import base64, hashlib, json


def _arrays(value, out):
    if isinstance(value, dict):
        if value.get("$") in ("array", "scalar"):
            data = base64.b64decode(value["data"])
            out.append([value["dtype"], value["shape"], hashlib.sha256(data).hexdigest()])
        else:
            for item in value.values():
                _arrays(item, out)
    elif isinstance(value, list):
        for item in value:
            _arrays(item, out)
    return out


print("RECEIVED " + json.dumps([_arrays(json.loads(text), []) for text in RECEIVED]))
"""


def _cell(source, grade_id=None, points=None, solution=False):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": points is not None, "grade_id": grade_id, "locked": not solution,
                                     "schema_version": 3, "solution": solution, "task": False,
                                     **({"points": points} if points is not None else {})}
    return cell


def _source_notebook(paths):
    cells = [_cell(RECORD),
             _cell(f"### BEGIN SOLUTION\n{PREDICT}### END SOLUTION", "predict", solution=True),
             _cell(f"PATHS = {json.dumps(paths)}\n" + SEARCH),
             _cell("from course.checks.capstone import check_capstone_predict\ncheck_capstone_predict(predict)",
                   "predict_visible", points=1)]
    for band in range(1, len(BANDS) + 1):
        cells.append(_cell("from course.checks.capstone import check_capstone_heldout\n### BEGIN HIDDEN TESTS\n"
                           f"check_capstone_heldout(predict, band={band})\n### END HIDDEN TESTS", f"band_{band}",
                           points=1))
    cells.append(_cell(AFTER))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


GRADE = """import json, sys
from pathlib import Path
from grader import capstone_secret
from grader.autograde import grade_submission
from grader.records import Task
from grader.template import make_template
course, out = Path(sys.argv[1]), Path(sys.argv[2])
where = capstone_secret.ensure(course)  # as `make check` does: no secret in the environment, so the course's own
template = make_template(course, "09_capstone")
release = json.loads(template.release("capstone.ipynb"))
for cell in release["cells"]:
    if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "predict":
        cell["source"] = Path(sys.argv[3]).read_text()
result = grade_submission(Task(template=template, student="learner",
                               files={"capstone.ipynb": json.dumps(release).encode()}))
entry = result.notebooks["capstone.ipynb"]
(out / "autograded.ipynb").write_bytes(entry.autograded)
(out / "feedback.html").write_bytes(entry.feedback)
print(json.dumps({"where": where, "scores": {k: [v.score, v.max_score] for k, v in entry.cells.items()},
                  "reasons": result.reasons, "flags": result.flags}))
"""


def _outputs(nb):
    return ["".join(o.get("text", "")) + "".join(o.get("traceback", [])) + str(o.get("evalue", ""))
            for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _printed(nb, marker):
    for text in _outputs(nb):
        for line in text.splitlines():
            if line.startswith(marker + " "):
                return json.loads(line[len(marker) + 1:])
    raise AssertionError(f"no {marker} line in the autograded notebook")


@pytest.mark.slow
@pytest.mark.skipif(sandbox.mode()[0] == "none", reason=f"no sandbox here: {sandbox.mode()[1]}")
def test_the_kernel_never_has_the_secret_nor_the_labels_and_predict_is_scored(tmp_path):
    course = tmp_path / "course"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    secret_file = capstone_secret.secret_path(course)
    paths = [str(secret_file), str(secret_file.parent), str(course), str(REPO / ".grader"), str(tmp_path)]
    nbformat.write(_source_notebook(paths), str(course / "source" / ASSIGNMENT / NAME))
    (tmp_path / "predict.py").write_text(PREDICT)
    grader_env = {k: v for k, v in env().items() if k != SECRET_ENV}
    proc = subprocess.run([sys.executable, "-c", GRADE, str(course), str(tmp_path), str(tmp_path / "predict.py")],
                          cwd=REPO, env=grader_env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["where"] == str(secret_file) and not report["reasons"], report
    secret = secret_file.read_text().strip()
    assert len(secret) == 64

    # the judge scored predict: the bands it reached on the held-out set of this secret, computed here
    X, y = heldout_set(secret)
    namespace = {}
    exec(PREDICT, namespace)
    accuracy = float(np.mean(namespace["predict"](X) == y))
    reached = band_of(accuracy)
    assert reached >= 1, accuracy  # so that the test shows bands both passed and failed
    assert report["scores"]["predict_visible"] == [1.0, 1.0]
    assert {f"band_{b}": report["scores"][f"band_{b}"] for b in range(1, len(BANDS) + 1)} == {
        f"band_{b}": [1.0 if b <= reached else 0.0, 1.0] for b in range(1, len(BANDS) + 1)}
    graded = nbformat.read(str(tmp_path / "autograded.ipynb"), as_version=4)
    everything = "\n".join(_outputs(graded))
    assert f"held-out accuracy {accuracy:.1%}" in everything

    # nothing the kernel printed, and nothing in the feedback, holds the secret
    assert secret not in everything and secret not in (tmp_path / "feedback.html").read_text()
    found = _printed(graded, "FOUND")
    assert set(found["environ"]) <= set(kernel_env(_Spec, dict.fromkeys(KEEP_ENV, ""))) | IPYKERNEL_ENV, found
    assert found["proc"] and not any(secret in text for text in found["proc"].values())
    assert not any(secret.encode().hex() in data for data in found["files"].values())
    assert found["paths"] == dict.fromkeys(paths, False), found["paths"]
    assert found["in_kernel"] == NOT_HERE

    # what crossed into the kernel: the held-out signals X, in float64 rows of 40, and no labels at all
    received = [array for message in _printed(graded, "RECEIVED") for array in message]
    assert received and all(dtype == "<f8" and len(shape) == 2 and shape[1] == 40 for dtype, shape, _ in received)
    digests = {digest for _, _, digest in received}
    assert hashlib.sha256(np.ascontiguousarray(X[:CHUNK]).tobytes()).hexdigest() in digests
    for kind in ("<i8", "<i4", "<u1", "<f8"):
        assert hashlib.sha256(y.astype(kind).tobytes()).hexdigest() not in digests
        assert hashlib.sha256(y[:CHUNK].astype(kind).tobytes()).hexdigest() not in digests
    visible = PUBLIC_SIZE + 1 + PUBLIC_SIZE  # the visible check: the sample, its first row, the sample reshuffled
    assert sum(shape[0] for _, shape, _ in received) == visible + len(BANDS) * 2 * len(y)


class _Spec:
    pythonpath = "/the/course"


IPYKERNEL_ENV = {"JPY_PARENT_PID", "JPY_SESSION_NAME", "PYDEVD_USE_FRAME_EVAL", "CLICOLOR", "CLICOLOR_FORCE",
                 "FORCE_COLOR", "PAGER", "GIT_PAGER", "TERM"}  # what ipykernel and IPython set in their own process


def test_the_sandbox_never_passes_the_secret_to_a_kernel():
    assert SECRET_ENV not in KEEP_ENV
    assert SECRET_ENV not in kernel_env(_Spec, {SECRET_ENV: "s3cr3t", **{k: "x" for k in KEEP_ENV}})


def test_ensure_takes_the_instructors_secret_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "the instructor's")
    assert capstone_secret.ensure(tmp_path) == "environment"
    assert os.environ[SECRET_ENV] == "the instructor's" and not (tmp_path / ".grader").exists()


def test_ensure_makes_a_private_secret_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    where = capstone_secret.ensure(tmp_path)
    path = capstone_secret.secret_path(tmp_path)
    assert where == str(path) and os.environ[SECRET_ENV] == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    first = os.environ[SECRET_ENV]
    monkeypatch.delenv(SECRET_ENV)
    capstone_secret.ensure(tmp_path)
    assert os.environ[SECRET_ENV] == first and [p.name for p in path.parent.iterdir()] == ["capstone-secret"]


def test_ensure_refuses_to_keep_the_secret_where_kernels_can_read(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(SystemExit, match="graded kernels can read"):
        capstone_secret.ensure(REPO / "course")
    assert not (REPO / "course" / ".grader").exists()


def test_only_assignments_with_held_out_tests_need_the_secret(tmp_path):
    (tmp_path / "source" / "01_notation").mkdir(parents=True)
    shutil.copy(REPO / "source" / "01_notation" / "notation.ipynb", tmp_path / "source" / "01_notation")
    assert not capstone_secret.needed(tmp_path) and not capstone_secret.needed(tmp_path, ["01_notation"])
    (tmp_path / "source" / ASSIGNMENT).mkdir()
    nbformat.write(_source_notebook([]), str(tmp_path / "source" / ASSIGNMENT / NAME))
    assert capstone_secret.needed(tmp_path) and capstone_secret.needed(tmp_path, [ASSIGNMENT])
    assert not capstone_secret.needed(tmp_path, ["01_notation"])


def test_the_held_out_line_is_found_in_a_pass_and_in_a_failure():
    passed = "held-out accuracy 75.2% on 5000 signals (75.2% reshuffled): band 4 of 4; band 1 needs 25%: reached.\n"
    failed = "\x1b[0;31mCheck failed:\x1b[0m held-out accuracy 28.7% on 5000 signals (28.7% reshuffled): band 1 of 4"
    assert capstone_secret.heldout_line(["x", passed]) == passed.split(";")[0]
    assert capstone_secret.heldout_line([failed]) == "held-out accuracy 28.7% on 5000 signals (28.7% reshuffled): " \
                                                     "band 1 of 4"
    assert capstone_secret.heldout_line(["nothing here"]) is None
