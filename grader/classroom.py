"""Grade a whole class: find submissions, grade them in parallel, merge each result into the course.

Only this parent process writes to the course: the gradebook, autograded/,
feedback/, a manifest per submission and grades.csv. Each result is merged as
soon as it arrives, so a run that is killed halfway keeps everything merged so
far, and a re-run skips submissions whose files have not changed (unless forced).
"""
import csv
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from grader.autograde import UNSANDBOXED
from grader.config import course_settings
from grader.gradebook import ensure_assignment, record_scores
from grader.progress import Progress
from grader.records import Limits, Task
from grader.runners import default_jobs, run_tasks
from grader.sandbox import mode
from grader.template import make_template, submission_digest

MANIFEST = ".course-grade.json"
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")
CSV_FIELDS = ("student", "assignment", "score", "max_score", "flags", "reasons")


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    files: dict  # name: bytes


def submissions(course_root, assignments=None, students=None):
    """Every Submission under submitted/<student>/<assignment>/."""
    found = []
    for folder in sorted(Path(course_root, "submitted").glob("*/*")):
        student, assignment = folder.parent.name, folder.name
        if folder.is_dir() and (not assignments or assignment in assignments) and (not students or student in students):
            files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                     if p.is_file() and ".ipynb_checkpoints" not in p.parts}
            found.append(Submission(student, assignment, files))
    return found


def _manifest(course_root, student, assignment):
    return Path(course_root, "autograded", student, assignment, MANIFEST)


def already_graded(course_root, submission, template):
    path = _manifest(course_root, submission.student, submission.assignment)
    try:
        return json.loads(path.read_text()).get("digest") == submission_digest(submission.files, template)
    except (OSError, ValueError):
        return False


def _timestamp(submitted):
    """The submission time from its timestamp.txt, as nbgrader autograde records it, or None."""
    from nbgrader.utils import parse_utc
    try:
        return parse_utc((submitted / "timestamp.txt").read_text().strip())
    except (OSError, ValueError, OverflowError):
        return None


def merge(result, course_root, db_url, course_id):
    """Write one Result into the course: gradebook, autograded notebooks, feedback, manifest."""
    student, assignment = result.student, result.assignment
    submitted = Path(course_root, "submitted", student, assignment)
    record_scores(result, db_url, course_id, _timestamp(submitted))
    out = Path(course_root, "autograded", student, assignment)
    out.mkdir(parents=True, exist_ok=True)
    feedback_dir = Path(course_root, "feedback", student, assignment)
    for name in EXCHANGE_FILES:  # `nbgrader release_feedback` needs them beside the feedback
        if (submitted / name).is_file():
            for folder in (out, feedback_dir):
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copy(submitted / name, folder / name)
    for name, entry in result.notebooks.items():
        if entry.autograded:
            (out / name).write_bytes(entry.autograded)
        if entry.feedback:
            feedback_dir.mkdir(parents=True, exist_ok=True)
            (feedback_dir / (name.removesuffix(".ipynb") + ".html")).write_bytes(entry.feedback)
    score, maximum = result.totals()
    _manifest(course_root, student, assignment).write_text(json.dumps({
        "digest": result.digest, "score": score, "max_score": maximum,
        "flags": result.flags, "reasons": result.reasons, "seconds": result.seconds,
        "timing": {k: round(v, 2) for k, v in result.timing.items()},
        "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=1))


def write_csv(course_root, path):
    """grades.csv from the manifests of the submissions that exist now: one row per student and assignment."""
    rows = []
    for manifest in sorted(Path(course_root, "autograded").glob(f"*/*/{MANIFEST}")):
        if not Path(course_root, "submitted", manifest.parent.parent.name, manifest.parent.name).is_dir():
            continue  # withdrawn or renamed since it was graded
        data = json.loads(manifest.read_text())
        rows.append({"student": manifest.parent.parent.name, "assignment": manifest.parent.name,
                     "score": data["score"], "max_score": data["max_score"],
                     "flags": " | ".join(data["flags"]), "reasons": " | ".join(data["reasons"])})
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def summary(rows):
    """A table per assignment: submissions, mean, full marks, zeros, flagged; and a warning for unsandboxed rows."""
    unsandboxed = sum(UNSANDBOXED in r["flags"] for r in rows)
    lines = [f"WARNING: {unsandboxed} submission(s) were {UNSANDBOXED}"] if unsandboxed else []
    lines += [f"{'assignment':20s} {'graded':>6s} {'mean':>12s} {'full':>5s} {'zero':>5s} {'flagged':>7s}"]
    for assignment in sorted({r["assignment"] for r in rows}):
        mine = [r for r in rows if r["assignment"] == assignment]
        maximum = max(float(r["max_score"]) for r in mine)
        mean = sum(float(r["score"]) for r in mine) / len(mine)
        lines.append(f"{assignment:20s} {len(mine):6d} {mean:6.1f} / {maximum:<4g} "
                     f"{sum(float(r['score']) == float(r['max_score']) for r in mine):5d} "
                     f"{sum(float(r['score']) == 0 for r in mine):5d} {sum(bool(r['flags']) for r in mine):7d}")
    return "\n".join(lines)


def refuse_without_sandbox():
    """Stop, with the reason, where the sandbox cannot run (unless --no-sandbox was given)."""
    kind, why = mode(True)
    if kind == "none":
        raise SystemExit(f"cannot grade in the sandbox here: {why}.\nInstall bubblewrap, or allow unprivileged "
                         "user namespaces, or pass --no-sandbox to grade without it (every row then says so).")


def grade_class(course_root, assignments=None, students=None, jobs=None, scheduler=None, force=False,
                limits=None, csv_path=None, db_url=None, stream=sys.stderr):
    """Grade every submission under submitted/; returns the rows of grades.csv."""
    course_root, limits = Path(course_root).resolve(), limits or Limits()
    if limits.sandbox and not scheduler:
        refuse_without_sandbox()
    course_id, configured_url = course_settings(course_root)
    db_url = db_url or configured_url
    found = submissions(course_root, assignments, students)
    templates, tasks = {}, []
    for submission in found:
        if submission.assignment not in templates:
            if not (course_root / "source" / submission.assignment).is_dir():
                print(f"skipping submitted/{submission.student}/{submission.assignment}: there is no "
                      f"source/{submission.assignment}", file=stream)
                continue
            ensure_assignment(course_root, db_url, course_id, submission.assignment)
            templates[submission.assignment] = make_template(course_root, submission.assignment)
        template = templates[submission.assignment]
        if not force and already_graded(course_root, submission, template):
            continue
        tasks.append(Task(template=template, student=submission.student, files=submission.files, limits=limits))
    skipped = len(found) - len(tasks)
    print(f"grading {len(tasks)} submission(s)" + (f", {skipped} unchanged and already graded" if skipped else "")
          + (f" on {scheduler}" if scheduler else f" with {default_jobs(jobs)} job(s)"), file=stream)
    progress = Progress(len(tasks), stream)
    for result in run_tasks(tasks, jobs, scheduler):
        merge(result, course_root, db_url, course_id)
        progress.update(result)
    return write_csv(course_root, csv_path or course_root / "grades.csv")
