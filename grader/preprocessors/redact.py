"""A feedback step that keeps hidden tests hidden.

nbgrader's feedback shows each test cell whole, hidden tests included, and
tracebacks that quote the failing hidden line. This preprocessor, run by
`nbgrader generate_feedback`, replaces the hidden region of every test cell by
a note and removes the traceback lines that show hidden code. The exception
line, which carries the failure message, stays.
"""
import re

from nbgrader.preprocessors import NbGraderPreprocessor

from grader.cells import HIDDEN, region_lines

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_FRAME = re.compile(r"^(Cell In\s*\[\d*\]|Input In\s*\[\d*\]|File <ipython-input-)")
_CODE_LINE = re.compile(r"^\s*(?:-*>)?\s*(\d+)\s")
NOTE = "# (hidden tests: not shown)"
REDACTED = "      [hidden test code]"


class RedactHiddenTests(NbGraderPreprocessor):
    """Hide hidden-test source and the traceback lines that quote it."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        hidden = region_lines(cell.source, HIDDEN)
        if not hidden:
            return cell, resources
        lines = cell.source.split("\n")
        secrets = {lines[n - 1].strip() for n in hidden if len(lines[n - 1].strip()) >= 4}
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = redact_traceback(output.get("traceback", []), hidden, secrets)
        kept, noted = [], False
        for number, line in enumerate(lines, start=1):
            if number not in hidden:
                kept.append(line)
            elif not noted:
                kept.append(line[:len(line) - len(line.lstrip())] + NOTE)
                noted = True
        cell.source = "\n".join(kept)
        return cell, resources


def redact_traceback(traceback, hidden, secrets):
    """Traceback entries without the lines that show hidden code.

    `hidden` holds the cell's hidden line numbers, dropped from the cell's own
    frames; `secrets` the hidden lines' text, dropped wherever it appears.
    """
    redacted = []
    for entry in traceback:
        out, in_cell, last_redacted = [], False, False
        for line in ANSI.sub("", entry).split("\n"):
            if _CELL_FRAME.match(line):
                in_cell = True
            elif line.startswith("File "):
                in_cell = False
            match = _CODE_LINE.match(line)
            code = line[match.end():].strip() if match else line.strip()
            if (in_cell and match and int(match.group(1)) in hidden) or code in secrets:
                if not last_redacted:
                    out.append(REDACTED)
                last_redacted = True
                continue
            out.append(line)
            last_redacted = False
        redacted.append("\n".join(out))
    return redacted
