"""Grade a whole class: find submissions, grade them in parallel, merge the results.

Only this parent process writes to the course: the gradebook (any nbgrader
db_url, SQLite or PostgreSQL), autograded/, feedback/, a manifest per
submission and grades.csv. Each result is merged as soon as it arrives, so a
run that is killed halfway keeps everything merged so far, and a re-run skips
submissions whose files have not changed (unless forced).
"""
import csv
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from course.grader import (LIMITS, cache_alembic_head, grade_submission, load_config, make_template,
                           submission_digest)

MANIFEST = ".course-grade.json"
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def course_settings(course_root):
    """(course_id, db_url) from the course's nbgrader_config.py."""
    config = load_config(Path(course_root) / "nbgrader_config.py", course_root)
    course_id = config.CourseDirectory.get("course_id", "default_course")
    db_url = config.CourseDirectory.get("db_url") or f"sqlite:///{Path(course_root) / 'gradebook.db'}"
    return course_id, db_url


def submissions(course_root, assignments=None, students=None):
    """[(student, assignment, {file name: bytes})] under submitted/<student>/<assignment>/."""
    found = []
    for folder in sorted(Path(course_root, "submitted").glob("*/*")):
        student, assignment = folder.parent.name, folder.name
        if folder.is_dir() and (not assignments or assignment in assignments) and (not students or student in students):
            files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                     if p.is_file() and ".ipynb_checkpoints" not in p.parts}
            found.append((student, assignment, files))
    return found


def _manifest(course_root, student, assignment):
    return Path(course_root, "autograded", student, assignment, MANIFEST)


def already_graded(course_root, student, assignment, files, template):
    path = _manifest(course_root, student, assignment)
    if not path.exists():
        return False
    try:
        return json.loads(path.read_text()).get("digest") == submission_digest(files, template)
    except ValueError:
        return False


def ensure_assignment(course_root, db_url, course_id, assignment):
    """Make sure the course gradebook knows the assignment (nbgrader generate_assignment does that)."""
    cache_alembic_head()
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url, course_id) as gb:
        try:
            gb.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    config = load_config(Path(course_root) / "nbgrader_config.py", course_root)
    config.CourseDirectory.db_url = db_url
    result = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config).generate_assignment(assignment)
    if not result["success"]:
        raise RuntimeError(f"could not add {assignment} to the gradebook: {result.get('error')}")


def merge(result, course_root, db_url, course_id):
    """Write one result into the course: gradebook, autograded notebook, feedback, manifest."""
    from nbgrader.api import Gradebook
    student, assignment = result["student"], result["assignment"]
    submitted = Path(course_root, "submitted", student, assignment)
    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student, **_timestamp(submitted))
        for name, entry in result["notebooks"].items():
            stem = name[:-len(".ipynb")]
            for grade_id, (score, _) in entry.get("cells", {}).items():
                grade = gb.find_grade(grade_id, stem, assignment, student)
                grade.auto_score = score
            for comment_id, text in entry.get("comments", {}).items():
                gb.find_comment(comment_id, stem, assignment, student).auto_comment = text
        gb.db.commit()
    out = Path(course_root, "autograded", student, assignment)
    out.mkdir(parents=True, exist_ok=True)
    feedback_dir = Path(course_root, "feedback", student, assignment)
    for name in EXCHANGE_FILES:  # `nbgrader release_feedback` needs them beside the feedback
        if (submitted / name).is_file():
            for folder in (out, feedback_dir):
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copy(submitted / name, folder / name)
    for name, entry in result["notebooks"].items():
        if entry.get("autograded"):
            (out / name).write_bytes(entry["autograded"])
        if entry.get("feedback"):
            feedback = feedback_dir / (name[:-len(".ipynb")] + ".html")
            feedback.parent.mkdir(parents=True, exist_ok=True)
            feedback.write_bytes(entry["feedback"])
    score, maximum = totals(result)
    _manifest(course_root, student, assignment).write_text(json.dumps({
        "digest": result.get("digest"), "score": score, "max_score": maximum,
        "flags": result["flags"], "reasons": result["reasons"], "seconds": result.get("seconds"),
        "timing": {k: round(v, 2) for k, v in result.get("timing", {}).items()},
        "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=1))


def _timestamp(submitted):
    """{"timestamp": datetime} from the submission's timestamp.txt, as nbgrader autograde records it."""
    from nbgrader.utils import parse_utc
    try:
        return {"timestamp": parse_utc((submitted / "timestamp.txt").read_text().strip())}
    except (OSError, ValueError, OverflowError):
        return {}


def totals(result):
    cells = [c for entry in result["notebooks"].values() for c in entry.get("cells", {}).values()]
    return float(sum(s or 0 for s, _ in cells)), float(sum(m for _, m in cells))


def run_tasks(tasks, jobs=None, scheduler=None):
    """Yield results as they finish, from local worker processes or a Dask cluster."""
    if not tasks:
        return
    if scheduler:
        from distributed import Client, as_completed as dask_completed
        with Client(scheduler) as client:
            futures = client.map(grade_submission, tasks, pure=False)
            for future in dask_completed(futures):
                yield future.result()
        return
    jobs = max(1, jobs or os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=get_context("fork")) as pool:
        for future in as_completed([pool.submit(grade_submission, t) for t in tasks]):
            yield future.result()


class Progress:
    """A one-line progress bar on a terminal, a line every tenth otherwise."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.flagged, self.stream = total, 0, 0, stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()

    def update(self, result):
        self.done += 1
        self.flagged += bool(result["flags"])
        filled = int(30 * self.done / max(1, self.total))
        line = (f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} graded, "
                f"{self.flagged} flagged, {time.monotonic() - self.started:.0f} s")
        if self.tty:
            print("\r" + line, end="" if self.done < self.total else "\n", file=self.stream, flush=True)
        elif self.done == self.total or self.done % max(1, self.total // 10) == 0:
            print(line, file=self.stream, flush=True)


def write_csv(course_root, path):
    """grades.csv from every manifest: one row per student and assignment."""
    rows = []
    for manifest in sorted(Path(course_root, "autograded").glob(f"*/*/{MANIFEST}")):
        data = json.loads(manifest.read_text())
        rows.append({"student": manifest.parent.parent.name, "assignment": manifest.parent.name,
                     "score": data["score"], "max_score": data["max_score"],
                     "flags": " | ".join(data["flags"]), "reasons": " | ".join(data["reasons"])})
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["student", "assignment", "score", "max_score", "flags", "reasons"])
        writer.writeheader()
        writer.writerows(rows)
    return rows


def summary(rows):
    """A table per assignment: submissions, mean, full marks, zeros, flagged."""
    lines = [f"{'assignment':20s} {'graded':>6s} {'mean':>12s} {'full':>5s} {'zero':>5s} {'flagged':>7s}"]
    for assignment in sorted({r["assignment"] for r in rows}):
        mine = [r for r in rows if r["assignment"] == assignment]
        maximum = max(float(r["max_score"]) for r in mine)
        mean = sum(float(r["score"]) for r in mine) / len(mine)
        lines.append(f"{assignment:20s} {len(mine):6d} {mean:6.1f} / {maximum:<4g} "
                     f"{sum(float(r['score']) == float(r['max_score']) for r in mine):5d} "
                     f"{sum(float(r['score']) == 0 for r in mine):5d} {sum(bool(r['flags']) for r in mine):7d}")
    return "\n".join(lines)


def grade_class(course_root, assignments=None, students=None, jobs=None, scheduler=None, force=False,
                limits=None, csv_path=None, db_url=None, stream=sys.stderr):
    """Grade every submission under submitted/; returns the rows of grades.csv."""
    course_root = Path(course_root).resolve()
    course_id, configured_url = course_settings(course_root)
    db_url = db_url or configured_url
    found = submissions(course_root, assignments, students)
    templates = {}
    tasks = []
    for student, assignment, files in found:
        if assignment not in templates:
            if not (course_root / "source" / assignment).is_dir():
                print(f"skipping submitted/{student}/{assignment}: there is no source/{assignment}", file=stream)
                continue
            ensure_assignment(course_root, db_url, course_id, assignment)
            templates[assignment] = make_template(course_root, assignment)
        if not force and already_graded(course_root, student, assignment, files, templates[assignment]):
            continue
        tasks.append({"template": templates[assignment], "student": student, "files": files,
                      "limits": {**LIMITS, **(limits or {})}, "hide": [str(course_root)]})
    skipped = len(found) - len(tasks)
    print(f"grading {len(tasks)} submission(s)" + (f", {skipped} unchanged and already graded" if skipped else "")
          + (f" on {scheduler}" if scheduler else f" with {max(1, jobs or os.cpu_count() or 1)} job(s)"),
          file=stream)
    progress = Progress(len(tasks), stream)
    for result in run_tasks(tasks, jobs, scheduler):
        merge(result, course_root, db_url, course_id)
        progress.update(result)
    rows = write_csv(course_root, csv_path or course_root / "grades.csv")
    return rows
