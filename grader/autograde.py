"""Grade one submission: a pure function from its bytes and its assignment's template to a Result.

It runs nbgrader's own Autograde and GenerateFeedback converters in a scratch
course of its own, with the kernel in a sandbox (grader.sandbox) and a robust
executor (grader.preprocessors.execute). The same function runs in local worker
processes or on a Dask cluster; only the parent process touches the course and
its gradebook (grader.classroom).
"""
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from contextlib import nullcontext
from pathlib import Path

import nbformat

from grader import references, sandbox
from grader.cells import grade_id
from grader.config import CONFIG, load_config
from grader.kernels import use_ipc
from grader.nbgrader_app import LOCK, last_error, quiet_sqlalchemy, run_converter
from grader.preprocessors.execute import RECORD
from grader.records import CellScore, NotebookResult, Result, Task
from grader.sandbox.uids import Uid
from grader.submission import compare_with_release, grade_ids, read_submission
from grader.tamper import scan_notebook
from grader.template import submission_digest

UNSANDBOXED = "graded without the sandbox"


def grade_submission(task: Task) -> Result:
    """Grade one student's submission of one assignment; never raises."""
    started = time.monotonic()
    with LOCK:
        work = Path(tempfile.mkdtemp(prefix="course-grade-"))
        try:
            kind, why = sandbox.mode(task.limits.sandbox)
            if kind == "none" and task.limits.sandbox:  # a worker that cannot sandbox never runs the code
                result = Result(task.student, task.template.assignment,
                                reasons=[f"not graded: the sandbox cannot run on this worker ({why})"])
            else:
                with Uid() if kind == "root" else nullcontext() as uid:
                    result = _grade(task, work, kind, why, uid)
        except Exception:  # noqa: BLE001 (whatever went wrong, the student gets a row that says so)
            result = Result(task.student, task.template.assignment,
                            reasons=["the grader failed: " + traceback.format_exc(limit=3)])
        finally:
            shutil.rmtree(work, ignore_errors=True)
    result.seconds = round(time.monotonic() - started, 2)
    result.digest = submission_digest(task.files, task.template)
    return result


def _grade(task, work, kind, why, uid):
    quiet_sqlalchemy()
    course = scratch_course(work / "course", task.template)
    result = Result(task.student, task.template.assignment)
    if kind == "none":
        result.flags.append(f"{UNSANDBOXED} ({why}): its code could read and write whatever the grader can")
    answers = references.hidden(task.template.assignment)
    accepted = accept(task, course, answers, result)
    if accepted:
        spec = kernel_spec(task, work / "kernel", kind, uid)
        autograde(task, course, work, spec, result)
    collect(task, course, accepted, answers, result)
    return result


def python_folders(package):
    """What the kernel's Python needs, read-only: its prefixes, the site-packages folders on sys.path and the
    course package. Not the script's or working folder, and never a folder that holds the course's root."""
    root = package.parent
    found = [Path(sys.base_prefix), Path(sys.prefix)]
    for entry in filter(None, sys.path):
        path = Path(entry).resolve()
        if path.is_dir() and ({"site-packages", "dist-packages"} & set(path.parts)
                              or any(path.is_relative_to(prefix) for prefix in found[:2])):
            found.append(path)
    found = [f for f in dict.fromkeys([*found, package]) if f == package or not root.is_relative_to(f)]
    return tuple(str(f) for f in found if not any(f != o and f.is_relative_to(o) for o in found))


def kernel_spec(task, host_dir, kind, uid):
    """The sandbox of this submission's kernel: the Python environment and the course package, read-only,
    with the references of the graded lesson covered by stubs and the recorded answers (which only the
    judge reads) by an empty folder."""
    host_dir.mkdir(parents=True, exist_ok=True)
    limits, package = task.limits, references.package_folder()  # the kernel imports this package, nothing else
    stubs = references.stubs(task.template.assignment)
    covered = {str(Path(path).parent / "__pycache__") for path in stubs} | {str(package / "data" / "expected")}
    return sandbox.Spec(mode=kind, host_dir=str(host_dir), uid=uid, read_only=python_folders(package),
                        stubs=stubs, covered=tuple(sorted(c for c in covered if Path(c).is_dir())),
                        pythonpath=str(package.parent), disk_mb=limits.disk_mb, memory_mb=limits.memory_mb,
                        nproc=limits.nproc, fsize_mb=limits.fsize_mb, fonts=sandbox.font_caches())


def scratch_course(course, template):
    """A course folder holding only this assignment's config, source and empty gradebook."""
    course.mkdir(parents=True)
    (course / CONFIG).write_bytes(template.config)
    (course / "gradebook.db").write_bytes(template.gradebook)
    for name, data in template.files.items():
        kind, rel = name.split("/", 1)
        if kind == "source":
            path = course / "source" / template.assignment / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return course


def accept(task, course, answers, result):
    """Read, repair and scan every expected notebook; write the gradable ones to submitted/. Their names."""
    template, folder = task.template, course / "submitted" / task.student / task.template.assignment
    folder.mkdir(parents=True)
    unexpected = sorted(n for n in task.files if n.endswith(".ipynb") and n not in template.notebooks)
    accepted = []
    for name in template.notebooks:
        release_nb = nbformat.reads(template.release(name).decode(), as_version=4)
        data = task.files.get(name)
        if data is None and len(unexpected) == 1 and len(template.notebooks) == 1:
            result.reasons.append(f"{name} was submitted as {unexpected[0]}; it was graded under its proper name")
            data = task.files[unexpected[0]]
        if data is None:
            result.reasons.append(f"{name} is missing from the submission"
                                  + (f" (found {', '.join(unexpected)})" if unexpected else ""))
            continue
        nb = read_submission(name, data, grade_ids(release_nb, graded_only=True), result.reasons)
        if nb is None:
            continue
        compare_with_release(name, nb, release_nb, result.reasons)
        trusted = [c.source for c in release_nb.cells]
        result.flags.extend(f"{name} {r}" for r in scan_notebook(nb, trusted))
        result.reasons.extend(f"{name} {r}" for r in _answer_use(nb, trusted, answers))
        nbformat.write(nb, str(folder / name))
        accepted.append(name)
    if "timestamp.txt" in task.files:
        (folder / "timestamp.txt").write_bytes(task.files["timestamp.txt"])
    return accepted


def _answer_use(nb, trusted, answers):
    trusted = {s.strip() for s in trusted}
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") == "code" and cell.source.strip() not in trusted:
            found.extend(f"cell {index}: uses {name}, which holds this lesson's answers; it is hidden while "
                         "grading, so the exercises that relied on it got no points"
                         for name in references.uses(cell.source, answers))
    return found


def autograde(task, course, work, spec, result):
    """nbgrader's Autograde, then GenerateFeedback, with the kernel started in its sandbox."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from grader.exporters import FeedbackExporter
    from grader.preprocessors.execute import RobustExecute
    from grader.preprocessors.sanitize import SanitizeOutputs

    limits = task.limits
    kernels = sandbox.install_kernelspec(work / "jupyter", spec)
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR")}
    os.environ["JUPYTER_PATH"] = str(kernels)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(Path(spec.host_dir) / "runtime")
    try:
        config = load_config(course / CONFIG, course)
        config.CourseDirectory.assignment_id = task.template.assignment
        config.CourseDirectory.student_id = task.student
        config.Autograde.autograde_preprocessors = [RobustExecute, IgnorePattern, ClearMetadataPreprocessor,
                                                    LimitOutput, SanitizeOutputs, SaveAutoGrades,
                                                    AssignLatePenalties, CheckCellMetadata]
        config.RobustExecute.cell_bytes = limits.output_kb * 1024
        config.RobustExecute.notebook_bytes = limits.notebook_output_kb * 1024
        config.RobustExecute.judge = True  # test cells run in grader.judge, never in the student's kernel
        config.WithholdOutputsAfterHiddenTests.enabled = False  # so no output can carry a hidden test
        config.RobustExecute.timeout = limits.cell_timeout
        config.RobustExecute.notebook_timeout = limits.notebook_timeout
        config.RobustExecute.raise_on_iopub_timeout = False  # a lost output costs no cell; see _check_raise_for_error
        config.RobustExecute.shutdown_kernel = "immediate"  # the sandbox is torn down anyway
        config.GenerateFeedback.exporter_class = FeedbackExporter
        use_ipc(config, Path(spec.host_dir) / "sockets" / "kernel")
        config.KernelManager.connection_file = str(Path(spec.host_dir) / "connection.json")
        config.AsyncKernelManager.client_class = "grader.kernels.BoundedKernelClient"
        coursedir = CourseDirectory(config=config)
        started = time.monotonic()
        ok, log = run_converter(Autograde(coursedir=coursedir, config=config))
        result.timing["autograde"] = time.monotonic() - started
        if not ok:
            result.reasons.append("nbgrader could not autograde the submission: " + last_error(log))
            return
        started = time.monotonic()
        run_converter(GenerateFeedback(coursedir=coursedir, config=config))
        result.timing["feedback"] = time.monotonic() - started
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def collect(task, course, accepted, answers, result):
    """Each notebook's scores from the scratch gradebook, its autograded notebook and feedback."""
    from nbgrader.api import Gradebook

    assignment, student = task.template.assignment, task.student
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in task.template.notebooks:
            stem = name.removesuffix(".ipynb")
            autograded = course / "autograded" / student / assignment / name
            if name not in accepted or not autograded.exists():
                notebook = gb.find_notebook(stem, assignment)
                result.notebooks[name] = NotebookResult(
                    graded=False, cells={c.name: CellScore(0.0, c.max_score) for c in notebook.grade_cells})
                continue
            submission = gb.find_submission_notebook(stem, assignment, student)
            nb = nbformat.read(str(autograded), 4)
            record = autograded.parent / RECORD
            if record.exists():
                _explain(name, json.loads(record.read_text()), nb, result)
                record.unlink()
            released = nbformat.reads(task.template.release(name).decode(), as_version=4)
            result.reasons.extend(_stub_hits(name, nb, answers, {c.source.strip() for c in released.cells}))
            feedback = course / "feedback" / student / assignment / f"{stem}.html"
            result.notebooks[name] = NotebookResult(
                graded=True,
                cells={g.name: CellScore(float(g.score or 0), float(g.max_score)) for g in submission.grades},
                comments={c.name: c.auto_comment for c in submission.comments if c.auto_comment},
                autograded=autograded.read_bytes(),
                feedback=feedback.read_bytes() if feedback.exists() else b"")


def _stub_hits(name, nb, answers, released):
    """Reasons for hidden reference modules that the student's own cells ran into (an explorer's do not count)."""
    raised = "\n".join(str(o.get("evalue", "")) for c in nb.cells
                       if c.cell_type == "code" and c.source.strip() not in released
                       for o in c.get("outputs", []) if o.get("output_type") == "error")
    return [f"{name}: the code reached {module}, which holds this lesson's answers and is hidden while grading"
            for module in answers if f"{module} {references.STUB_MARK}" in raised]


def _explain(name, record, nb, result):
    """Turn the executor's record into reasons (what cost points) and flags (what to review)."""
    def cell(index):
        gid = grade_id(nb.cells[index]) if index < len(nb.cells) else None
        return gid or f"cell {index + 1}"

    for index in record["kernel_died"]:
        result.reasons.append(f"{name}: the kernel died in {cell(index)} (os._exit, a crash or no memory left)")
    for index in record["timed_out"]:
        result.reasons.append(f"{name}: {cell(index)} ran out of time")
    if record["notebook_timeout"] is not None:
        result.reasons.append(f"{name}: the notebook ran out of time at {cell(record['notebook_timeout'])}")
    if record["hooks_reset"]:
        result.flags.append(f"{name}: IPython's transformers or error handlers were changed at run time; "
                            f"they were reset before each test cell")
    if record["hooks_unreadable"]:
        result.flags.append(f"{name}: get_ipython() was unusable before {cell(record['hooks_unreadable'][0])}")
