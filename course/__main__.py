"""Command line: `python -m course grade ...` and `python -m course check NOTEBOOK`."""
import argparse
import os
import re
import sys
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent


def _limits(args):
    return {"cell_timeout": args.cell_timeout, "notebook_timeout": args.notebook_timeout,
            "memory_mb": args.memory, "sandbox": not args.no_sandbox}


def _add_limits(parser):
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    parser.add_argument("--notebook-timeout", type=int, default=600, help="seconds per notebook (default 600)")
    parser.add_argument("--memory", type=int, default=4096, help="MiB of memory per kernel (default 4096)")
    parser.add_argument("--no-sandbox", action="store_true", help="run kernels without namespaces or their own user")


def grade(args):
    from course.classroom import grade_class, summary
    rows = grade_class(args.course, args.assignment or None, args.student or None, jobs=args.jobs,
                       scheduler=args.scheduler, force=args.force, limits=_limits(args), csv_path=args.csv,
                       db_url=args.db_url)
    print(summary(rows) if rows else "nothing graded yet")
    print(f"grades: {args.csv or Path(args.course) / 'grades.csv'}   feedback: {Path(args.course) / 'feedback'}")
    return 0


def _assignment_of(nb, course_root):
    """The source assignment whose graded cells this notebook shares most."""
    from course.assignments import nbgrader_meta, read
    ids = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None}
    best, best_name, overlap = None, None, 0
    for path in sorted(Path(course_root, "source").glob("*/*.ipynb")):
        source_ids = {nbgrader_meta(c).get("grade_id") for c in read(path).cells} - {None}
        if len(ids & source_ids) > overlap:
            best, best_name, overlap = path.parent.name, path.name, len(ids & source_ids)
    return best, best_name


def _failure_message(cell):
    from course.feedback import _ANSI
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            lines = [_ANSI.sub("", line) for entry in output.get("traceback", []) for line in entry.split("\n")]
            lines = [line for line in lines if line.strip()]
            return lines[-1] if lines else f"{output.get('ename')}: {output.get('evalue')}"
    return "failed"


def check(args):
    import nbformat
    from course.assignments import exercises, read
    from course.grader import LIMITS, grade_submission, make_template

    path = Path(args.notebook)
    if not path.exists():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as error:
        print(f"{path} is not a notebook that can be read: {error}", file=sys.stderr)
        return 2
    assignment, name = (args.assignment, None) if args.assignment else _assignment_of(nb, args.course)
    if assignment is None:
        print(f"{path} does not look like any assignment of this course", file=sys.stderr)
        return 2
    template = make_template(args.course, assignment)
    name = name or template["notebooks"][0]
    print(f"checking {path} as {assignment}/{name} (hidden tests included) ...", flush=True)
    result = grade_submission({"template": template, "student": "learner", "files": {name: path.read_bytes()},
                               "limits": {**LIMITS, **_limits(args)}, "hide": [str(Path(args.course).resolve())]})
    entry = result["notebooks"][name]
    cells = entry.get("cells", {})
    graded = nbformat.reads(entry["autograded"].decode(), as_version=4) if entry.get("autograded") else None
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in graded.cells} if graded else {}
    source = read(Path(args.course, "source", assignment, name))
    total = maximum = 0
    for answer, tests in exercises(source).items():
        earned = sum(cells.get(t, [0, 0])[0] or 0 for t in tests)
        possible = sum(cells.get(t, [0, 0])[1] for t in tests)
        total, maximum = total + earned, maximum + possible
        print(f"  {'✓' if earned == possible else '✗'} {answer:28s} {earned:g} / {possible:g}")
        for t in tests:
            if (cells.get(t, [0, 0])[0] or 0) < cells.get(t, [0, 1])[1]:
                message = re.sub(r"\s+", " ", _failure_message(by_id[t]) if t in by_id else "not run").strip()
                if message.startswith("NotImplementedError"):
                    message = "not answered yet (the answer cell still raises NotImplementedError)"
                print(f"      {t}: {message[:300]}")
    print(f"  total: {total:g} / {maximum:g}")
    for reason in result["reasons"]:
        print(f"  note: {reason}")
    for flag in result["flags"]:
        print(f"  review: {flag}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course")
    parser.add_argument("--course", default=os.environ.get("COURSE_ROOT", str(COURSE_ROOT)),
                        help="the course folder (with nbgrader_config.py)")
    commands = parser.add_subparsers(dest="command", required=True)

    g = commands.add_parser("grade", help="grade every submission under submitted/ (isolated, in parallel)")
    g.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    g.add_argument("--student", action="append", help="only this student (repeatable)")
    g.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: one per core)")
    g.add_argument("--scheduler", help="address of a Dask scheduler to grade on, e.g. tcp://10.0.0.5:8786")
    g.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    g.add_argument("--csv", help="where to write grades.csv (default: in the course folder)")
    g.add_argument("--db-url", help="the gradebook (default: the course's db_url, or its gradebook.db)")
    _add_limits(g)
    g.set_defaults(run=grade)

    c = commands.add_parser("check", help="grade one notebook of your own, hidden tests included")
    c.add_argument("notebook")
    c.add_argument("--assignment", help="which assignment it is (default: worked out from its cells)")
    _add_limits(c)
    c.set_defaults(run=check)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
