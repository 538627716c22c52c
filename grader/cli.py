"""The command line: `python -m course grade | check NOTEBOOK | record LESSON | lab | start-page | hub`."""
import argparse
import os
import sys
from dataclasses import fields

from grader.config import course_root, with_venv_on_path
from grader.records import Limits

_LIMIT_FLAGS = {"cell_timeout": ("--cell-timeout", "seconds per cell"),
                "notebook_timeout": ("--notebook-timeout", "seconds per notebook"),
                "memory_mb": ("--memory", "MiB of memory per kernel"),
                "disk_mb": ("--disk", "MiB of each file system a kernel may write to")}


def _add_limits(parser):
    defaults = Limits()
    for name, (flag, text) in _LIMIT_FLAGS.items():
        parser.add_argument(flag, dest=name, type=int, default=getattr(defaults, name),
                            help=f"{text} (default {getattr(defaults, name)})")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run kernels outside the sandbox (where bubblewrap cannot run); every row then says so")


def _limits(args):
    chosen = {f.name: getattr(args, f.name) for f in fields(Limits) if hasattr(args, f.name)}
    return Limits(**chosen, sandbox=not args.no_sandbox)


def parser():
    top = argparse.ArgumentParser(prog="python -m course")
    top.add_argument("--course", default=os.environ.get("COURSE_ROOT"),
                     help="the course folder, with nbgrader_config.py (default: the working folder)")
    commands = top.add_subparsers(dest="command", required=True)

    g = commands.add_parser("grade", help="grade every submission under submitted/ (isolated, in parallel)")
    g.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    g.add_argument("--student", action="append", help="only this student (repeatable)")
    g.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: one per core)")
    g.add_argument("--scheduler", help="address of a Dask scheduler to grade on, e.g. tcp://10.0.0.5:8786")
    g.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    g.add_argument("--csv", help="where to write grades.csv (default: in the course folder)")
    g.add_argument("--db-url", help="the gradebook (default: the course's db_url, or its gradebook.db)")
    _add_limits(g)

    c = commands.add_parser("check", help="grade one notebook of your own, hidden tests included")
    c.add_argument("notebook")
    c.add_argument("--assignment", help="which assignment it is (default: worked out from its cells)")
    _add_limits(c)

    r = commands.add_parser("record", help="record the reference answers' results that the visible checks compare with")
    r.add_argument("lessons", nargs="*", help="assignments to record (default: all)")

    lab = commands.add_parser("lab", allow_abbrev=False,
                              help="JupyterLab on the course with the learner's tools (--instructor: the "
                                   "instructor's); other arguments go to `jupyter lab`")
    lab.add_argument("--instructor", action="store_true", help="add the formgrader and Create Assignment")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--token", required=True, help="the server's token, part of the addresses printed")

    commands.add_parser("start-page", help="make workspace/START_HERE.md, or rewrite the progress on it")

    from grader.apps.hub import add_arguments as hub_arguments
    hub_arguments(commands.add_parser("hub", help="set up the class server for a roster and run it: JupyterHub "
                                                   "with nbgrader's exchange, one account per person (as root)"))
    return top


def main(argv=None):
    args, extra = parser().parse_known_args(argv)
    if extra and args.command != "lab":
        parser().error(f"unrecognized arguments: {' '.join(extra)}")
    os.environ.update(with_venv_on_path())
    course = course_root(args.course)
    if args.command == "grade":
        from grader.apps import grade
        return grade.main(course=course, assignments=args.assignment, students=args.student, jobs=args.jobs,
                          scheduler=args.scheduler, force=args.force, limits=_limits(args), csv_path=args.csv,
                          db_url=args.db_url)
    if args.command == "check":
        from grader.apps import check
        return check.main(notebook=args.notebook, course=course, assignment=args.assignment, limits=_limits(args))
    if args.command == "lab":
        from grader.apps import lab
        return lab.main(course=course, kind="instructor" if args.instructor else "learner", port=args.port,
                        token=args.token, extra=extra)
    if args.command == "hub":
        from grader.apps import hub
        return hub.main(course=course, roster=args.roster, root=args.root, venv=args.venv, exchange=args.exchange,
                        ip=args.ip, port=args.port, groups=args.groups, setup_only=args.setup_only,
                        check_roster=args.check_roster)
    if args.command == "start-page":
        from grader.apps import start
        return start.main(course=course)
    from grader.apps import record
    return record.main(course=course, lessons=args.lessons)


if __name__ == "__main__":
    sys.exit(main())
