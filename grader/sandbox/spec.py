"""What one graded kernel's sandbox is made of; it travels to the launcher as JSON in the environment."""
import json
import os
from dataclasses import asdict, dataclass, field

ENV = "COURSE_SANDBOX"


@dataclass(frozen=True)
class Spec:
    """The sandbox of one kernel. Paths are the host's; the kernel sees each at the same path."""

    mode: str  # "root" (a uid of its own), "rootless" (user namespaces) or "none" (--no-sandbox)
    host_dir: str  # the grader's folder for this kernel: connection file, the link to the kernel's sockets
    uid: int | None = None  # with root: the kernel's user id
    read_only: tuple = ()  # folders bound read-only: the Python environment, the course package
    stubs: dict = field(default_factory=dict)  # file: the text the kernel reads there instead
    covered: tuple = ()  # folders shown empty: bytecode of the stubbed modules
    pythonpath: str = ""
    disk_mb: int = 256  # size of each writable file system: the working folder in /tmp, and /dev/shm
    memory_mb: int = 4096
    nproc: int = 64
    fsize_mb: int = 64
    fonts: tuple = ()  # matplotlib's font cache files, shown read-only in its config folder

    def to_env(self):
        return {ENV: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls, environ=None):
        data = json.loads((environ or os.environ)[ENV])
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
