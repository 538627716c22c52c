"""Set-up run by the first, locked cell of every notebook, and what a notebook asks of where it runs."""
import os
import sys
import warnings


def under_nbgrader():
    """True while nbgrader grades or validates the notebook (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _show_on_stdout(message, category, filename, lineno, file=None, line=None):
    print(warnings.formatwarning(message, category, filename, lineno, line), end="", file=sys.stdout)


def setup():
    """Show warnings on stdout and make plots and printed arrays readable.

    nbgrader scores a test cell 0 when anything reaches stderr, so a harmless
    warning would cost a correct answer its points. Warnings still appear,
    printed as normal output.

    While nbgrader grades or validates a notebook, figures are built but not
    drawn: drawing costs seconds per notebook and earns no points.

    NumPy's BLAS runs on one thread: the course's matrices are small, and
    several threads fighting over busy cores made training cells many times
    slower on shared machines.

    In the learner's own runs and under Validate, an unanswered exercise's
    NotImplementedError is shown as one line that names the exercise to finish.
    Not while a submission is graded: the grader resets every exception handler
    before a test cell, and counts one it finds as the student's (its judge
    names the exercise itself).
    """
    warnings.showwarning = _show_on_stdout
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        _show_unfinished_exercises()
    import numpy as np
    from threadpoolctl import threadpool_limits

    import course.checks  # noqa: F401 (the checks keep numpy's own functions from before any student code runs)
    threadpool_limits(1)  # after numpy is imported, so that its BLAS is found
    np.set_printoptions(precision=7, suppress=True, linewidth=100)
    import matplotlib
    if under_nbgrader():
        matplotlib.use("agg")
        warnings.filterwarnings("ignore", message=".*non-interactive.*cannot be shown")
        matplotlib.rcParams["figure.max_open_warning"] = 0
    import matplotlib.pyplot as plt
    plt.rcParams.update({"figure.dpi": 100, "figure.figsize": (6, 4)})


def _show_unfinished_exercises():
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        from course.unfinished import install
        install(shell)


def iterations(n):
    """n, or a tenth of it (at least 1) while nbgrader grades or validates the notebook.

    For the cells that train a network only to show the result: nothing graded
    depends on how long they train.
    """
    return max(1, n // 10) if under_nbgrader() else n
