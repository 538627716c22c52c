"""The hidden-test lines of a source notebook that a student must never see."""
from grader.cells import HIDDEN, region_lines, region_text


def hidden_lines(nb):
    """Stripped lines of the hidden regions that appear nowhere else in the notebook's code (len > 3)."""
    hidden, shown = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        inside = region_lines(cell.source, HIDDEN)
        hidden |= {line.strip() for line in region_text(cell.source, HIDDEN)}
        shown |= {line.strip() for n, line in enumerate(cell.source.split("\n"), start=1) if n not in inside}
    return {line for line in hidden - shown if len(line) > 3}
