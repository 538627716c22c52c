"""User ids for graded kernels: a fresh one per submission, never reused while anything of it runs.

The range 0x7A000000-0x7AFFFFFF lies above what systemd gives containers
(524288-1879048191) and below its "foreign" range (0x7FFE0000) and 2^31, so no
system service, login user, dynamic user or container uses it. A uid is taken
by creating its lock file and holding an flock on it; graders on one host
share the folder, so they never collide. A uid is given back only when no
process runs under it, and a folder of spent uids keeps each one from being
taken again until that folder is cleared (at boot, as /run is).
"""
import fcntl
import os
import secrets
import signal
import time
from pathlib import Path

FIRST, COUNT = 0x7A000000, 0x01000000
FOLDER = Path(os.environ.get("COURSE_UID_FOLDER", "/run/course-grader/uids"))


def running_as(uid):
    """PIDs of the processes whose real or effective user is `uid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                for line in (entry / "status").read_text().splitlines():
                    if line.startswith("Uid:"):
                        if str(uid) in line.split()[1:3]:
                            found.append(int(entry.name))
                        break
            except OSError:
                pass
    return found


class Uid:
    """One uid taken for one submission: `with Uid() as uid: ...`."""

    def __init__(self, folder=None):
        self.folder = Path(folder or FOLDER)
        self.value = None
        self._lock = None

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for _ in range(1000):
            uid = FIRST + secrets.randbelow(COUNT)
            path = self.folder / str(uid)
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                continue
            fcntl.flock(fd, fcntl.LOCK_EX)
            if running_as(uid):  # someone else's process: never share it
                os.close(fd)
                continue
            os.write(fd, f"{os.getpid()}\n".encode())
            self.value, self._lock = uid, fd
            return uid
        raise RuntimeError(f"no free sandbox uid in {self.folder}")

    def __exit__(self, *exc):
        """Kill whatever still runs as the uid (the PID namespace should have left nothing), then keep it spent."""
        for _ in range(50):
            pids = running_as(self.value)
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
        os.close(self._lock)
        return False
