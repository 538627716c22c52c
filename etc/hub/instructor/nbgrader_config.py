"""nbgrader settings of an instructor's server on the class server (`make hub`).

The spawner (grader/hub/spawner.py) sets the COURSE_HUB_* variables and starts the server in the course
directory. The course's own nbgrader_config.py is loaded first, wherever a command runs (the formgrader runs
in the server, whose working folder is the instructor's home), so that its feedback never shows the hidden
tests; then the hub's exchange. The instructors share the course: nbgrader's groupshared mode keeps what they
release and collect writable by the instructors' group.
"""
import os

c = get_config()  # noqa: F821 (provided by traitlets)
if os.environ.get("COURSE_HUB_COURSE_DIR"):
    load_subconfig(os.path.join(os.environ["COURSE_HUB_COURSE_DIR"], "nbgrader_config.py"))  # noqa: F821
    c.CourseDirectory.root = os.environ["COURSE_HUB_COURSE_DIR"]
if os.environ.get("COURSE_HUB_EXCHANGE"):
    c.CourseDirectory.course_id = os.environ["COURSE_HUB_COURSE_ID"]
    c.Exchange.root = os.environ["COURSE_HUB_EXCHANGE"]
    c.CourseDirectory.groupshared = True
