"""The feedback step hides hidden tests but keeps the failure message."""
import nbformat

from grader.preprocessors.redact import NOTE, REDACTED, RedactHiddenTests

SOURCE = """from course.checks import check_equal
check_equal("f(1)", f(1), 2)
### BEGIN HIDDEN TESTS
secret_input = 41
check_equal("f(41)", f(secret_input), 82)
### END HIDDEN TESTS
print("ok")"""

TRACEBACK = [
    "\x1b[0;31m-----------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mAssertionError\x1b[0m                            Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[7], line 5\x1b[0m\n\x1b[1;32m      3\x1b[0m \x1b[38;5;66;03m### BEGIN HIDDEN TESTS\x1b[39;00m\n"
    "\x1b[1;32m      4\x1b[0m secret_input \x1b[38;5;241m=\x1b[39m \x1b[38;5;241m41\x1b[39m\n"
    "\x1b[0;32m----> 5\x1b[0m check_equal(\x1b[38;5;124m\"f(41)\"\x1b[39m, f(secret_input), \x1b[38;5;241m82\x1b[39m)\n"
    "\x1b[1;32m      6\x1b[0m \x1b[38;5;66;03m### END HIDDEN TESTS\x1b[39;00m\n"
    "\x1b[1;32m      7\x1b[0m \x1b[38;5;28mprint\x1b[39m(\"ok\")",
    "File \x1b[0;32m/work/course/checks.py:120\x1b[0m, in \x1b[0;36mcheck_equal\x1b[0;34m(name, got, expected)\x1b[0m\n"
    "\x1b[1;32m    119\x1b[0m \x1b[38;5;28;01mif\x1b[39;00m got != expected:\n"
    "\x1b[0;32m--> 120\x1b[0m     \x1b[38;5;28;01mraise\x1b[39;00m \x1b[38;5;167;01mAssertionError\x1b[39;00m(...)",
    "\x1b[0;31mAssertionError\x1b[0m: f(41) should be 82, but it is 0.",
]


def redact(cell):
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = RedactHiddenTests().preprocess(nb, {})
    return nb.cells[0]


def test_hidden_region_and_its_traceback_lines_are_removed():
    cell = nbformat.v4.new_code_cell(SOURCE)
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=list(TRACEBACK))]
    out = redact(cell)
    assert "secret_input" not in out.source and "BEGIN HIDDEN" not in out.source
    assert NOTE in out.source and 'check_equal("f(1)", f(1), 2)' in out.source and 'print("ok")' in out.source
    text = "\n".join(out.outputs[0].traceback)
    assert "secret_input" not in text and "82)" not in text and "BEGIN HIDDEN" not in text
    assert REDACTED.strip() in text
    assert "AssertionError: f(41) should be 82, but it is 0." in text, "the failure message stays"
    assert "7 print(\"ok\")" in text, "visible lines of the cell stay"
    assert "raise AssertionError" in text, "frames outside the cell stay"


def test_cells_without_hidden_tests_are_untouched():
    cell = nbformat.v4.new_code_cell("assert f(1) == 2")
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=list(TRACEBACK))]
    out = redact(cell)
    assert out.source == "assert f(1) == 2" and out.outputs[0].traceback == TRACEBACK
