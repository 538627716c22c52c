"""An assignment's grading template: made once, shipped with every task of that assignment."""
import hashlib
import shutil
import tempfile
from pathlib import Path

from grader.config import CONFIG, load_config
from grader.nbgrader_app import LOCK, cache_alembic_head, run_converter
from grader.records import Template


def make_template(course_root, assignment):
    """Config, source, release and an empty gradebook of one assignment, as nbgrader generates them."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    cache_alembic_head()
    course_root = Path(course_root)
    with tempfile.TemporaryDirectory(prefix="course-template-") as tmp:
        tmp = Path(tmp)
        shutil.copy(course_root / CONFIG, tmp / CONFIG)
        shutil.copytree(course_root / "source" / assignment, tmp / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        config = load_config(tmp / CONFIG, tmp)
        config.CourseDirectory.assignment_id = assignment
        with LOCK:
            ok, log = run_converter(GenerateAssignment(coursedir=CourseDirectory(config=config), config=config))
        if not ok:
            raise RuntimeError(f"nbgrader could not generate {assignment}:\n{log}")
        files = {}
        for kind in ("source", "release"):
            for path in sorted((tmp / kind / assignment).rglob("*")):
                if path.is_file():
                    files[f"{kind}/{path.relative_to(tmp / kind / assignment)}"] = path.read_bytes()
        return Template(assignment=assignment, config=(tmp / CONFIG).read_bytes(), files=files,
                        gradebook=(tmp / "gradebook.db").read_bytes(),
                        notebooks=tuple(sorted(p.name for p in (tmp / "source" / assignment).glob("*.ipynb"))),
                        digest=digest(files))


def digest(files):
    """A hash of {relative path: bytes}."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def submission_digest(files, template):
    """Changes when the submission or its assignment's source changes: what a re-run compares."""
    return digest(files) + template.digest[:16]
