"""Isolated, parallel grading with nbgrader: one scratch course per submission.

`grade_submission(task)` is a pure function from a submission's bytes (and its
assignment's template) to results: scores, the autograded notebook, redacted
feedback, reasons and flags. It runs nbgrader's own Autograde and
GenerateFeedback converters in a scratch course of its own, with the kernel in
a sandbox (course.sandbox) and a robust executor (course.execute). The same
function runs in local worker processes or on a Dask cluster; only the parent
process touches the course and its gradebook (see course.classroom).
"""
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

import nbformat

from course import sandbox
from course.assignments import nbgrader_meta
from course.execute import RECORD
from course.kernels import use_ipc
from course.tamper import scan_notebook

# nbgrader runs `alembic` by name whenever it creates a gradebook: it must be on PATH.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

# nbgrader 0.9.6 with SQLAlchemy 2 warns about its own session handling on every submission.
warnings.filterwarnings("ignore", message=".*not in session.*")

_LOCK = threading.Lock()  # nbgrader and os.environ are process-wide: one grading per process at a time
LIMITS = {"cell_timeout": 60, "notebook_timeout": 600, "memory_mb": 4096, "nproc": 64, "fsize_mb": 64,
          "sandbox": True}


def load_config(config_path, root):
    """The course's nbgrader configuration, with its course folder moved to `root`."""
    from traitlets.config.loader import PyFileConfigLoader
    path = Path(config_path)
    config = PyFileConfigLoader(path.name, str(path.parent)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def _quiet(app):
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    app.log.addHandler(handler)
    app.log.propagate = False
    return log, handler


def _run(converter):
    """Start an nbgrader converter; (success, its log)."""
    log, handler = _quiet(converter)
    try:
        converter.start()
        return True, log.getvalue()
    except Exception:
        return False, log.getvalue() + traceback.format_exc()
    finally:
        converter.log.removeHandler(handler)


def cache_alembic_head():
    """nbgrader starts an `alembic` process (seconds) for every new gradebook; ask alembic once, in-process."""
    import nbgrader.api
    if getattr(nbgrader.api.get_alembic_version, "course_cached", False):
        return
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR
    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()

    def get_alembic_version():
        return head
    get_alembic_version.course_cached = True
    nbgrader.api.get_alembic_version = get_alembic_version


def make_template(course_root, assignment):
    """What every grading task of one assignment needs: config, source, release and a gradebook."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.converters import GenerateAssignment

    cache_alembic_head()
    course_root = Path(course_root)
    with tempfile.TemporaryDirectory(prefix="course-template-") as tmp:
        tmp = Path(tmp)
        shutil.copy(course_root / "nbgrader_config.py", tmp / "nbgrader_config.py")
        shutil.copytree(course_root / "source" / assignment, tmp / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        config = load_config(tmp / "nbgrader_config.py", tmp)
        config.CourseDirectory.assignment_id = assignment
        with _LOCK:
            ok, log = _run(GenerateAssignment(coursedir=CourseDirectory(config=config), config=config))
        if not ok:
            raise RuntimeError(f"nbgrader could not generate {assignment}:\n{log}")
        files = {}
        for kind in ("source", "release"):
            for path in sorted((tmp / kind / assignment).rglob("*")):
                if path.is_file():
                    files[f"{kind}/{path.relative_to(tmp / kind / assignment)}"] = path.read_bytes()
        template = {
            "assignment": assignment,
            "config": (tmp / "nbgrader_config.py").read_bytes(),
            "files": files,
            "gradebook": (tmp / "gradebook.db").read_bytes(),
            "notebooks": sorted(p.name for p in (tmp / "source" / assignment).glob("*.ipynb")),
        }
    template["digest"] = digest(template["files"])
    return template


def digest(files):
    """A hash of {relative path: bytes}."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def submission_digest(files, template):
    """Changes when the submission or its assignment's source changes: what a re-run compares."""
    return digest(files) + template["digest"][:16]


def _grade_ids(nb, graded_only=False):
    return [nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c).get("grade_id")
            and (not graded_only or nbgrader_meta(c).get("grade") or nbgrader_meta(c).get("solution"))]


def _read_submission(name, data, expected_ids, reasons):
    """The submitted notebook, or None with the reason it cannot be graded."""
    if not data.strip():
        reasons.append(f"{name} is an empty file")
        return None
    try:
        nb = nbformat.reads(data.decode("utf-8", errors="replace"), as_version=4)
    except Exception as error:  # nbformat raises several kinds for broken JSON
        reasons.append(f"{name} is not a valid notebook ({str(error).splitlines()[0][:120]})")
        return None
    graded = _grade_ids(nb, graded_only=True)
    if graded and not set(graded) & set(expected_ids):
        reasons.append(f"{name} is from another assignment: none of its graded cells belong to this one")
        return None
    ids = _grade_ids(nb)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        # nbgrader 0.9.6 crashes on repeated ids (DeduplicateIds leaves an empty record that
        # OverwriteCells cannot read), so keep the last copy of each, as nbgrader means to
        seen = set()
        for cell in reversed(nb.cells):
            gid = nbgrader_meta(cell).get("grade_id")
            if gid in duplicates and gid in seen:
                del cell.metadata["nbgrader"]
            seen.add(gid)
        reasons.append(f"{name} repeats the cells {duplicates}; the last copy of each was graded")
    return nb


def _compare_with_release(name, nb, release_nb, reasons):
    """Reasons for test cells the student deleted or changed (all are restored before grading)."""
    released = {nbgrader_meta(c)["grade_id"]: c for c in release_nb.cells if nbgrader_meta(c).get("grade_id")}
    submitted = {}
    for cell in nb.cells:
        submitted.setdefault(nbgrader_meta(cell).get("grade_id"), cell)
    for gid, cell in released.items():
        meta = nbgrader_meta(cell)
        if not meta.get("grade") or meta.get("solution"):
            continue
        mine = submitted.get(gid)
        if mine is None:
            reasons.append(f"{name}: test cell {gid} was deleted; it was put back and run")
        elif mine.source != cell.source:
            reasons.append(f"{name}: test cell {gid} was edited; the original was run")
        elif nbgrader_meta(mine).get("points") != meta.get("points") or mine.cell_type != cell.cell_type:
            reasons.append(f"{name}: the points or type of test cell {gid} were changed; the originals were used")


def _sandbox_uid():
    return 61000 + os.getpid() % 4000 if os.geteuid() == 0 else None


def grade_submission(task):
    """Grade one student's submission of one assignment; never raises.

    task: {"template": make_template(...), "student": id, "files": {name: bytes},
           "limits": {...}, "hide": [folders the kernel must not see]}
    """
    started = time.monotonic()
    with _LOCK:
        work = Path(tempfile.mkdtemp(prefix="course-grade-"))
        uid = _sandbox_uid() if task.get("limits", {}).get("sandbox", True) else None
        try:
            result = _grade(task, work, uid)
        except Exception:
            result = {"student": task["student"], "assignment": task["template"]["assignment"],
                      "notebooks": {}, "flags": [], "reasons": ["the grader failed: " + traceback.format_exc(limit=3)]}
        finally:
            sandbox.cleanup(uid=uid)
            shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.monotonic() - started, 2)
    result["digest"] = submission_digest(task["files"], task["template"])
    return result


def _grade(task, work, uid):
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                        SaveAutoGrades)
    from course.execute import RobustExecute
    from course.feedback import FeedbackExporter

    template, student = task["template"], task["student"]
    assignment = template["assignment"]
    limits = {**LIMITS, **task.get("limits", {})}
    course = work / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_bytes(template["config"])
    (course / "gradebook.db").write_bytes(template["gradebook"])
    for name, data in template["files"].items():
        kind, rel = name.split("/", 1)
        if kind == "source":
            (course / "source" / assignment / rel).parent.mkdir(parents=True, exist_ok=True)
            (course / "source" / assignment / rel).write_bytes(data)

    reasons, flags, timing = [], [], {}
    notebooks = {}
    submitted_dir = course / "submitted" / student / assignment
    submitted_dir.mkdir(parents=True)
    files = dict(task["files"])
    unexpected = sorted(n for n in files if n.endswith(".ipynb") and n not in template["notebooks"])
    for name in template["notebooks"]:
        release_nb = nbformat.reads(template["files"][f"release/{name}"].decode(), as_version=4)
        expected_ids = _grade_ids(release_nb, graded_only=True)
        data = files.get(name)
        if data is None and len(unexpected) == 1 and len(template["notebooks"]) == 1:
            reasons.append(f"{name} was submitted as {unexpected[0]}; it was graded under its proper name")
            data = files[unexpected[0]]
        if data is None:
            reasons.append(f"{name} is missing from the submission" +
                           (f" (found {', '.join(unexpected)})" if unexpected else ""))
            notebooks[name] = {"graded": False}
            continue
        nb = _read_submission(name, data, expected_ids, reasons)
        if nb is None:
            notebooks[name] = {"graded": False}
            continue
        _compare_with_release(name, nb, release_nb, reasons)
        flags.extend(f"{name} {r}" for r in scan_notebook(nb, [c.source for c in release_nb.cells]))
        nbformat.write(nb, str(submitted_dir / name))
        notebooks[name] = {"graded": True}
    for name, data in files.items():
        if not name.endswith(".ipynb") and name == "timestamp.txt":
            (submitted_dir / name).write_bytes(data)

    if any(n["graded"] for n in notebooks.values()):
        kernel_dir = sandbox.prepare(work / "kernel")
        (kernel_dir / "runtime").mkdir(exist_ok=True)
        # The kernel imports this very `course` package, and sees nothing else of the folder it lives in.
        package = Path(sandbox.__file__).resolve().parent
        keep = [sys.prefix, sys.base_prefix, str(package)]
        hide = [*task.get("hide", []), str(work), str(Path.home())]
        if not package.is_relative_to(Path(sys.prefix).resolve()):
            hide.append(str(package.parent))
        env = sandbox.settings(kernel_dir, uid, hide=hide, keep=keep, memory_mb=limits["memory_mb"],
                               nproc=limits["nproc"], fsize_mb=limits["fsize_mb"], pythonpath=package.parent)
        kernels = sandbox.install_kernelspec(work / "jupyter", env)
        saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR")}
        os.environ["JUPYTER_PATH"] = str(kernels)
        os.environ["JUPYTER_RUNTIME_DIR"] = str(kernel_dir / "runtime")
        try:
            config = load_config(course / "nbgrader_config.py", course)
            config.CourseDirectory.assignment_id = assignment
            config.CourseDirectory.student_id = student
            config.Autograde.autograde_preprocessors = [RobustExecute, IgnorePattern, ClearMetadataPreprocessor,
                                                        LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                                        CheckCellMetadata]
            config.RobustExecute.timeout = limits["cell_timeout"]
            config.RobustExecute.notebook_timeout = limits["notebook_timeout"]
            config.RobustExecute.shutdown_kernel = "immediate"  # the sandbox is torn down anyway
            config.GenerateFeedback.exporter_class = FeedbackExporter
            use_ipc(config, kernel_dir / "kernel")
            config.KernelManager.connection_file = str(kernel_dir / "connection.json")
            coursedir = CourseDirectory(config=config)
            started = time.monotonic()
            ok, log = _run(Autograde(coursedir=coursedir, config=config))
            timing["autograde"] = time.monotonic() - started
            if not ok:
                reasons.append("nbgrader could not autograde the submission: " + _last_error(log))
            else:
                started = time.monotonic()
                _run(GenerateFeedback(coursedir=coursedir, config=config))
                timing["feedback"] = time.monotonic() - started
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in template["notebooks"]:
            entry = notebooks[name]
            stem = name[:-len(".ipynb")]
            autograded = course / "autograded" / student / assignment / name
            entry["cells"] = {}
            if entry["graded"] and autograded.exists():
                submission = gb.find_submission_notebook(stem, assignment, student)
                entry["cells"] = {g.name: [g.score, g.max_score] for g in submission.grades}
                entry["comments"] = {c.name: c.auto_comment for c in submission.comments if c.auto_comment}
                record = autograded.parent / RECORD
                if record.exists():
                    _explain(name, json.loads(record.read_text()), nbformat.read(str(autograded), 4), reasons, flags)
                    record.unlink()
                entry["autograded"] = autograded.read_bytes()
                feedback = course / "feedback" / student / assignment / f"{stem}.html"
                entry["feedback"] = feedback.read_bytes() if feedback.exists() else b""
            else:
                entry["graded"] = False
                notebook = gb.find_notebook(stem, assignment)
                entry["cells"] = {c.name: [0.0, c.max_score] for c in notebook.grade_cells}
    return {"student": student, "assignment": assignment, "notebooks": notebooks,
            "reasons": reasons, "flags": flags, "timing": timing}


def _last_error(log):
    lines = [line for line in log.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no log"


def _explain(name, record, nb, reasons, flags):
    """Turn the executor's record into reasons (what cost points) and flags (what to review)."""
    def cell(index):
        gid = nbgrader_meta(nb.cells[index]).get("grade_id") if index < len(nb.cells) else None
        return gid or f"cell {index + 1}"

    for index in record["kernel_died"]:
        reasons.append(f"{name}: the kernel died in {cell(index)} (os._exit, a crash or no memory left)")
    for index in record["timed_out"]:
        reasons.append(f"{name}: {cell(index)} ran out of time")
    if record["notebook_timeout"] is not None:
        reasons.append(f"{name}: the notebook ran out of time at {cell(record['notebook_timeout'])}")
    if record["hooks_reset"]:
        flags.append(f"{name}: IPython's transformers or error handlers were changed at run time; "
                     f"they were reset before each test cell")
    if record["hooks_unreadable"]:
        flags.append(f"{name}: get_ipython() was unusable before {cell(record['hooks_unreadable'][0])}")
