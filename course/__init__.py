"""The learner's runtime: what the course's notebooks import.

`course.notebook` sets a notebook up, `course.checks` holds what the test cells
call, `course.datasets` and `course.worked_example` the data. Known-good
answers of earlier lessons are in `course.reference`, the explorers in
`course.widgets`. Grading lives apart, in the `grader` package, which nothing
here imports (`python -m course grade` hands over to it).
"""
