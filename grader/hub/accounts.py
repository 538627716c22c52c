"""One Unix account per person on the roster, in the course's two groups; idempotent.

nbgrader takes a student's id from the operating system's user name, and JupyterHub's LocalProcessSpawner starts
each server as its user's account, so every student and instructor needs a real account. A new account gets a
private home (0700: Debian's useradd would make it world-readable), bash, and a generated initial password,
written at once to <root>/passwords.csv (root:<instructors> 0640). An account that exists already keeps its
home and its password: a re-run only adds it to its group (and takes it out of the other group if its role
changed). Nobody is ever removed; people in the groups but no longer on the roster are listed for the
instructor to decide.
"""
import csv
import grp
import os
import pwd
import secrets
import subprocess
import time
from dataclasses import dataclass, field

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read out and to type
PASSWORD_FIELDS = ("id", "name", "role", "initial_password", "created")


@dataclass
class Report:
    created: list = field(default_factory=list)
    adopted: list = field(default_factory=list)   # existing accounts added to the course
    moved: list = field(default_factory=list)     # role changed
    kept: list = field(default_factory=list)      # already in the course as they are
    not_on_roster: list = field(default_factory=list)

    def lines(self, settings):
        out = []
        if self.created:
            out.append(f"accounts created: {', '.join(self.created)} (initial passwords in {settings.passwords})")
        if self.adopted:
            out.append(f"existing accounts added to the course, their homes and passwords unchanged: "
                       f"{', '.join(self.adopted)}")
        if self.moved:
            out.append(f"role changed: {', '.join(self.moved)}")
        if self.kept:
            out.append(f"accounts already there, left as they are: {len(self.kept)}")
        if self.not_on_roster:
            out.append(f"in the course's groups but not on the roster (left as they are; "
                       f"`gpasswd -d ID GROUP` takes one out): {', '.join(self.not_on_roster)}")
        return out


def run(command, stdin=None):
    done = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed: {(done.stderr or done.stdout).strip()}")
    return done


def ensure_group(name):
    """The gid of group `name`, made if missing."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        run(["groupadd", name])
        return grp.getgrnam(name).gr_gid


def members_of(group):
    """Everyone in `group`: its listed members and the accounts whose primary group it is."""
    entry = grp.getgrnam(group)
    return set(entry.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == entry.gr_gid}


def make_password():
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def record_password(settings, member, password):
    """Append one row to the passwords file, readable by root and the instructors only."""
    path = settings.passwords
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", newline="") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(PASSWORD_FIELDS)
        writer.writerow([member.id, member.name, member.role, password, time.strftime("%Y-%m-%d %H:%M")])
    protect_passwords(settings)


def protect_passwords(settings):
    if settings.passwords.exists():
        os.chown(settings.passwords, 0, grp.getgrnam(settings.instructors_group).gr_gid)
        os.chmod(settings.passwords, 0o640)


def create(member, group):
    """A new account with a private home; its initial password."""
    gecos = member.name.replace(",", " ")
    run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", gecos, "--groups", group, member.id])
    home = pwd.getpwnam(member.id).pw_dir
    os.chmod(home, 0o700)
    password = make_password()
    run(["chpasswd"], stdin=f"{member.id}:{password}\n")
    return password


def sync(members, settings):
    """Make the accounts and group memberships match the roster, adding only; a Report of what was done."""
    groups = {"student": settings.students_group, "instructor": settings.instructors_group}
    for name in groups.values():
        ensure_group(name)
    report = Report()
    current = {role: members_of(group) for role, group in groups.items()}
    for member in members:
        group, other = groups[member.role], groups["instructor" if member.role == "student" else "student"]
        try:
            pwd.getpwnam(member.id)
        except KeyError:
            record_password(settings, member, create(member, group))
            report.created.append(member.id)
            continue
        in_course = member.id in current["student"] | current["instructor"]
        if member.id not in current[member.role]:
            run(["gpasswd", "--add", member.id, group])
        if member.id in current["instructor" if member.role == "student" else "student"]:
            run(["gpasswd", "--delete", member.id, other])
            report.moved.append(f"{member.id} is now {'an' if member.role == 'instructor' else 'a'} {member.role}")
        elif not in_course:
            report.adopted.append(member.id)
        else:
            report.kept.append(member.id)
    on_roster = {m.id for m in members}
    report.not_on_roster = sorted((current["student"] | current["instructor"]) - on_roster)
    protect_passwords(settings)
    return report
