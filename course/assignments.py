"""The course's nbgrader assignments: where they are, and their regions.

Used by the tests, the grading tools and the benchmark to find notebooks, read
solution and hidden-test regions, and fill a release notebook with the
reference solutions (or with a deliberate mistake).
"""
import copy
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def source_notebooks(root=ROOT):
    """Every source notebook, as paths sorted by assignment and name."""
    return sorted(p for p in Path(root, "source").glob("*/*.ipynb"))


def release_path(source_path):
    """The release notebook that nbgrader makes from a source notebook."""
    source_path = Path(source_path)
    return source_path.parent.parent.parent / "release" / source_path.parent.name / source_path.name


def read(path):
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution(cell):
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell):
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def region_lines(source, markers):
    """1-based numbers of the lines inside `markers` regions of `source`, markers included."""
    begin, end = markers
    inside, numbers = False, set()
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            inside = True
        if inside:
            numbers.add(number)
        if end in line:
            inside = False
    return numbers


def region_text(source, markers):
    """The lines strictly inside `markers` regions, markers excluded."""
    lines = source.split("\n")
    return [lines[n - 1] for n in sorted(region_lines(source, markers))
            if markers[0] not in lines[n - 1] and markers[1] not in lines[n - 1]]


def reference_solution(source):
    """A solution cell's source with the solution markers removed, as a student would write it."""
    return "\n".join(line for line in source.split("\n") if not any(m in line for m in SOLUTION))


def exercises(nb):
    """{solution grade_id: [grade_ids of the test cells that follow it]}, in notebook order."""
    result, current = {}, None
    for cell in nb.cells:
        if is_solution(cell):
            current = nbgrader_meta(cell)["grade_id"]
            result[current] = []
        elif is_test(cell) and current is not None:
            result[current].append(nbgrader_meta(cell)["grade_id"])
    return result


def fill_in(release_nb, source_nb, edits=None):
    """A copy of `release_nb` answered with the reference solutions from `source_nb`.

    `edits` maps a solution grade_id to (old, new): that cell's answer has
    `old` replaced by `new`, to play a student's mistake. `old` and `new` may
    also be tuples, for several replacements in the same answer.
    """
    answers = {nbgrader_meta(c)["grade_id"]: reference_solution(c.source)
               for c in source_nb.cells if is_solution(c)}
    for grade_id, (olds, news) in (edits or {}).items():
        olds, news = ((olds,), (news,)) if isinstance(olds, str) else (olds, news)
        for old, new in zip(olds, news, strict=True):
            if old not in answers[grade_id]:
                raise ValueError(f"{old!r} does not occur in the reference answer of {grade_id!r}")
            answers[grade_id] = answers[grade_id].replace(old, new)
    filled = copy.deepcopy(release_nb)
    for cell in filled.cells:
        if is_solution(cell):
            cell.source = answers[nbgrader_meta(cell)["grade_id"]]
    return filled
