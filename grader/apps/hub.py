"""`python -m course hub` (`make hub`): set up the class server for a roster, then run it until stopped.

Each run, as root, in this order (a step whose inputs did not change does nothing):
1. read and check the roster: any problem, and it stops with every problem and its line, having changed nothing;
2. with whatever Python started it (`make hub` uses Debian's, with nothing installed): Node and npm from Debian if
   missing, configurable-http-proxy into .hub/, the hub's venv (grader/hub/venv.py); then the same process goes
   on in the hub's venv;
3. check that every user can reach the hub's exchange and config, and the instructors the course directory;
4. an account per person (grader/hub/accounts.py), initial passwords into <root>/passwords.csv;
5. the exchange, each kind of user's Jupyter config, the course directory for the instructors' group, the
   roster's students in the gradebook (grader/hub/folders.py);
6. JupyterHub (etc/hub/jupyterhub_config.py), its address printed last; Ctrl-C stops it and everything it
   started (grader/hub/serve.py).
See docs/hub.md.
"""
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

from grader.hub.settings import DEFAULT_ROOT, Settings

DEBIAN = {"node": "nodejs", "npm": "npm"}


def add_arguments(parser):
    parser.add_argument("--roster", default="roster.csv",
                        help="the class: a CSV of id,name[,role] (default: roster.csv in the course folder)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help=f"where the hub keeps its venv, exchange and state (default {DEFAULT_ROOT})")
    parser.add_argument("--venv", type=Path, help="the hub's venv (default: ROOT/venv)")
    parser.add_argument("--exchange", type=Path, help="nbgrader's exchange (default: ROOT/exchange)")
    parser.add_argument("--ip", default="127.0.0.1",
                        help="the address to serve on (default 127.0.0.1; put a TLS reverse proxy in front)")
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    parser.add_argument("--groups", default="nn-course",
                        help="the Unix groups are GROUPS-students and GROUPS-instructors (default nn-course)")
    parser.add_argument("--setup-only", action="store_true", help="set everything up, but do not start the hub")
    parser.add_argument("--check-roster", action="store_true", help="only check the roster (needs no root)")


def ensure_debian_packages(say):
    missing = sorted({package for program, package in DEBIAN.items() if not shutil.which(program)})
    if not missing:
        return
    say(f"installing {' '.join(missing)} from Debian (configurable-http-proxy runs on Node)")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"`{' '.join(command)}` failed: {done.stderr.strip()[-2000:]}")


def banner(settings, members):
    instructors = [m.id for m in members if m.role == "instructor"]
    students = sum(m.role == "student" for m in members)
    rows = [("Address", f"{settings.url}/"),
            ("Accounts", f"{students} student(s), {len(instructors)} instructor(s) from the roster "
                         f"(groups {settings.students_group}, {settings.instructors_group})"),
            ("Passwords", f"{settings.passwords} (initial ones; root and the instructors can read it)"),
            ("Formgrader", f"{settings.url}/user/{instructors[0]}/formgrader (in a browser tab of its own)"),
            ("Course", f"{settings.course} (instructors' server root; closed to students)"),
            ("Exchange", f"{settings.exchange} (course {settings.course_id})")]
    width = max(len(label) for label, _ in rows) + 2
    lines = ["", "  The class server is up: JupyterHub with nbgrader's exchange.", ""]
    lines += [f"  {label + ':':{width}} {value}" for label, value in rows]
    if settings.ip not in ("127.0.0.1", "localhost", "::1"):
        lines += ["", f"  It listens on {settings.ip}: serve it to students only through a TLS reverse proxy "
                      "(docs/hub.md)."]
    lines += ["", f"  Stop it with Ctrl-C, or `kill $(cat {settings.pid_file})`: every process it started stops.", ""]
    return "\n".join(lines)


def check_places(settings):
    from grader.hub.folders import unreachable
    problems = [unreachable(settings.course, "the instructors"),
                unreachable(settings.venv / "bin" / "python"),
                unreachable(settings.exchange / settings.course_id),
                unreachable(settings.jupyter / "learner")]
    return [p for p in problems if p]


def bootstrap(*, course, roster, root, venv, exchange, ip, port, groups, setup_only):
    """The first half, with whatever Python started it (Debian's own needs nothing installed): the hub's venv
    and proxy; then the rest runs in the hub's venv, in this same process (same pid)."""
    from grader.hub import venv as venvs
    from grader.hub.folders import unreachable
    problem = unreachable(venv / "bin" / "python")
    if problem:
        print(problem, file=sys.stderr)
        return 1
    ensure_debian_packages(print)
    venvs.ensure_proxy(course, say=print)
    venvs.ensure_venv(course, venv, say=print)
    python = str(venv / "bin" / "python")
    argv = [python, "-m", "course", "--course", str(course), "hub", "--roster", str(roster), "--root", str(root),
            "--venv", str(venv), "--ip", ip, "--port", str(port), "--groups", groups]
    argv += ["--exchange", str(exchange)] if exchange else []
    argv += ["--setup-only"] if setup_only else []
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(course)  # `python -m course` takes the course package and the grader from the course folder
    os.execv(python, argv)


def main(*, course, roster, root, venv=None, exchange=None, ip="127.0.0.1", port=8000, groups="nn-course",
         setup_only=False, check_roster=False):
    from grader.hub import roster as rosters
    say = print
    roster_path = Path(course, roster) if not Path(roster).is_absolute() else Path(roster)
    try:
        members = rosters.read(roster_path)
    except rosters.RosterError as error:
        print(error, file=sys.stderr)
        return 2
    if check_roster:
        say(f"{roster_path}: {sum(m.role == 'student' for m in members)} student(s), "
            f"{sum(m.role == 'instructor' for m in members)} instructor(s); no problems")
        return 0
    if os.geteuid() != 0:
        print("The class server needs root: it makes the accounts, checks passwords with PAM and starts each "
              "user's server as that user. Run it as root, e.g. `sudo make hub ROSTER=roster.csv`.", file=sys.stderr)
        return 1
    os.umask(0o022)
    course, root = Path(course).resolve(), Path(root).absolute()
    exchange = Path(exchange).absolute() if exchange else None
    venv = Path(venv or root / "venv").absolute()
    if Path(sys.prefix).resolve() != venv.resolve():
        return bootstrap(course=course, roster=roster_path, root=root, venv=venv, exchange=exchange, ip=ip,
                         port=port, groups=groups, setup_only=setup_only)

    from grader.config import course_settings
    from grader.hub import accounts, folders, serve
    course_id, _ = course_settings(course)
    settings = Settings(course=course, course_id=course_id, root=root, venv=venv, exchange=exchange, ip=ip,
                        port=port, groups=groups)
    settings.root = settings.root.resolve() if settings.root.exists() else settings.root
    saved = Settings.load(settings.settings_file) if settings.settings_file.exists() else None
    settings.exchange_tag = saved.exchange_tag if saved else ""
    problems = check_places(settings)
    running = serve.running(settings.pid_file)
    if running is not None and not setup_only:
        problems.append(f"a class server is already running from {settings.root} (pid {running}): stop it first, "
                        "or add people to it while it runs with `make hub HUB_ARGS=--setup-only`")
    elif running is None and not serve.port_is_free(ip, port):
        problems.append(f"the port {port} on {ip} is in use: choose another with --port "
                        f"(make hub HUB_ARGS=--port={port + 1})")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    folders.make_root(settings)
    report = accounts.sync(members, settings)
    for line in report.lines(settings):
        say(line)
    instructors_gid = accounts.ensure_group(settings.instructors_group)
    owner = pwd.getpwnam(next(m.id for m in members if m.role == "instructor")).pw_uid
    if folders.ensure_exchange(settings, owner, instructors_gid):
        say(f"made the exchange at {settings.exchange}")
    folders.install_jupyter_config(settings)
    folders.register_students(course, members)
    folders.share_course(course, instructors_gid)
    if running is not None:  # the running hub keeps its addresses; new accounts can log in at once
        settings.ip, settings.port = saved.ip, saved.port
        settings.hub_port, settings.proxy_api_port = saved.hub_port, saved.proxy_api_port
        settings.save()
        say(f"set up; the class server running from {settings.root} (pid {running}) serves the new accounts now")
        return 0
    settings.hub_port, settings.proxy_api_port = serve.free_ports(2)
    settings.save()
    if setup_only:
        say(f"set up; start it with `make hub` (settings in {settings.settings_file})")
        return 0
    return serve.serve(settings, banner(settings, members))
