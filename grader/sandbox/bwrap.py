"""The bubblewrap command line of a graded kernel's sandbox, and whether this machine can run it.

Only what is listed here exists inside: the system's programs and libraries,
a few files of /etc, the Python environment and the course package, all
read-only; fresh /proc and /dev; and three size-capped tmpfs, the working
folder's /tmp, /dev/shm and the kernel's socket folder. There is no network,
and the kernel is in PID, IPC and UTS namespaces of its own: bwrap's init is
PID 1 there, so when the kernel ends, or bwrap's parent dies, the operating
system kills every process the kernel left behind.
"""
import functools
import shutil
import subprocess
from pathlib import Path

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
WORK = "/tmp/student"  # the kernel's home and working folder
SOCKETS = "/run/kernel"  # its connection file and Unix sockets
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group", "nsswitch.conf", "fonts",
       "mime.types", "alternatives")
NAMESPACES = {"root": ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"],
              "rootless": ["--unshare-all", "--unshare-user", "--disable-userns"]}


def _system():
    args = []
    for path in SYSTEM:
        p = Path(path)
        if p.is_symlink():
            args += ["--symlink", str(p.readlink()), path]
        elif p.is_dir():
            args += ["--ro-bind", path, path]
    for name in ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def _tmpfs(path, megabytes, perms="1777"):
    return ["--perms", perms, "--size", str(int(megabytes * 1024 * 1024)), "--tmpfs", path]


def argv(spec, connection, stubs, command):
    """bwrap's arguments for `spec`: `connection` and the `stubs` ({covered file: stub file}) are host files."""
    args = [BWRAP, *NAMESPACES[spec.mode], "--die-with-parent", "--new-session", *_system(),
            "--proc", "/proc", "--dev", "/dev",
            *_tmpfs("/tmp", spec.disk_mb), *_tmpfs("/dev/shm", spec.disk_mb), *_tmpfs(SOCKETS, 1),
            "--dir", WORK, "--dir", f"{WORK}/.matplotlib"]
    made = set()
    for path in spec.read_only:  # bwrap would make the folders above as private as the host's /root
        for ancestor in reversed(Path(path).parents[:-1]):
            if ancestor not in made and str(ancestor) not in ("/usr", "/tmp", "/run", "/dev"):
                made.add(ancestor)
                args += ["--perms", "0755", "--dir", str(ancestor)]
        args += ["--ro-bind", path, path]
    for covered, stub in sorted(stubs.items()):
        args += ["--ro-bind", str(stub), covered]
    for folder in spec.covered:
        args += ["--perms", "0555", "--size", "65536", "--tmpfs", folder, "--remount-ro", folder]
    for font in spec.fonts:
        args += ["--ro-bind", font, f"{WORK}/.matplotlib/{Path(font).name}"]
    args += ["--ro-bind", str(connection), f"{SOCKETS}/connection.json", "--chdir", WORK, "--", *command]
    return args


@functools.cache
def available(mode):
    """Whether bwrap can build a sandbox of this mode here (None if it can), else why not."""
    if not Path(BWRAP).exists():
        return "bubblewrap is not installed (Debian: apt-get install bubblewrap)"
    try:
        proc = subprocess.run([BWRAP, *NAMESPACES[mode], "--die-with-parent", *_system(), "--proc", "/proc",
                               "--", "/bin/true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"bwrap could not run: {error}"
    return None if proc.returncode == 0 else f"bwrap could not make a sandbox here: {proc.stderr.strip()[:300]}"
