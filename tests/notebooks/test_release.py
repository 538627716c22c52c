"""release/ is exactly what nbgrader makes from source/, and gives nothing away."""
from grader.assignments import read, release_path, source_notebooks
from grader.cells import HIDDEN, SOLUTION, is_solution, region_lines
from tests.support.environment import REPO


def files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


def test_release_has_one_folder_per_source_assignment():
    released = sorted(p.name for p in (REPO / "release").iterdir() if p.is_dir())
    sources = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    assert released == sources, "release/ and source/ hold different assignments: run `make release`"


def test_release_is_byte_for_byte_what_generate_assignment_makes(released, assignments):
    for a in assignments:
        expected = files(released / "release" / a)
        committed = files(REPO / "release" / a)
        assert sorted(committed) == sorted(expected), f"release/{a} has other files than nbgrader makes"
        stale = [str(name) for name in expected if committed[name] != expected[name]]
        assert not stale, f"release/{a} is stale in {stale}: run `make release` and commit release/"


def secret_and_given_lines(nb):
    """Stripped lines inside solution or hidden-test regions, and the code lines outside them."""
    secret, given = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        inside = region_lines(cell.source, SOLUTION) | region_lines(cell.source, HIDDEN)
        for n, line in enumerate(cell.source.split("\n"), start=1):
            (secret if n in inside else given).add(line.strip())
    return secret - {""} - {m for m in (*SOLUTION, *HIDDEN)}, given


def test_no_solution_or_hidden_test_line_reaches_release():
    for source in source_notebooks(REPO):
        nb = read(source)
        secret, given = secret_and_given_lines(nb)
        secret -= given  # a line the lesson also shows as given code is no secret
        released = read(release_path(source))
        shown = {line.strip() for cell in released.cells if cell.cell_type == "code"
                 for line in cell.source.split("\n")}
        leaked = sorted(secret & shown)
        assert not leaked, f"{release_path(source)} shows solution or hidden-test lines: {leaked}"
        text = release_path(source).read_text()
        for marker in (*SOLUTION, *HIDDEN):
            assert marker not in text, f"{release_path(source)} still contains {marker!r}"
        assert sum(is_solution(c) for c in released.cells) == sum(is_solution(c) for c in nb.cells)


def test_the_leak_check_would_see_real_solution_and_hidden_lines():
    for source in source_notebooks(REPO):
        secret, given = secret_and_given_lines(read(source))
        assert len(secret - given) >= 5, f"{source.name}: the leak check has almost nothing to look for"
    backprop = next(p for p in source_notebooks(REPO) if p.parent.name == "03_backprop")
    secret, given = secret_and_given_lines(read(backprop))
    assert "dZ = (A[L] - Y) / n" in secret - given
    assert "_rng = np.random.default_rng(34)" in secret - given
