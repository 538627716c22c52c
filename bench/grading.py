"""Benchmark: plain serial `nbgrader autograde` against `python -m course grade --jobs N`.

Builds a synthetic class from the release notebooks (correct, empty, partly
done and wrong answers, in equal parts), grades it once each way in two
identical scratch courses, and prints wall times, their ratio, the cost per
notebook, peak memory of the whole process tree and whether the scores agree.
Run it with `make bench` (PER=40 JOBS=<cores>).
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from grader.assignments import exercises, fill_in, read, release_path, source_notebooks
from grader.cells import nbgrader_meta
from grader.config import with_venv_on_path
from tests.support.environment import REPO as ROOT
from tests.support.wrong_answers import MISTAKES

KINDS = ("correct", "empty", "partial", "wrong")


def submission(kind, index, release_nb, source_nb, mistakes):
    """One student's notebook of the given kind; `index` varies which part is left out or wrong."""
    if kind == "empty":
        return release_nb
    if kind == "correct" or (kind == "wrong" and not mistakes):
        return fill_in(release_nb, source_nb)
    if kind == "wrong":
        m = mistakes[index % len(mistakes)]
        return fill_in(release_nb, source_nb, {m.cell: (m.old, m.new)})
    names = list(exercises(source_nb))
    answered = names[: 1 + index % max(1, len(names) - 1)]
    nb = fill_in(release_nb, source_nb)
    released = {nbgrader_meta(c).get("grade_id"): c.source for c in release_nb.cells}
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id not in answered:
            cell.source = released[grade_id]
    return nb


def scratch_course(dest, per_assignment):
    """A copy of the course's config, source and release, with a class of submissions."""
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest)
    shutil.copytree(ROOT / "source", dest / "source")
    shutil.copytree(ROOT / "release", dest / "release")
    count = 0
    for source_path in source_notebooks(ROOT):
        assignment = source_path.parent.name
        release_nb, source_nb = read(release_path(source_path)), read(source_path)
        for i in range(per_assignment):
            kind = KINDS[i % len(KINDS)]
            folder = dest / "submitted" / f"s{i:03d}-{kind}" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nb = submission(kind, i // len(KINDS), release_nb, source_nb, MISTAKES.get(assignment, []))
            nbformat.write(nb, str(folder / source_path.name))
            count += 1
    return count


def tree_rss(root_pid):
    """Resident memory (bytes) of a process and all its descendants."""
    children, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def timed(cmd, cwd, env):
    """(seconds, peak bytes of the process tree) for a command that must succeed."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read()
    proc.wait()
    seconds = time.monotonic() - started
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{output[-3000:]}")
    return seconds, peak[0]


def plain_scores(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nn-from-scratch") as gb:
        return {(s.student.id, s.assignment.name): s.score
                for a in gb.assignments for s in gb.assignment_submissions(a.name)}


def course_scores(course):
    with open(course / "grades.csv") as f:
        return {(r["student"], r["assignment"]): float(r["score"]) for r in csv.DictReader(f)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-assignment", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args()
    env = with_venv_on_path()
    scratch = Path(tempfile.mkdtemp(prefix="course-bench-"))
    try:
        plain, ours = scratch / "plain", scratch / "ours"
        n = scratch_course(plain, args.per_assignment)
        shutil.copytree(plain, ours)
        print(f"synthetic class: {args.per_assignment} submissions x {n // args.per_assignment} assignments "
              f"= {n} notebooks ({', '.join(KINDS)} in equal parts); {os.cpu_count()} cores", flush=True)
        for course in (plain, ours):
            subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force",
                            "--log-level=WARN"], cwd=course, env=env, check=True, capture_output=True)
        print("grading with plain serial `nbgrader autograde '*'` ...", flush=True)
        t_plain, m_plain = timed([sys.executable, "-m", "nbgrader", "autograde", "*", "--log-level=WARN"],
                                 plain, env)
        print(f"grading with `python -m course grade --jobs {args.jobs}` ...", flush=True)
        t_ours, m_ours = timed([sys.executable, "-m", "course", "--course", str(ours), "grade",
                                "--jobs", str(args.jobs)], ROOT, env)
        a, b = plain_scores(plain), course_scores(ours)
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print()
        print(f"{'':32s} {'wall':>8s} {'per notebook':>13s} {'peak memory':>12s}")
        print(f"{'nbgrader autograde (serial)':32s} {t_plain:7.1f}s {t_plain / n:12.2f}s {m_plain / 2**20:9.0f} MiB")
        print(f"{f'course grade --jobs {args.jobs}':32s} {t_ours:7.1f}s {t_ours / n:12.2f}s {m_ours / 2**20:9.0f} MiB")
        print(f"speed-up: {t_plain / t_ours:.2f}x   (course grade also writes feedback HTML for every notebook)")
        if differ:
            print(f"scores differ for {len(differ)} submission(s), e.g. "
                  + ", ".join(f"{k}: {a.get(k)} vs {b.get(k)}" for k in differ[:5]))
            return 1
        print(f"scores: identical for all {len(a)} submissions")
        return 0
    finally:
        if args.keep:
            print(f"scratch courses kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
