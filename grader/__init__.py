"""The course's grader: isolated, parallel, tamper-aware grading with nbgrader.

Everything that touches nbgrader, the gradebook, the sandbox or Dask lives
here, apart from the learner's runtime (`course`), which never imports it.
`python -m course grade|check|record|lab|start-page` dispatches to `grader.cli`.
"""
