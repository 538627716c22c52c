"""The course's nbgrader assignments: where they are, their exercises, and notebooks answered from them.

Used by the grader, the tests and the benchmark. Every function takes the
course folder it works on; none guesses it.
"""
import copy
from pathlib import Path

import nbformat

from grader.cells import grade_id, is_solution, is_test, reference_solution


def source_notebooks(root):
    """Every source notebook of the course at `root`, as paths sorted by assignment and name."""
    return sorted(Path(root, "source").glob("*/*.ipynb"))


def release_path(source_path):
    """The release notebook that nbgrader makes from a source notebook."""
    source_path = Path(source_path)
    return source_path.parent.parent.parent / "release" / source_path.parent.name / source_path.name


def read(path):
    return nbformat.read(str(path), as_version=4)


def exercises(nb):
    """{solution grade_id: [grade_ids of the test cells that follow it]}, in notebook order."""
    result, current = {}, None
    for cell in nb.cells:
        if is_solution(cell):
            current = grade_id(cell)
            result[current] = []
        elif is_test(cell) and current is not None:
            result[current].append(grade_id(cell))
    return result


def fill_in(release_nb, source_nb, edits=None):
    """A copy of `release_nb` answered with the reference solutions from `source_nb`.

    `edits` maps a solution grade_id to (old, new): that cell's answer has
    `old` replaced by `new`, to play a student's mistake. `old` and `new` may
    also be tuples, for several replacements in the same answer.
    """
    answers = {grade_id(c): reference_solution(c.source) for c in source_nb.cells if is_solution(c)}
    for gid, (olds, news) in (edits or {}).items():
        olds, news = ((olds,), (news,)) if isinstance(olds, str) else (olds, news)
        for old, new in zip(olds, news, strict=True):
            if old not in answers[gid]:
                raise ValueError(f"{old!r} does not occur in the reference answer of {gid!r}")
            answers[gid] = answers[gid].replace(old, new)
    filled = copy.deepcopy(release_nb)
    for cell in filled.cells:
        if is_solution(cell):
            cell.source = answers[grade_id(cell)]
    return filled
