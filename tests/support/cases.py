"""The submissions that the test suite grades, built from the repo's notebooks."""
from grader.assignments import exercises, fill_in
from grader.cells import nbgrader_meta
from tests.support.wrong_answers import INDEPENDENT, MISTAKES, rounds

# The assignment that also carries the cases that test nbgrader_config.py itself.
CONFIG_CASES = "01_notation"

# A mistake that passes the visible test and fails a hidden one: its feedback is checked.
FEEDBACK_MISTAKE = next(m for m in MISTAKES[CONFIG_CASES] if m.new == "return 3")

# Registered by a correct answer: after every cell, a line on stderr and a warning.
NOISE = '''
import sys as _sys, warnings as _warnings
def _noise(*args):
    print("debug: a line on stderr", file=_sys.stderr)
    _warnings.warn("a harmless warning", UserWarning)
get_ipython().events.register("post_run_cell", _noise)
'''


def noisy(release_nb, source_nb):
    """The reference answers, plus stderr output and a warning in every later cell."""
    nb = fill_in(release_nb, source_nb)
    first = next(c for c in nb.cells if nbgrader_meta(c).get("solution"))
    first.source += "\n" + NOISE
    return nb


def submissions(assignment, release_nb, source_nb):
    """{student id: notebook} for one assignment.

    Every assignment gets the reference answers, the unedited release, and its
    listed mistakes in rounds (student "round03" holds the fourth round, see
    wrong_answers.rounds). An assignment with exercises declared INDEPENDENT
    gets one "stub-<exercise>" student per exercise: the reference with that
    one answer left as released. CONFIG_CASES also gets stderr noise on a
    correct answer and deleted test cells, with a right and with a wrong answer.
    """
    subs = {"reference": fill_in(release_nb, source_nb), "unedited": release_nb}
    mistakes = MISTAKES.get(assignment, [])
    if assignment == CONFIG_CASES:
        subs["noisy"] = noisy(release_nb, source_nb)
        first = mistakes[0]
        doomed = set(exercises(source_nb)[first.cell])
        for name, nb in [("deleted-tests", fill_in(release_nb, source_nb)),
                         ("deleted-tests-wrong", fill_in(release_nb, source_nb, {first.cell: (first.old, first.new)}))]:
            nb.cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") not in doomed]
            subs[name] = nb
    for k, group in enumerate(rounds(mistakes, source_nb, INDEPENDENT.get(assignment, frozenset()))):
        subs[f"round{k:02d}"] = fill_in(release_nb, source_nb, {e: (m.old, m.new) for e, m in group.items()})
    for exercise in sorted(INDEPENDENT.get(assignment, ())):
        subs[f"stub-{exercise}"] = stub(release_nb, source_nb, exercise)
    return subs


def stub(release_nb, source_nb, exercise):
    """The reference answers, except `exercise`, left as released."""
    nb = fill_in(release_nb, source_nb)
    released = {nbgrader_meta(c).get("grade_id"): c.source for c in release_nb.cells}
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == exercise:
            cell.source = released[exercise]
    return nb


def round_of(assignment, mistake, source_nb):
    """The student id whose submission holds this mistake."""
    for k, group in enumerate(rounds(MISTAKES[assignment], source_nb, INDEPENDENT.get(assignment, frozenset()))):
        if group.get(mistake.cell) == mistake:
            return f"round{k:02d}"
    raise KeyError(mistake)
