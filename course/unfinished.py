"""An unanswered exercise, met by a later cell, is shown as one line that names the exercise to finish.

That is a NotImplementedError raised by an exercise's function, and a NameError for a name that an
exercise's answer defines (the cell was not run, or it stopped before defining it).
"""
import re

from course.exercises import EXERCISES, of_function

_RED, _RESET = "\x1b[0;31m", "\x1b[0m"


def message(tb):
    """What to tell the student about a NotImplementedError raised through these frames, or None if it is not ours."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return advice(frames)


def message_from_lines(lines):
    """The same, from the lines of a traceback printed by `traceback.format_list` (the grader sees only those)."""
    return advice(re.findall(r", in (\w+)$", "\n".join(lines), re.M))


def advice(functions):
    """The sentence for a NotImplementedError raised through these functions, outermost first; None if not ours."""
    for function in reversed(functions):
        exercise = of_function(function)
        if exercise is not None:
            return (f"`{function}` is not written yet: finish Exercise {exercise.number} (replace its "
                    "`raise NotImplementedError()` with your code), run that cell, then run this one again.")
    if functions and functions[-1] == "<module>":
        return "This answer is not written yet: replace `raise NotImplementedError()` with your code and run the cell."
    return None


def undefined(name):
    """What to tell the student about a NameError for `name`, or None if no exercise defines it."""
    if name and re.fullmatch(r"q\d+", name):
        return (f"`{name}` is not defined yet: answer the knowledge check (`{name} = \"a\"`, with the letter "
                "you choose) and run its cell, then run this one again.")
    for exercise in EXERCISES:
        if name in exercise.names:
            return (f"`{name}` is not defined yet: finish Exercise {exercise.number} and run its cell, "
                    "then run this one again.")
    return None


def _show(shell, etype, value, tb, tb_offset=None):
    # IPython shows nothing itself for a custom exception: the handler sends the error, as showtraceback would.
    text = undefined(getattr(value, "name", None)) if isinstance(value, NameError) else message(tb)
    if text is None:
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    else:
        stb = [f"{_RED}Not finished:{_RESET} {text}"]
    shell._showtraceback(etype, value, stb)


def install(shell):
    """Show unfinished exercises this way in this IPython shell."""
    shell.set_custom_exc((NotImplementedError, NameError), _show)
