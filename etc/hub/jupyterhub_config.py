"""JupyterHub's configuration for the class server, as `make hub` (`python -m course hub`) starts it.

Where things are and which ports to use come from the settings file that `python -m course hub` writes
(<root>/state/settings.json, named by COURSE_HUB_SETTINGS; grader/hub/settings.py). Change the hub in
<root>/jupyterhub_config.local.py, loaded last and never rewritten: another authenticator (docs/hub.md shows
OAuth and LTI), admin users, limits. Keep this file as it is.
"""
import os
from pathlib import Path

from grader.hub.settings import SETTINGS_ENV, Settings

c = get_config()  # noqa: F821 (provided by traitlets)
s = Settings.load(os.environ[SETTINGS_ENV])

# The public address: loopback unless --ip says otherwise. Behind a TLS reverse proxy (nginx, caddy), never
# plain HTTP on a public address (docs/hub.md).
c.JupyterHub.bind_url = f"http://{s.ip}:{s.port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{s.hub_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(s.proxy)]
c.ConfigurableHTTPProxy.pid_file = str(s.state / "proxy.pid")
c.JupyterHub.pid_file = str(s.state / "jupyterhub.pid")
c.JupyterHub.db_url = f"sqlite:///{s.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(s.state / "jupyterhub_cookie_secret")
# Stopping the hub stops the proxy and every user's server (grader/hub/serve.py then ends whatever is left).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# Logins: the Unix accounts made from the roster, with their passwords (PAM). Only the course's two groups.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {s.students_group, s.instructors_group}

# Each user's server runs as their own account, with the tools of their group (grader/hub/spawner.py).
c.JupyterHub.spawner_class = "grader.hub.spawner.CourseSpawner"
c.Spawner.cmd = [str(s.venv / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.args = ["--ServerApp.log_level=WARN", "--LabApp.log_level=WARN"]  # the hub's log stays readable
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.CourseSpawner.course_dir = str(s.course)
c.CourseSpawner.course_id = s.course_id
c.CourseSpawner.exchange = str(s.exchange)
c.CourseSpawner.exchange_tag = s.exchange_tag
c.CourseSpawner.instructors_group = s.instructors_group
c.CourseSpawner.config_root = str(s.jupyter)

if Path(s.local_config).exists():
    load_subconfig(str(s.local_config))  # noqa: F821
