"""An unanswered exercise's NotImplementedError names the exercise to finish, in one line."""
from IPython.core.interactiveshell import InteractiveShell

from course.unfinished import install, message, message_from_lines


def _traceback_of(code):
    space = {}
    try:
        exec(compile(code, "<cell>", "exec"), space)  # noqa: S102
    except NotImplementedError as error:
        return error.__traceback__
    raise AssertionError("the code did not raise")


def test_a_stub_function_names_its_exercise():
    text = message(_traceback_of("def backward_pass(self, X, Y, coef):\n    raise NotImplementedError()\n"
                                 "backward_pass(None, 1, 2, 3)\n"))
    assert text.startswith("`backward_pass` is not written yet: finish Exercise 6")


def test_a_stub_at_the_top_of_a_cell_says_what_to_replace():
    assert message(_traceback_of("raise NotImplementedError()\n")).startswith("This answer is not written yet")


def test_a_notimplementederror_of_someone_else_is_left_alone():
    assert message(_traceback_of("def helper():\n    raise NotImplementedError()\nhelper()\n")) is None


def test_the_shell_shows_the_line_as_an_error(capsys):
    shell = InteractiveShell.instance()
    try:
        install(shell)
        result = shell.run_cell("def relu(z):\n    raise NotImplementedError()\nrelu(1)\n")
    finally:
        shell.set_custom_exc((), None)
    assert isinstance(result.error_in_exec, NotImplementedError)
    out = capsys.readouterr().out
    assert "finish Exercise 1" in out and "Traceback" not in out


def test_the_grader_names_the_exercise_from_the_printed_traceback():
    import traceback
    tb = _traceback_of("def forward_pass(self, X, training=False):\n    raise NotImplementedError()\n"
                       "forward_pass(None, 1)\n")
    lines = traceback.format_list(traceback.extract_tb(tb))
    assert message_from_lines(lines) == message(tb)
    assert message_from_lines(lines).startswith("`forward_pass` is not written yet: finish Exercise 5")
    assert message_from_lines(traceback.format_list(traceback.extract_tb(_traceback_of(
        "def helper():\n    raise NotImplementedError()\nhelper()\n")))) is None


def test_a_name_of_an_exercise_that_is_not_defined_names_the_exercise(capsys):
    shell = InteractiveShell.instance()
    try:
        install(shell)
        shell.run_cell("Z2.shape")
        shell.run_cell("not_an_exercise_name + 1")
        shell.run_cell("print(q3)")
    finally:
        shell.set_custom_exc((), None)
    out = capsys.readouterr().out
    assert "`Z2` is not defined yet: finish Exercise 3 and run its cell" in out
    assert "name 'not_an_exercise_name' is not defined" in out
    assert "`q3` is not defined yet: answer the knowledge check" in out
