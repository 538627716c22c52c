"""The capstone's secret in the grader's process: the instructor's COURSE_CAPSTONE_SECRET, or one kept for the course.

course.checks.capstone draws its held-out set from the environment variable COURSE_CAPSTONE_SECRET of the process
that runs the test cells, the judge. An instructor sets it in the grading environment, never in the repository;
every grading run with the same secret scores against the same held-out set. Where it is not set (a learner's
`make check`, an instructor who chose none), `ensure` makes one on first use and keeps it in the course folder's
.grader/capstone-secret (git-ignored; the folder 0700, the file 0600), and takes it from there afterwards.

A graded kernel sees neither. Its environment is built from the sandbox's whitelist (grader.sandbox.KEEP_ENV); its
files are the system's, the Python environment's and the course package's (grader.autograde.python_folders), never
the course folder, which `ensure` checks. Without the sandbox (--no-sandbox) a kernel can read whatever the grader
can, the secret included; such rows are flagged as unsandboxed anyway.
"""
import os
import re
import secrets
from pathlib import Path

from course.checks.capstone import SECRET_ENV

FOLDER, NAME = ".grader", "capstone-secret"
CHECKS = "course.checks.capstone"
HELDOUT_LINE = re.compile(r"held-out accuracy \S+ on \d+ signals \(\S+ reshuffled\): band \d+ of \d+")


def secret_path(course_root):
    return Path(course_root).resolve() / FOLDER / NAME


def _refuse_if_a_kernel_sees(path):
    from grader.autograde import python_folders
    from grader.references import package_folder

    for folder in python_folders(package_folder()):
        if path.is_relative_to(Path(folder).resolve()):
            raise SystemExit(f"{path} would lie in {folder}, which graded kernels can read: the capstone's secret "
                             f"cannot be kept there; set {SECRET_ENV} in the grading environment instead")


def ensure(course_root):
    """Make sure this process's environment holds the secret (the workers it forks inherit it); where it came from:
    "environment", or the path of the course's own secret file."""
    if os.environ.get(SECRET_ENV):
        return "environment"
    path = secret_path(course_root)
    _refuse_if_a_kernel_sees(path)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    if not path.exists():
        draft = path.with_name(f".{NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as stream:
            stream.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)  # whole or not at all; another grader that was first wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    secret = path.read_text().strip()
    if not secret:
        raise SystemExit(f"{path} is empty: delete it and a new secret is made (held-out scores then change)")
    os.environ[SECRET_ENV] = secret
    return str(path)


def needed(course_root, assignments=None):
    """Whether a source notebook of these assignments (all, if None) has tests of the capstone's held-out set."""
    folders = [Path(course_root, "source", a) for a in assignments] if assignments else \
        [p for p in Path(course_root, "source").iterdir() if p.is_dir()]
    return any(CHECKS in path.read_text(errors="replace") for folder in folders for path in folder.glob("*.ipynb"))


def heldout_line(texts):
    """The first "held-out accuracy ... band N of 4" that these outputs of test cells hold, or None."""
    for text in texts:
        found = HELDOUT_LINE.search(text)
        if found:
            return found.group(0)
    return None
