"""Private mounts for a graded kernel, made with mount(2) through libc (no `mount` process per call)."""
import ctypes
import os
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 1, 32, 4096, 8192, 16384, 1 << 18
PRIVATE = ("/tmp", "/var/tmp", "/dev/shm")


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _mount(source, target, fstype=None, flags=0, data=None):
    def encode(value):
        return None if value is None else str(value).encode()

    if _libc().mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} on {target}: {os.strerror(errno)}")


def isolate(sandbox, hide, keep, stubs):
    """New mount and network namespaces: empty file systems over `hide`, `keep` put back read-only
    (the `sandbox` folder writable), and each file of `stubs` covered by its stub text."""
    if _libc().unshare(CLONE_NEWNS | CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare failed")
    _mount(None, "/", flags=MS_REC | MS_PRIVATE)
    stage = Path("/mnt")
    _mount("tmpfs", stage, "tmpfs", data="mode=0700")
    kept = []
    for i, path in enumerate(keep):
        if Path(path).exists() and any(Path(path).is_relative_to(h) for h in (*hide, *PRIVATE)):
            target = stage / f"keep{i}"
            target.mkdir()
            _mount(path, target, flags=MS_BIND)
            kept.append((path, target))
    for path in hide:
        if Path(path).is_dir():
            _mount("tmpfs", path, "tmpfs", data="mode=0755,size=1m")
    for shared in PRIVATE:
        if Path(shared).is_dir():
            _mount("tmpfs", shared, "tmpfs", data="mode=1777,size=256m")
    for path, target in kept:
        Path(path).mkdir(parents=True, exist_ok=True)
        _mount(target, path, flags=MS_MOVE)
        if Path(path) != Path(sandbox):
            _mount(None, path, flags=MS_REMOUNT | MS_BIND | MS_RDONLY)
    cover(stubs, stage)


def cover(stubs, stage):
    """Bind a read-only stub over every file of `stubs` ({path: text}), and an empty folder over its bytecode."""
    caches = set()
    for i, (path, text) in enumerate(sorted(stubs.items())):
        if not Path(path).is_file():
            continue
        stub = stage / f"stub{i}.py"
        stub.write_text(text)
        stub.chmod(0o444)
        _mount(stub, path, flags=MS_BIND)
        _mount(None, path, flags=MS_REMOUNT | MS_BIND | MS_RDONLY)
        caches.add(Path(path).parent / "__pycache__")
    for cache in caches:
        if cache.is_dir():
            _mount("tmpfs", cache, "tmpfs", data="mode=0555,size=64k")
