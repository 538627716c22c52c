"""Running nbgrader's own apps and converters in this process, quietly and without its slow start-up."""
import io
import logging
import threading
import traceback

LOCK = threading.Lock()  # nbgrader and os.environ are process-wide: one grading per process at a time


def run_converter(converter):
    """Start an nbgrader converter; (success, its log)."""
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    converter.log.addHandler(handler)
    converter.log.propagate = False
    try:
        converter.start()
        return True, log.getvalue()
    except Exception:  # noqa: BLE001 (nbgrader raises many kinds; the log says which)
        return False, log.getvalue() + traceback.format_exc()
    finally:
        converter.log.removeHandler(handler)


def last_error(log):
    lines = [line for line in log.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no log"


def cache_alembic_head():
    """nbgrader starts an `alembic` process (seconds) for every new gradebook; ask alembic once, in-process."""
    import nbgrader.api
    if getattr(nbgrader.api.get_alembic_version, "course_cached", False):
        return
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR
    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()

    def get_alembic_version():
        return head
    get_alembic_version.course_cached = True
    nbgrader.api.get_alembic_version = get_alembic_version


def quiet_sqlalchemy():
    """nbgrader 0.9.6 with SQLAlchemy 2 warns about its own session handling on every submission."""
    import warnings
    warnings.filterwarnings("ignore", message=".*not in session.*")
