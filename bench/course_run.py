"""Benchmark: the whole course executed top to bottom, the way a learner who answered everything runs it.

Each lesson in source/ (reference answers in place, hidden tests included) runs
in a fresh python3 kernel through nbclient, one after the other, figures and
widgets drawn: what "Restart and Run All" costs in every notebook in turn.
The wall time of each notebook includes its kernel's start and stop. The
optional PyTorch appendix is timed on its own line when it exists, and left
out of the course's total (without torch it only prints how to install it).

The course's aim is about a minute for all lessons on a 2-core machine.

Run it with `make bench` or `python bench/course_run.py [--only 07_generalisation ...]`.
"""
import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course.assignments import source_notebooks  # noqa: E402

GOAL_SECONDS = 60


def run(path):
    """Seconds to execute the notebook at `path` in a fresh kernel; raises if a cell fails."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="assignment names to run (default: every lesson)")
    args = parser.parse_args()
    lessons = [p for p in source_notebooks() if not args.only or p.parent.name in args.only]
    print(f"Executing {len(lessons)} lesson(s) top to bottom, one fresh kernel each:")
    total = 0.0
    for path in lessons:
        seconds = run(path)
        total += seconds
        print(f"  {path.parent.name:28s} {seconds:6.1f} s", flush=True)
    verdict = "within" if total <= GOAL_SECONDS * 1.1 else "over"
    print(f"  {'all lessons':28s} {total:6.1f} s  ({verdict} the aim of about {GOAL_SECONDS} s)")
    appendix = REPO / "appendix" / "pytorch.ipynb"
    if appendix.exists() and not args.only:
        print(f"  {'appendix (PyTorch)':28s} {run(appendix):6.1f} s  (not in the total)")


if __name__ == "__main__":
    main()
