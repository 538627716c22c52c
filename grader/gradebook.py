"""Writing into the course's gradebook (any nbgrader db_url: SQLite or PostgreSQL)."""
from pathlib import Path

from grader.config import CONFIG, load_config
from grader.nbgrader_app import cache_alembic_head, quiet_sqlalchemy


def ensure_assignment(course_root, db_url, course_id, assignment):
    """Make sure the course gradebook knows the assignment (nbgrader generate_assignment does that)."""
    cache_alembic_head()
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url, course_id) as gb:
        try:
            gb.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    config = load_config(Path(course_root) / CONFIG, course_root)
    config.CourseDirectory.db_url = db_url
    result = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config).generate_assignment(assignment)
    if not result["success"]:
        raise RuntimeError(f"could not add {assignment} to the gradebook: {result.get('error')}")


def record_scores(result, db_url, course_id, timestamp=None):
    """The scores and automatic comments of one Result, in one transaction."""
    from nbgrader.api import Gradebook
    quiet_sqlalchemy()
    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_student(result.student)
        gb.update_or_create_submission(result.assignment, result.student,
                                       **({"timestamp": timestamp} if timestamp else {}))
        for name, entry in result.notebooks.items():
            stem = name.removesuffix(".ipynb")
            for gid, cell in entry.cells.items():
                gb.find_grade(gid, stem, result.assignment, result.student).auto_score = cell.score
            for comment_id, text in entry.comments.items():
                gb.find_comment(comment_id, stem, result.assignment, result.student).auto_comment = text
        gb.db.commit()
