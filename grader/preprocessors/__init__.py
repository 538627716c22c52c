"""nbgrader preprocessors of the course: a robust executor and the redaction of hidden tests in feedback."""
