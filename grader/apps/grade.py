"""`python -m course grade`: grade every submission under submitted/, isolated and in parallel."""
from pathlib import Path

from grader.classroom import grade_class, summary


def main(*, course, assignments=None, students=None, jobs=None, scheduler=None, force=False, limits, csv_path=None,
         db_url=None):
    rows = grade_class(course, assignments, students, jobs=jobs, scheduler=scheduler, force=force, limits=limits,
                       csv_path=csv_path, db_url=db_url)
    print(summary(rows) if rows else "nothing graded yet")
    print(f"grades: {csv_path or Path(course) / 'grades.csv'}   feedback: {Path(course) / 'feedback'}")
    return 0
