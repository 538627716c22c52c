"""A kernel started by the grader's launcher, in the sandbox it builds for one assignment, to probe from a test."""
import contextlib
import tempfile
from pathlib import Path

from grader import sandbox
from grader.autograde import kernel_spec
from grader.kernels import use_ipc
from grader.records import Limits, Task, Template
from grader.sandbox.uids import Uid


class Kernel:
    def __init__(self, km, kc, spec):
        self.km, self.kc, self.spec = km, kc, spec

    def run(self, code, timeout=120):
        """stdout of `code`, or AssertionError with its error."""
        out, errors = [], []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=hook)
        assert reply["content"]["status"] == "ok", errors
        return "".join(out)

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def launcher_pid(self):
        return self.km.provisioner.process.pid


@contextlib.contextmanager
def sandboxed_kernel(assignment="04_nn_class", limits=None, kind=None):
    """Yield a Kernel in the sandbox that grading `assignment` would give it (root: a fresh uid)."""
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    kind, limits = kind or sandbox.mode()[0], limits or Limits()
    template = Template(assignment=assignment, config=b"", files={}, gradebook=b"", notebooks=(), digest="")
    with tempfile.TemporaryDirectory(prefix="course-sbx-") as work, \
            (Uid() if kind == "root" else contextlib.nullcontext()) as uid:
        work = Path(work)
        spec = kernel_spec(Task(template=template, student="probe", files={}, limits=limits), work / "kernel",
                           kind, uid)
        kernels = sandbox.install_kernelspec(work / "jupyter", spec)
        km = KernelManager(config=use_ipc(None, work / "kernel" / "sockets" / "kernel"),
                           connection_file=str(work / "kernel" / "connection.json"),
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels / "kernels")]))
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            yield Kernel(km, kc, spec)
        finally:
            kc.stop_channels()
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)

