"""Shared fixtures: the heavy jobs of support.jobs, started in the background as soon as the tests are collected."""
import pytest

from tests.support.courses import assignment_names
from tests.support.jobs import HEAVY, Jobs


def pytest_collection_finish(session):
    needed = set()
    for item in session.items:
        needed |= set(getattr(item, "fixturenames", ())) & set(HEAVY)
    if needed:
        jobs(session.config).start([name for name in HEAVY if name in needed])


def pytest_sessionfinish(session):
    if hasattr(session.config, "_course_jobs"):
        session.config._course_jobs.close()


def jobs(config):
    if not hasattr(config, "_course_jobs"):
        config._course_jobs = Jobs(config._tmp_path_factory.mktemp("jobs"))
    return config._course_jobs


@pytest.fixture(scope="session")
def assignments():
    return assignment_names()


def _heavy_fixture(name):
    def fixture(request):
        return jobs(request.config).get(name)
    fixture.__doc__ = getattr(Jobs, name).__doc__
    return pytest.fixture(scope="session", name=name)(fixture)


for _name in HEAVY:
    globals()[_name] = _heavy_fixture(_name)
