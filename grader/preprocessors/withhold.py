"""A feedback step: no output after the first hidden test can carry hidden code to the student.

For feedback from notebooks whose tests ran in the kernel (plain nbgrader's
`generate_feedback`); the course's grader, whose tests never enter the
kernel, switches it off. Once a cell with hidden tests has run in a kernel,
its source is there (linecache, the call stack), and the student's code can
print it. So, in the feedback,
every code cell from the first hidden-test cell on shows only its errors:
the check's message, with any hidden line scrubbed from it and its length
capped. Cells before it keep their outputs. The autograded notebook, which only
the instructor sees, keeps everything.
"""
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from grader.cells import HIDDEN, is_test, region_text
from grader.preprocessors.redact import ANSI

NOTE = "[outputs of this cell and the cells after it are not shown in the feedback: they could carry hidden tests]"
SCRUBBED = "[hidden test code]"
MESSAGE_CHARS = 600


def _scrub(text, secrets):
    lines = ANSI.sub("", str(text)).split("\n")
    return "\n".join(SCRUBBED if any(s in line for s in secrets) else line for line in lines)


class WithholdOutputsAfterHiddenTests(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        secrets = {line.strip() for c in nb.cells if c.cell_type == "code" and is_test(c)
                   for line in region_text(c.source, HIDDEN) if len(line.strip()) >= 6}
        started = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            first = not started and is_test(cell) and region_text(cell.source, HIDDEN)
            started = started or bool(first)
            if not started:
                continue
            kept = [new_output("stream", name="stdout", text=NOTE + "\n")] if first else []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["evalue"] = _scrub(output.get("evalue", ""), secrets)[:MESSAGE_CHARS]
                    output["traceback"] = [_scrub(line, secrets)[:MESSAGE_CHARS]
                                           for line in output.get("traceback", [])]
                    kept.append(output)
            cell.outputs = kept
        return nb, resources
