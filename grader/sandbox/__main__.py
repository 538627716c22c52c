"""Start a graded kernel in its sandbox: `python -m grader.sandbox -f CONNECTION_FILE` (see grader.sandbox)."""
import json
import os
import resource
import shutil
import sys
from pathlib import Path

from grader.sandbox import KEEP_ENV
from grader.sandbox.mounts import isolate


def main(argv):
    connection_file = argv[argv.index("-f") + 1]
    sandbox = Path(os.environ["COURSE_SANDBOX_DIR"])
    uid = int(os.environ["COURSE_SANDBOX_UID"]) if os.environ.get("COURSE_SANDBOX_UID") else None
    hide = json.loads(os.environ.get("COURSE_SANDBOX_HIDE", "[]"))
    keep = json.loads(os.environ.get("COURSE_SANDBOX_KEEP", "[]"))
    stubs = json.loads(os.environ.get("COURSE_SANDBOX_STUBS", "{}"))
    limits = json.loads(os.environ.get("COURSE_SANDBOX_LIMITS", "{}"))
    try:
        os.setsid()
    except OSError:  # already leads its own session
        pass

    notes = []
    own_copy = sandbox / "connection.json"
    if Path(connection_file).resolve() != own_copy.resolve():  # it may sit where the sandbox cannot see
        shutil.copy(connection_file, own_copy)
        connection_file = str(own_copy)
    if os.geteuid() == 0 and uid is not None:
        try:
            isolate(sandbox, hide, [*keep, str(sandbox)], stubs)
        except OSError as error:
            notes.append(f"no private mounts or network: {error}")
        os.chown(connection_file, uid, uid)
        for path in sandbox.rglob("*"):
            if not path.is_symlink():
                os.chown(path, uid, uid)
        os.chown(sandbox, uid, uid)

    mb = 1024 * 1024
    if limits.get("memory_mb"):
        resource.setrlimit(resource.RLIMIT_AS, (limits["memory_mb"] * mb,) * 2)
    if limits.get("fsize_mb"):
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize_mb"] * mb,) * 2)
    if limits.get("nproc") and uid is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"],) * 2)

    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.update(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", HOME=str(sandbox), TMPDIR="/tmp",
               MPLCONFIGDIR=str(sandbox / ".matplotlib"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", USER="sandbox", LOGNAME="sandbox",
               COURSE_SANDBOX_NOTES=json.dumps(notes))
    if os.environ.get("COURSE_SANDBOX_PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["COURSE_SANDBOX_PYTHONPATH"]
    os.chdir(sandbox)
    if os.geteuid() == 0 and uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.execve(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file,
                               "--HistoryManager.enabled=False"], env)


if __name__ == "__main__":
    main(sys.argv[1:])
