"""An unanswered exercise's NotImplementedError names the exercise to finish, in one line."""
from IPython.core.interactiveshell import InteractiveShell

from course.unfinished import install, message


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
