"""nbgrader settings of the learner's lab (`make lab`); the course's own nbgrader_config.py leaves these unset.

The Assignments list reads nbgrader's exchange. A self-learner has none, and the default one
(/usr/local/share/nbgrader/exchange) does not exist, so the list would say "Unwritable directory,
please contact your instructor" and the server would log a traceback. The lab uses the course's own
.exchange/ instead (made by `make lab`, ignored by git): empty, unless an instructor releases into it.
"""
import os

c = get_config()  # noqa: F821 (provided by traitlets)
c.Exchange.root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                                ".exchange"))
