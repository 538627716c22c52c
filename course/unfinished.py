"""A NotImplementedError from an unanswered exercise is shown as one line that names the exercise to finish."""
from course.exercises import of_function

_RED, _RESET = "\x1b[0;31m", "\x1b[0m"


def message(tb):
    """What to tell the student about a NotImplementedError raised through these frames, or None if it is not ours."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    for function in reversed(frames):
        exercise = of_function(function)
        if exercise is not None:
            return (f"`{function}` is not written yet: finish Exercise {exercise.number} (replace its "
                    "`raise NotImplementedError()` with your code), run that cell, then run this one again.")
    if frames and frames[-1] == "<module>":
        return "This answer is not written yet: replace `raise NotImplementedError()` with your code and run the cell."
    return None


def _show(shell, etype, value, tb, tb_offset=None):
    # IPython shows nothing itself for a custom exception: the handler sends the error, as showtraceback would.
    text = message(tb)
    if text is None:
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    else:
        stb = [f"{_RED}Not finished:{_RESET} {text}"]
    shell._showtraceback(etype, value, stb)


def install(shell):
    """Show unfinished exercises this way in this IPython shell."""
    shell.set_custom_exc((NotImplementedError,), _show)
