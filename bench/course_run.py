"""Benchmark: the whole course executed top to bottom, the way a learner who answered everything runs it.

Each lesson in source/ (reference answers in place, hidden tests included) runs
in a fresh python3 kernel through nbclient, one after the other, figures and
widgets drawn: what "Restart and Run All" costs in every notebook in turn.
The wall time of each notebook includes its kernel's start and stop and
nbclient's messaging; the time inside its cells and the kernel's CPU time
(which, unlike wall time, does not grow when a shared machine's other tenants
take the cores) are printed beside it. The
optional PyTorch appendix is timed on its own line when it exists, and left
out of the course's total (without torch it only prints how to install it).

The course's aim is about a minute for all lessons on a 2-core machine.

Run it with `make bench` or `python -m bench.course_run [--only 07_generalisation ...]`.
"""
import argparse
import resource
import time
from datetime import datetime

import nbformat
from nbclient import NotebookClient

from grader.assignments import source_notebooks
from grader.kernels import use_ipc
from tests.support.environment import REPO

GOAL_SECONDS = 60


def run(path):
    """(wall, inside cells, kernel CPU) seconds to execute the notebook at `path` in a fresh kernel.

    Raises if a cell fails.
    """
    nb = nbformat.read(path, as_version=4)
    start, before = time.perf_counter(), _children_cpu()
    NotebookClient(nb, timeout=600, kernel_name="python3", config=use_ipc(),
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    wall = time.perf_counter() - start
    return wall, sum(_cell_seconds(c) for c in nb.cells if c.cell_type == "code"), _children_cpu() - before


def _children_cpu():
    """User + system CPU seconds of this process's finished children: here, the kernels."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cell_seconds(cell):
    """From the kernel's execute_input to its execute_reply, as nbclient records them."""
    times = cell.metadata.get("execution", {})
    if "iopub.execute_input" not in times or "shell.execute_reply" not in times:
        return 0.0
    parse = datetime.fromisoformat
    return (parse(times["shell.execute_reply"]) - parse(times["iopub.execute_input"])).total_seconds()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="assignment names to run (default: every lesson)")
    args = parser.parse_args()
    lessons = [p for p in source_notebooks(REPO) if not args.only or p.parent.name in args.only]
    print(f"Executing {len(lessons)} lesson(s) top to bottom, one fresh kernel each:")
    total = in_cells = cpu = 0.0
    for path in lessons:
        wall, cells, kernel_cpu = run(path)
        total += wall
        in_cells += cells
        cpu += kernel_cpu
        print(f"  {path.parent.name:28s} {wall:6.1f} s   "
              f"({cells:5.1f} s inside its cells, kernel CPU {kernel_cpu:5.1f} s)",
              flush=True)
    verdict = "within" if total <= GOAL_SECONDS * 1.1 else "over"
    print(f"  {'all lessons':28s} {total:6.1f} s   ({in_cells:5.1f} s inside cells, kernel CPU {cpu:5.1f} s; "
          f"{verdict} the aim of about {GOAL_SECONDS} s)")
    appendix = REPO / "appendix" / "pytorch.ipynb"
    if appendix.exists() and not args.only:
        print(f"  {'appendix (PyTorch)':28s} {run(appendix)[0]:6.1f} s   (not in the total)")


if __name__ == "__main__":
    main()
