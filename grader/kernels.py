"""Kernels that talk over Unix sockets rather than TCP ports.

jupyter_client picks a TCP kernel's five ports by binding each to port 0 and
letting it go, and the kernel binds them a moment later. Another process that
starts a kernel or opens a connection in that moment can take one, and the
kernel then dies with "Address already in use". Unix sockets named after a
unique prefix cannot collide.

The grader's clients are bounded: see BoundedKernelClient.
"""
import os
import uuid

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.paths import jupyter_runtime_dir
from traitlets.config import Config

MAX_MESSAGE = 16 * 1024 * 1024


def use_ipc(config=None, prefix=None):
    """`config` (a new Config if None) with every KernelManager on Unix sockets named `prefix`-1, -2, ...

    The default prefix is unique to this call, in Jupyter's runtime folder. A Unix
    socket's path may be at most 107 bytes long, so keep `prefix` short.
    """
    config = Config() if config is None else config
    if prefix is None:
        folder = jupyter_runtime_dir()
        os.makedirs(folder, exist_ok=True)
        prefix = os.path.join(folder, f"ipc-{uuid.uuid4().hex[:12]}")
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(prefix)
    return config


class BoundedKernelClient(AsyncKernelClient):
    """A kernel client whose sockets refuse any message over MAX_MESSAGE bytes.

    A bigger message closes the connection instead of filling the grader's
    memory; the executor then scores the cell from the kernel's reply.
    """

    def _context_default(self):
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE)
        return context
