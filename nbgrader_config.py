"""nbgrader configuration for the course (nbgrader 0.9.6)."""
import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from grader.preprocessors.redact import RedactHiddenTests
from grader.preprocessors.withhold import WithholdOutputsAfterHiddenTests

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "nn-from-scratch"
# An absolute root: '.' triggers a warning, and this keeps the course usable from any folder.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Student code gets this long per cell before the kernel is interrupted.
c.Execute.timeout = 60

# A deleted test cell comes back from the source and is run: it is not a free pass.
c.OverwriteCells.add_missing_cells = True

c.LimitOutput.max_lines = 300
c.LimitOutput.max_traceback = 60

# nbgrader scores a test cell 0 if anything reaches stderr, a harmless warning
# included. Our tests fail by raising, never by writing to stderr, so all stderr
# output is dropped before grading. (The first cell of every notebook also
# prints warnings to stdout, so that students still see them.)
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\s\S]"

# Feedback keeps each failure's message but not the hidden tests' code, nor any output that could carry it.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, WithholdOutputsAfterHiddenTests,
                                    RedactHiddenTests]
