"""The typed records that cross process and Dask boundaries: limits, template, task and result."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """What one graded kernel may use."""

    cell_timeout: int = 60  # seconds per cell
    notebook_timeout: int = 600  # seconds per notebook
    memory_mb: int = 4096  # address space of the kernel
    nproc: int = 64  # processes of the sandbox user
    fsize_mb: int = 64  # largest file the kernel may write
    disk_mb: int = 256  # size of each file system the kernel may write to (its folder in /tmp, /dev/shm)
    output_kb: int = 1024  # bytes of output a cell may keep
    notebook_output_kb: int = 8192  # bytes of output a notebook may keep
    sandbox: bool = True  # bubblewrap: namespaces, and with root a user id of its own


@dataclass(frozen=True)
class Template:
    """What every grading task of one assignment needs: its configuration, files and an empty gradebook."""

    assignment: str
    config: bytes
    files: dict  # "source/<name>" and "release/<name>": bytes
    gradebook: bytes
    notebooks: tuple  # names of the assignment's notebooks
    digest: str  # changes with the assignment's source

    def release(self, name):
        return self.files[f"release/{name}"]


@dataclass(frozen=True)
class Task:
    """One student's submission of one assignment, to grade anywhere."""

    template: Template
    student: str
    files: dict  # file name: bytes, as submitted
    limits: Limits = Limits()


@dataclass(frozen=True)
class CellScore:
    score: float
    max_score: float

    @property
    def full(self):
        return self.score >= self.max_score


@dataclass
class NotebookResult:
    graded: bool
    cells: dict = field(default_factory=dict)  # test cell grade_id: CellScore
    comments: dict = field(default_factory=dict)  # grade_id: nbgrader's automatic comment
    autograded: bytes = b""
    feedback: bytes = b""


@dataclass
class Result:
    """What grading one submission produced; only the parent process writes it into the course."""

    student: str
    assignment: str
    notebooks: dict = field(default_factory=dict)  # notebook name: NotebookResult
    reasons: list = field(default_factory=list)  # what cost points, for the student and the instructor
    flags: list = field(default_factory=list)  # what a person should review
    timing: dict = field(default_factory=dict)  # step: seconds
    seconds: float = 0.0
    digest: str = ""

    def totals(self):
        """(score, maximum) over every test cell of every notebook."""
        cells = [c for entry in self.notebooks.values() for c in entry.cells.values()]
        return float(sum(c.score for c in cells)), float(sum(c.max_score for c in cells))
