"""The first code run inside the sandbox (as `python -c`, before the kernel): limits, the user, then ipykernel.

It imports nothing of the grader, which the sandbox does not contain. Its one
argument is JSON: uid (or null), limits in MiB, the environment and the kernel's argv.
"""
import json
import os
import resource
import sys

settings = json.loads(sys.argv[1])
uid, MB = settings["uid"], 1024 * 1024
limits = [(resource.RLIMIT_AS, settings["memory_mb"] * MB), (resource.RLIMIT_FSIZE, settings["fsize_mb"] * MB),
          (resource.RLIMIT_CORE, 0)]
if uid is not None:  # RLIMIT_NPROC counts a user's processes: only meaningful for a uid of the kernel's own
    limits.append((resource.RLIMIT_NPROC, settings["nproc"]))
    for folder in (settings["work"], settings["work"] + "/.matplotlib"):
        os.chown(folder, uid, uid)
for which, value in limits:
    resource.setrlimit(which, (value, value))
if uid is not None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
os.chdir(settings["work"])
os.execve(settings["argv"][0], settings["argv"], settings["env"])
