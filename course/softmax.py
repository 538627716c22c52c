"""Deprecated: use `course.reference.classification`.

Kept for notebooks fetched before December 2026; removed after the spring 2027 term.
"""
from course.reference.classification import *  # noqa: F403 (the old module's names, unchanged)
