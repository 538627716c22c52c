"""Student-made HTML and JavaScript, made safe before an instructor's browser shows the notebook.

nbconvert's SanitizeHTML (bleach) escapes unsafe tags in HTML and Markdown
outputs and drops every output type that could run code (JavaScript, widget
views, SVG). Markdown and raw cells the student could write are cleaned the
same way; locked cells come from the course's source and stay as they are.
"""
from nbconvert.preprocessors.sanitize import SanitizeHTML
from traitlets import Bool

from grader.cells import is_locked


class SanitizeOutputs(SanitizeHTML):
    enabled = Bool(True).tag(config=True)  # nbconvert's preprocessors start disabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" and is_locked(cell):
            return cell, resources
        return super().preprocess_cell(cell, resources, index)
