"""Known-good implementations of what the lessons build, for the lessons that come after them.

Each module solves the exercises of one lesson and says which in `LESSON`.
While the course's grader grades that lesson, the module is hidden from the
kernel (its file is replaced by a stub that refuses to import): a student
cannot copy the answers. Later lessons, the explorers and self-learners in
their own lab import them freely.
"""
