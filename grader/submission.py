"""A submitted notebook read, repaired where nbgrader would crash, and compared with its release."""
import nbformat

from grader.cells import grade_id, is_test, nbgrader_meta


def grade_ids(nb, graded_only=False):
    return [grade_id(c) for c in nb.cells if grade_id(c)
            and (not graded_only or nbgrader_meta(c).get("grade") or nbgrader_meta(c).get("solution"))]


def read_submission(name, data, expected_ids, reasons):
    """The submitted notebook, or None with the reason it cannot be graded."""
    if not data.strip():
        reasons.append(f"{name} is an empty file")
        return None
    try:
        nb = nbformat.reads(data.decode("utf-8", errors="replace"), as_version=4)
    except Exception as error:  # noqa: BLE001 (nbformat raises several kinds for broken JSON)
        reasons.append(f"{name} is not a valid notebook ({str(error).splitlines()[0][:120]})")
        return None
    graded = grade_ids(nb, graded_only=True)
    if graded and not set(graded) & set(expected_ids):
        reasons.append(f"{name} is from another assignment: none of its graded cells belong to this one")
        return None
    ids = grade_ids(nb)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        # nbgrader 0.9.6 crashes on repeated ids (DeduplicateIds leaves an empty record that
        # OverwriteCells cannot read), so keep the last copy of each, as nbgrader means to
        seen = set()
        for cell in reversed(nb.cells):
            gid = grade_id(cell)
            if gid in duplicates and gid in seen:
                del cell.metadata["nbgrader"]
            seen.add(gid)
        reasons.append(f"{name} repeats the cells {duplicates}; the last copy of each was graded")
    return nb


def compare_with_release(name, nb, release_nb, reasons):
    """Reasons for test cells the student deleted or changed (all are restored before grading)."""
    submitted = {}
    for cell in nb.cells:
        submitted.setdefault(grade_id(cell), cell)
    for cell in release_nb.cells:
        if not is_test(cell):
            continue
        gid, mine = grade_id(cell), submitted.get(grade_id(cell))
        if mine is None:
            reasons.append(f"{name}: test cell {gid} was deleted; it was put back and run")
        elif mine.source != cell.source:
            reasons.append(f"{name}: test cell {gid} was edited; the original was run")
        elif nbgrader_meta(mine).get("points") != nbgrader_meta(cell).get("points") or mine.cell_type != cell.cell_type:
            reasons.append(f"{name}: the points or type of test cell {gid} were changed; the originals were used")
