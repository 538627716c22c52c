"""The hub's own Python and its proxy: a venv every user can run, and configurable-http-proxy from npm.

Every student's server, kernel and terminal runs this venv's Python as that student, so it is built from
Debian's /usr/bin/python3 (a Python under root's home, such as pyenv's, is out of other users' reach) in a folder
every user can traverse. It holds requirements.txt, with the pins of etc/hub/requirements.txt taking precedence
(JupyterHub, and the few packages whose newest releases need a newer Python than Debian's), and the course package,
installed as a copy (not editable: students cannot read the course directory). Each step runs only when what it
installs from changed. configurable-http-proxy is installed with `npm ci` into the project's .hub/ from
etc/hub/package-lock.json; Node and npm come from Debian.
"""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

SYSTEM_PYTHON = Path("/usr/bin/python3")
HUB_REQUIREMENTS = Path("etc", "hub", "requirements.txt")
NPM_FILES = ("package.json", "package-lock.json")
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE")
PACKAGES = ("course", "grader")
STAMP_REQUIREMENTS = ".course-hub-requirements"
STAMP_PACKAGE = ".course-hub-package"
STAMP_NPM = ".course-hub-npm"


def _name(line):
    """The normalised project name a requirement line pins, or None for comments and options."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    if not match or line.lstrip().startswith(("#", "-")):
        return None
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def requirements(course):
    """requirements.txt with etc/hub/requirements.txt's pins replacing its own, then the hub's additions."""
    ours = Path(course, HUB_REQUIREMENTS).read_text().splitlines()
    pinned = {_name(line): line.split("#")[0].strip() for line in ours if _name(line)}
    lines, seen = [], set()
    for line in Path(course, "requirements.txt").read_text().splitlines():
        name = _name(line)
        if name is None:
            continue
        seen.add(name)
        lines.append(pinned.get(name, line.split("#")[0].strip()))
    lines += [spec for name, spec in pinned.items() if name not in seen]
    return "\n".join(lines) + "\n"


def digest(*chunks):
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk if isinstance(chunk, bytes) else str(chunk).encode())
        h.update(b"\0")
    return h.hexdigest()


def package_digest(course):
    files = [Path(course, name) for name in PACKAGE_FILES]
    for package in PACKAGES:
        files += sorted(p for p in Path(course, package).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(*(x for p in files for x in (p.relative_to(course).as_posix(), p.read_bytes())))


def _stamped(path, value):
    try:
        return path.read_text().strip() == value
    except OSError:
        return False


def _run(command, what, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
        raise SystemExit(f"{what} failed ({' '.join(map(str, command[:4]))} ...):\n{tail}")
    return done


def _pip_environment():
    return {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PYTHONNOUSERSITE": "1"}


def ensure_venv(course, venv, python=SYSTEM_PYTHON, say=print):
    """Build or refresh the hub's venv; True if anything was installed."""
    venv, python = Path(venv), Path(python)
    changed = False
    if not (venv / "bin" / "python").exists():
        if not python.exists():
            raise SystemExit(f"{python} is missing: apt-get install -y python3 python3-venv")
        say(f"making the hub's venv at {venv} from {python} (once; a few minutes)")
        made = subprocess.run([str(python), "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            raise SystemExit(f"{python} -m venv failed: apt-get install -y python3-venv\n{made.stderr.strip()}")
        changed = True
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    wanted = requirements(course)
    stamp = venv / STAMP_REQUIREMENTS
    if not _stamped(stamp, digest(wanted)):
        say("installing the hub's packages (JupyterHub, JupyterLab, nbgrader, the course's runtime)")
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(wanted)
        try:
            _run([*pip, "-r", f.name], "installing the hub's packages", env=_pip_environment())
        finally:
            os.unlink(f.name)
        _run([str(venv / "bin" / "python"), "-m", "pip", "check"], "pip check in the hub's venv")
        (venv / "requirements.lock").write_text(wanted)
        stamp.write_text(digest(wanted) + "\n")
        changed = True
    stamp = venv / STAMP_PACKAGE
    wanted_package = package_digest(course)
    if not _stamped(stamp, wanted_package):
        say("installing the course package into the hub's venv")
        with tempfile.TemporaryDirectory() as scratch:  # a copy: pip would leave build/ in the course directory
            for name in PACKAGE_FILES:
                shutil.copy2(Path(course, name), Path(scratch, name))
            for package in PACKAGES:
                shutil.copytree(Path(course, package), Path(scratch, package),
                                ignore=shutil.ignore_patterns("__pycache__"))
            _run([*pip, "--no-deps", "--no-build-isolation", "--force-reinstall", scratch],
                 "installing the course package", env=_pip_environment())
        stamp.write_text(wanted_package + "\n")
        changed = True
    settings = venv / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(course, "etc", "overrides.json"), settings / "overrides.json")
    return changed


def ensure_proxy(course, say=print):
    """configurable-http-proxy in <course>/.hub/node_modules, from etc/hub/package-lock.json; its path."""
    for program in ("node", "npm"):
        if not shutil.which(program):
            raise SystemExit(f"{program} is missing: apt-get install -y nodejs npm")
    target = Path(course, ".hub")
    target.mkdir(exist_ok=True)
    sources = [Path(course, "etc", "hub", name) for name in NPM_FILES]
    wanted = digest(*(p.read_bytes() for p in sources))
    proxy = target / "node_modules" / ".bin" / "configurable-http-proxy"
    if not (proxy.exists() and _stamped(target / STAMP_NPM, wanted)):
        say("installing configurable-http-proxy into .hub/ with npm")
        for source in sources:
            shutil.copy(source, target / source.name)
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci (configurable-http-proxy)",
             cwd=target)
        (target / STAMP_NPM).write_text(wanted + "\n")
    return proxy
