"""Where grading tasks run: local worker processes, or a Dask cluster."""
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from grader.autograde import grade_submission


def default_jobs(jobs=None):
    return max(1, jobs or os.cpu_count() or 1)


def run_tasks(tasks, jobs=None, scheduler=None):
    """Yield Results as they finish."""
    if not tasks:
        return
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed
        with Client(scheduler) as client:
            futures = client.map(grade_submission, tasks, pure=False)
            for future in dask_completed(futures):
                yield future.result()
        return
    with ProcessPoolExecutor(max_workers=min(default_jobs(jobs), len(tasks)), mp_context=get_context("fork")) as pool:
        for future in as_completed([pool.submit(grade_submission, t) for t in tasks]):
            yield future.result()
