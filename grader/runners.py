"""Where grading tasks run: local worker processes, or a Dask cluster."""
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from course.checks.capstone import SECRET_ENV
from grader.autograde import grade_submission


def default_jobs(jobs=None):
    return max(1, jobs or os.cpu_count() or 1)


def _set_env(name, value):
    os.environ[name] = value


def run_tasks(tasks, jobs=None, scheduler=None):
    """Yield Results as they finish."""
    if not tasks:
        return
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed
        with Client(scheduler) as client:
            if os.environ.get(SECRET_ENV):  # the judge runs on the workers: the same held-out set there
                client.run(_set_env, SECRET_ENV, os.environ[SECRET_ENV])
            futures = client.map(grade_submission, tasks, pure=False)
            for future in dask_completed(futures):
                yield future.result()
        return
    with ProcessPoolExecutor(max_workers=min(default_jobs(jobs), len(tasks)), mp_context=get_context("fork")) as pool:
        for future in as_completed([pool.submit(grade_submission, t) for t in tasks]):
            yield future.result()
