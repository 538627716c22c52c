"""Where the class server keeps everything, and the names it uses: one Settings, saved as JSON for the hub.

The course directory (this repository) holds the instructor's files and is closed to students. Everything a
student's server must reach lives under the hub's root instead (/srv/nn-course unless --root says otherwise):

    <root>/venv/           the hub's Python: JupyterHub, JupyterLab, nbgrader, the course package (--venv)
    <root>/exchange/       nbgrader's exchange (--exchange)
    <root>/jupyter/        each kind of user's Jupyter config folder, put on JUPYTER_CONFIG_PATH by the spawner
    <root>/passwords.csv   the initial passwords of the accounts made from the roster (root and instructors)
    <root>/jupyterhub_config.local.py   the instructor's own hub settings (an authenticator...), never rewritten
    <root>/state/          root's only: the hub's database, cookie secret, pid files, these settings
"""
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

DEFAULT_ROOT = Path("/srv/nn-course")
SETTINGS_ENV = "COURSE_HUB_SETTINGS"  # the hub's config (etc/hub/jupyterhub_config.py) reads the file it names

UMASK = {"learner": 0o077, "instructor": 0o002}


def user_environment(kind, *, course_dir, course_id, exchange, exchange_tag, config_root):
    """What a `kind` user's server (and every terminal and kernel in it) gets on top of JupyterHub's environment."""
    env = {"JUPYTER_CONFIG_PATH": os.path.join(config_root, kind), "COURSE_HUB_COURSE_ID": course_id,
           "COURSE_HUB_EXCHANGE": exchange, "COURSE_HUB_EXCHANGE_TAG": exchange_tag}
    if kind == "instructor":
        env["COURSE_HUB_COURSE_DIR"] = course_dir
    return env


@dataclass
class Settings:
    course: Path                    # the course directory: this repository, the instructors' working folder
    course_id: str                  # nbgrader's course id, from the course's nbgrader_config.py
    root: Path = DEFAULT_ROOT
    venv: Path | None = None        # default: <root>/venv
    exchange: Path | None = None    # default: <root>/exchange
    ip: str = "127.0.0.1"
    port: int = 8000
    groups: str = "nn-course"       # the Unix groups <groups>-students and <groups>-instructors
    hub_port: int = 0               # the hub's own API, on loopback (0: a free port chosen at start)
    proxy_api_port: int = 0         # configurable-http-proxy's API, on loopback (likewise)
    exchange_tag: str = ""          # names the students' nbgrader cache: a new exchange starts new caches
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("course", "root", "venv", "exchange"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, Path(value).absolute())
        self.venv = self.venv or self.root / "venv"
        self.exchange = self.exchange or self.root / "exchange"

    @property
    def students_group(self):
        return f"{self.groups}-students"

    @property
    def instructors_group(self):
        return f"{self.groups}-instructors"

    @property
    def state(self):
        return self.root / "state"

    @property
    def jupyter(self):
        return self.root / "jupyter"

    @property
    def passwords(self):
        return self.root / "passwords.csv"

    @property
    def local_config(self):
        return self.root / "jupyterhub_config.local.py"

    @property
    def settings_file(self):
        return self.state / "settings.json"

    @property
    def pid_file(self):
        return self.state / "course-hub.pid"

    @property
    def proxy(self):
        """configurable-http-proxy, installed with npm into the project's .hub/."""
        return self.course / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def hub_config(self):
        return self.course / "etc" / "hub" / "jupyterhub_config.py"

    @property
    def url(self):
        return f"http://{self.ip}:{self.port}"

    def environment(self, kind):
        """What a `kind` user's server gets from the hub's spawner (grader/hub/spawner.py)."""
        return user_environment(kind, course_dir=str(self.course), course_id=self.course_id,
                                exchange=str(self.exchange), exchange_tag=self.exchange_tag,
                                config_root=str(self.jupyter))

    def save(self):
        data = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
        self.settings_file.write_text(json.dumps(data, indent=1) + "\n")
        return self.settings_file

    @classmethod
    def load(cls, path):
        data = json.loads(Path(path).read_text())
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
