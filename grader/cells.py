"""What nbgrader's metadata says about a cell, and the regions its markers delimit: one definition for all."""

SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell):
    return nbgrader_meta(cell).get("grade_id")


def is_solution(cell):
    """An answer cell: the student writes in it."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell):
    """A graded test cell: code with points that is not an answer."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


def is_locked(cell):
    return bool(nbgrader_meta(cell).get("locked"))


def region_lines(source, markers):
    """1-based numbers of the lines inside `markers` regions of `source`, markers included."""
    begin, end = markers
    inside, numbers = False, set()
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            inside = True
        if inside:
            numbers.add(number)
        if end in line:
            inside = False
    return numbers


def region_text(source, markers):
    """The lines strictly inside `markers` regions, markers excluded."""
    lines = source.split("\n")
    return [lines[n - 1] for n in sorted(region_lines(source, markers))
            if markers[0] not in lines[n - 1] and markers[1] not in lines[n - 1]]


def without_region(source, markers):
    """`source` without its `markers` regions, markers included: what a student sees of a test cell."""
    hidden = region_lines(source, markers)
    return "\n".join(line for n, line in enumerate(source.split("\n"), start=1) if n not in hidden)


def reference_solution(source):
    """A solution cell's source with the solution markers removed, as a student would write it."""
    return "\n".join(line for line in source.split("\n") if not any(m in line for m in SOLUTION))
