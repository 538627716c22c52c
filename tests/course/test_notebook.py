"""course.notebook: what a notebook asks of where it runs."""
from course.notebook import iterations, under_nbgrader


def test_iterations_are_cut_only_while_nbgrader_runs(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert iterations(60) == 60 and not under_nbgrader()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert iterations(60) == 6 and iterations(3) == 1 and under_nbgrader()
