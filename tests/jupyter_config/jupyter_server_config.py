"""Loaded by the JupyterLab server the tests start (see nbgrader_config.py beside this file).

Only the transport is set: each kernel's sockets are then named after its own connection file."""
c = get_config()  # noqa: F821 (provided by traitlets)
c.KernelManager.transport = "ipc"
