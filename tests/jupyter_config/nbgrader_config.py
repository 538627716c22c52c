"""Loaded by every nbgrader command the tests run (conftest puts this folder on JUPYTER_CONFIG_PATH),
before the course's own config: their kernels use Unix sockets, so parallel jobs cannot take each other's ports."""
from grader.kernels import use_ipc

use_ipc(get_config())  # noqa: F821 (provided by traitlets)
