"""The course folder and its nbgrader configuration, and the one rule about the venv on PATH."""
import os
import sys
from pathlib import Path

CONFIG = "nbgrader_config.py"


def course_root(folder=None):
    """The course folder: `folder` if given, else the working folder. It must hold nbgrader_config.py."""
    root = Path(folder or os.getcwd()).resolve()
    if not (root / CONFIG).is_file():
        raise SystemExit(f"{root} is not a course folder (it has no {CONFIG}); run this in the course "
                         f"folder or pass --course")
    return root


def load_config(config_path, root):
    """The course's nbgrader configuration, with its course folder moved to `root`."""
    from traitlets.config.loader import PyFileConfigLoader
    path = Path(config_path)
    config = PyFileConfigLoader(path.name, str(path.parent)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def course_settings(root):
    """(course_id, db_url) from the course's nbgrader_config.py."""
    config = load_config(Path(root) / CONFIG, root)
    course_id = config.CourseDirectory.get("course_id", "default_course")
    db_url = config.CourseDirectory.get("db_url") or f"sqlite:///{Path(root) / 'gradebook.db'}"
    return course_id, db_url


def with_venv_on_path(environ=None):
    """A copy of `environ` (os.environ by default) whose PATH starts with this Python's bin folder.

    nbgrader runs `alembic` by name whenever it creates a gradebook, so the
    venv's programs must come first on PATH.
    """
    environ = dict(os.environ if environ is None else environ)
    bin_dir = str(Path(sys.executable).parent)
    parts = environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        environ["PATH"] = os.pathsep.join([bin_dir, *filter(None, parts)])
    return environ
