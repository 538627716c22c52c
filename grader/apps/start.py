"""`python -m course start-page`: the learner's start page, workspace/START_HERE.md, and the progress on it.

The page is made once from etc/START_HERE.md and then belongs to the learner: only the part between
its two PROGRESS markers is rewritten, by `make workspace` (so by `make lab`) and by `make check`. That
part lists every lesson with a link to the learner's notebook, how many of its exercises the notebook
answers, and its last `make check` score, which `python -m course check` records in
workspace/.checks.json. A page whose markers were deleted is left alone.

Notebooks are read as plain JSON: nbformat would cost seconds to import on every `make lab`.
"""
import hashlib
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

from grader.cells import grade_id, is_solution

START_PAGE = "START_HERE.md"
TEMPLATE = Path("etc", START_PAGE)
CHECKS = ".checks.json"
BEGIN = "<!-- BEGIN PROGRESS"
END = "<!-- END PROGRESS -->"
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)


def workspace(course):
    return Path(course, "workspace")


def lessons(course):
    """[(assignment, notebook name)] of every release notebook, in order."""
    return [(p.parent.name, p.name) for p in sorted(Path(course, "release").glob("*/*.ipynb"))]


def read_cells(path):
    """The notebook's cells as plain dicts, with each source as one string; None if it cannot be read."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        return [{**c, "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"]}
                for c in cells]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def title(cells, fallback):
    """The first heading of the notebook, without its "1 · " numbering."""
    for cell in cells or []:
        if cell.get("cell_type") == "markdown":
            for line in cell["source"].split("\n"):
                if line.startswith("# "):
                    return re.sub(r"^\d+\s*·\s*", "", line[2:].strip())
    return fallback


def answered(release_cells, mine):
    """(answer cells the learner changed, answer cells), matched by grade_id; None if `mine` is unreadable."""
    asked = {grade_id(c): c["source"] for c in release_cells if is_solution(c)}
    if mine is None:
        return None, len(asked)
    changed = sum(1 for c in mine if is_solution(c) and grade_id(c) in asked and c["source"] != asked[grade_id(c)])
    return changed, len(asked)


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_checks(course):
    try:
        return json.loads((workspace(course) / CHECKS).read_text())
    except (OSError, ValueError):
        return {}


def record_check(course, notebook, assignment, name, rows):
    """Keep what `make check` gave a workspace notebook; False if `notebook` is not in the workspace.

    `rows` is [(exercise, earned, possible)].
    """
    try:
        Path(notebook).resolve().relative_to(workspace(course).resolve())
    except ValueError:
        return False
    checks = load_checks(course)
    checks[f"{assignment}/{name}"] = {
        "path": os.path.relpath(Path(notebook).resolve(), workspace(course).resolve()),
        "score": sum(earned for _, earned, _ in rows), "max_score": sum(possible for _, _, possible in rows),
        "exercises": {exercise: [earned, possible] for exercise, earned, possible in rows},
        "checked": datetime.now().astimezone().isoformat(timespec="seconds"),
        "sha256": digest(notebook)}
    _write(workspace(course) / CHECKS, json.dumps(checks, indent=1, sort_keys=True) + "\n")
    return True


def _check_text(check, path):
    if check is None:
        return "not checked yet"
    when = datetime.fromisoformat(check["checked"]).strftime("%d %b %H:%M")
    text = f"{check['score']:g} / {check['max_score']:g} points ({when})"
    if not path.exists() or digest(path) != check["sha256"]:
        text += ", changed since"
    return text


def progress(course):
    """The Markdown between the markers: one row per lesson."""
    checks = load_checks(course)
    rows = ["| # | lesson | exercises answered | last `make check` |", "|---|---|---|---|"]
    for number, (assignment, name) in enumerate(lessons(course), start=1):
        release = read_cells(Path(course, "release", assignment, name))
        mine_path = workspace(course) / assignment / name
        changed, total = answered(release or [], read_cells(mine_path))
        done = f"{changed} of {total}" if changed is not None else "cannot be read"
        link = f"[{title(release, assignment)}]({assignment}/{name})"
        rows.append(f"| {number} | {link} | {done} | {_check_text(checks.get(f'{assignment}/{name}'), mine_path)} |")
    return "\n".join(rows)


def block(course):
    return (f"{BEGIN}: rewritten by `make lab` and `make check`; the rest of this page is yours -->\n"
            f"{progress(course)}\n{END}")


def refresh(course):
    """Make the start page, or rewrite its progress; what happened, in a few words."""
    page = workspace(course) / START_PAGE
    if not page.exists():
        text = Path(course, TEMPLATE).read_text(encoding="utf-8")
        _write(page, BLOCK.sub(lambda _: block(course), text))
        return "made"
    text = page.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        return "left alone: it has no progress markers"
    new = BLOCK.sub(lambda _: block(course), text, count=1)
    if new == text:
        return "unchanged"
    _write(page, new)
    return "refreshed"


def _write(path, text):
    """Write through a temporary file, so that a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main(*, course):
    outcome = refresh(course)
    if outcome.startswith("left alone"):
        print(f"workspace/{START_PAGE} {outcome}", file=sys.stderr)
    return 0
