"""The class server (`make hub`, grader/apps/hub.py): the course on JupyterHub with nbgrader's exchange.

roster.py      the roster (id,name[,role]), checked whole before anything changes
accounts.py    one Unix account per person, in the course's students' or instructors' group
venv.py        the hub's own venv from Debian's Python, and configurable-http-proxy from npm
folders.py     the exchange, each kind of user's Jupyter config, the course directory's permissions
settings.py    where everything is, saved for the hub's config (etc/hub/jupyterhub_config.py)
spawner.py     LocalProcessSpawner with each user's tools chosen by their group (imported by the hub only)
serve.py       JupyterHub run until stopped, then every process it started ended
See docs/hub.md.
"""
