"""The hub's spawner: JupyterHub's LocalProcessSpawner, with each user's tools chosen by their Unix group.

Every server runs as its user's own account (nbgrader takes the student's id from it). At each start the
spawner looks the user up in the instructors' group, so a re-run of `make hub` that adds or moves someone takes
effect at their next server start, without restarting the hub:

- students: JUPYTER_CONFIG_PATH=<root>/jupyter/learner (the assignment list and Validate; no formgrader,
  course list or Create Assignment), their home as the server's root, umask 077;
- instructors: JUPYTER_CONFIG_PATH=<root>/jupyter/instructor (the formgrader and Create Assignment too), the
  course directory as the server's root (the formgrader requires the course inside it), umask 002 so that
  fellow instructors can change what one makes in the shared course directory.

nbgrader's settings on the hub (etc/hub/<kind>/nbgrader_config.py) read the course id, the exchange and the
course directory from the COURSE_HUB_* variables set here.
"""
import grp
import os
import pwd

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Unicode

from grader.hub.settings import UMASK, user_environment


def in_group(username, group):
    try:
        entry = grp.getgrnam(group)
        account = pwd.getpwnam(username)
    except KeyError:
        return False
    return username in entry.gr_mem or account.pw_gid == entry.gr_gid


class CourseSpawner(LocalProcessSpawner):
    course_dir = Unicode(help="The course directory: the instructors' server root").tag(config=True)
    course_id = Unicode(help="nbgrader's course id").tag(config=True)
    exchange = Unicode(help="nbgrader's exchange root").tag(config=True)
    exchange_tag = Unicode(help="Names the students' nbgrader cache, new with each new exchange").tag(config=True)
    instructors_group = Unicode(help="The Unix group whose members get the instructor's tools").tag(config=True)
    config_root = Unicode(help="The folder holding each kind of user's Jupyter config folder").tag(config=True)

    @property
    def kind(self):
        return "instructor" if in_group(self.user.name, self.instructors_group) else "learner"

    async def start(self):
        kind = self.kind
        self.notebook_dir = self.course_dir if kind == "instructor" else ""
        self.log.info("Starting %s's server with the %s's tools", self.user.name, kind)
        return await super().start()

    def get_env(self):
        env = super().get_env()
        env.update(user_environment(self.kind, course_dir=self.course_dir, course_id=self.course_id,
                                    exchange=self.exchange, exchange_tag=self.exchange_tag,
                                    config_root=self.config_root))
        return env

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        mask = UMASK[self.kind]

        def preexec():
            become_user()
            os.umask(mask)

        return preexec
