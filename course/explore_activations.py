"""Deprecated: use `course.widgets.activations`.

Kept for notebooks fetched before December 2026; removed after the spring 2027 term.
"""
from course.widgets.activations import *  # noqa: F403 (the old module's names, unchanged)
