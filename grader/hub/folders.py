"""The folders of the class server and who may enter them: the exchange, the users' Jupyter config, the course.

- The exchange has nbgrader's permissions: its root is writable by everyone (nbgrader refuses to fetch or submit
  otherwise), with the sticky bit, so that nobody can rename or remove what another made. The course's own folder
  in it is made here, before any student could take its name, for the instructors' group, with the modes
  nbgrader's release gives it when instructors share a course (CourseDirectory.groupshared): outbound 2775 (all
  read, instructors write), inbound 2773 (all may drop a submission in, none but instructors may list it),
  feedback 2771 (all may open a file whose name they know, which only a submission's own secret gives).
- Each kind of user gets a Jupyter config folder under <root>/jupyter/: the course's own etc/jupyter/<kind>
  (nbgrader's documented per-user switches: lab plugins in labconfig/page_config.json, server extensions in
  jupyter_server_config.d/), copied, since students cannot enter the course directory, and etc/hub/<kind>
  (nbgrader's settings on the hub) on top.
- The course directory belongs to the instructors' group (group-writable, new files inheriting the group) and
  is closed to everyone else: students never see source/, the gradebook or anyone's submissions.
"""
import os
import secrets
import shutil
import stat
import time
from pathlib import Path

from grader.config import course_settings

KINDS = ("learner", "instructor")
PER_USER_SWITCHES = ("labconfig", "jupyter_server_config.d")  # of etc/jupyter/<kind>
EXCHANGE_ROOT_MODE = 0o1777
COURSE_MODES = {"": 0o2775, "outbound": 0o2775, "inbound": 0o2773, "feedback": 0o2771}
NOT_SHARED = {".venv", ".hub"}  # the course directory's own venv and the hub's tools stay as they are


def unreachable(path, who="every user"):
    """A sentence saying which folder keeps `who` out of `path`, or None if every folder above it lets them in."""
    path = Path(path).absolute()
    for folder in [*reversed(path.parents)]:
        if folder.exists() and not folder.stat().st_mode & stat.S_IXOTH:
            return (f"{who} must be able to enter {folder} to reach {path}, but its mode is "
                    f"{stat.filemode(folder.stat().st_mode)}: choose a place under a folder that others may "
                    f"enter (e.g. /srv), or `chmod o+x {folder}`")
    return None


def make_root(settings):
    settings.root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.root, 0o755)
    settings.state.mkdir(exist_ok=True)
    os.chmod(settings.state, 0o700)


def ensure_exchange(settings, owner_uid, instructors_gid):
    """The exchange root and the course's folder in it; True if the root was made now (a new exchange)."""
    root = settings.exchange
    new = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    os.chown(root, 0, 0)
    os.chmod(root, EXCHANGE_ROOT_MODE)
    course = root / settings.course_id
    for name, mode in COURSE_MODES.items():
        folder = course / name
        if not folder.exists():
            folder.mkdir()
            os.chown(folder, owner_uid, instructors_gid)
        else:
            os.chown(folder, -1, instructors_gid)
        os.chmod(folder, mode)
    if new or not settings.exchange_tag:
        settings.exchange_tag = f"{time.strftime('%Y%m%d')}-{secrets.token_hex(4)}"
    return new


def install_jupyter_config(settings):
    """<root>/jupyter/<kind>: etc/jupyter/<kind>'s per-user switches with etc/hub/<kind> on top."""
    settings.jupyter.mkdir(exist_ok=True)
    os.chmod(settings.jupyter, 0o755)
    for kind in KINDS:
        new = settings.jupyter / f".{kind}.new"
        shutil.rmtree(new, ignore_errors=True)
        for name in PER_USER_SWITCHES:
            shutil.copytree(settings.course / "etc" / "jupyter" / kind / name, new / name)
        shutil.copytree(settings.course / "etc" / "hub" / kind, new, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
        for dirpath, _dirnames, filenames in os.walk(new):
            os.chmod(dirpath, 0o755)
            for filename in filenames:
                os.chmod(os.path.join(dirpath, filename), 0o644)
        final = settings.jupyter / kind
        shutil.rmtree(final, ignore_errors=True)
        new.rename(final)


def share_course(course, gid):
    """The course directory: the instructors' group, group-writable and setgid throughout, closed to others."""
    course = Path(course)
    for dirpath, dirnames, filenames in os.walk(course):
        if Path(dirpath) == course:
            dirnames[:] = [d for d in dirnames if d not in NOT_SHARED]
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                continue
            if info.st_gid != gid:
                os.chown(path, -1, gid)
            mode = stat.S_IMODE(info.st_mode)
            wanted = mode | (0o2070 if stat.S_ISDIR(info.st_mode) else 0o060 | (0o010 if mode & 0o100 else 0))
            if wanted != mode:
                os.chmod(path, wanted)
    os.chown(course, -1, gid)
    os.chmod(course, 0o2770)


def register_students(course, members):
    """Every student of the roster in the course's gradebook, so that the formgrader and exports list them all."""
    from nbgrader.api import Gradebook
    course_id, db_url = course_settings(course)
    with Gradebook(db_url, course_id=course_id) as gradebook:
        for member in members:
            if member.role == "student":
                first, last = member.first_last
                gradebook.update_or_create_student(member.id, first_name=first, last_name=last)
