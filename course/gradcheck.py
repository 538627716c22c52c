"""Deprecated: use `course.reference.gradcheck`.

Kept for notebooks fetched before December 2026; removed after the spring 2027 term.
"""
from course.reference.gradcheck import *  # noqa: F403 (the old module's names, unchanged)
