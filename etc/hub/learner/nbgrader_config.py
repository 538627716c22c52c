"""nbgrader settings of a student's server on the class server (`make hub`).

The hub's spawner (grader/hub/spawner.py) sets the COURSE_HUB_* variables. The cache of one's own submissions,
which nbgrader keeps in the home folder and which the assignment list and Fetch Feedback read, is named after
the exchange: an exchange made afresh (a new term, a reset) starts every student with an empty one, instead of
listing submissions that the new exchange never received.
"""
import os

from jupyter_core.paths import jupyter_data_dir

c = get_config()  # noqa: F821 (provided by traitlets)
if os.environ.get("COURSE_HUB_EXCHANGE"):
    c.CourseDirectory.course_id = os.environ["COURSE_HUB_COURSE_ID"]
    c.Exchange.root = os.environ["COURSE_HUB_EXCHANGE"]
    c.Exchange.cache = os.path.join(jupyter_data_dir(), "nbgrader_cache", os.environ.get("COURSE_HUB_EXCHANGE_TAG", ""))
