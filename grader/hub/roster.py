"""The class roster: a CSV file of `id,name[,role]`, one line a person, read and checked before anything changes.

    id,name,role
    jsmith,Jane Smith,instructor
    ada,Ada Lovelace
    alan,Alan Turing,student

The header line is optional, and so is the role (student when left out). An id becomes a Unix account and
nbgrader's student id, so it must be a valid login name: lowercase letters, digits, `-` and `_`, starting with a
letter, at most 32 characters (nbgrader itself forbids `+` and `*`, which this excludes too). Every problem is
reported at once, with its line, and nothing at all is changed while there is one.
"""
import csv
import io
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

ROLES = ("student", "instructor")
MAX_ID = 32  # useradd's limit on a login name
ID = re.compile(r"[a-z][a-z0-9_-]*\Z")
HEADER_IDS = {"id", "student id", "student_id", "username", "user", "login"}
FIRST_SYSTEM_UID = 1000  # Debian: uids below this belong to the system (login.defs UID_MIN)
NOBODY = 65534
RESERVED = {"root", "admin", "nobody", "jupyterhub", "hub", "proxy", "instructor", "student"}


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str
    line: int

    @property
    def first_last(self):
        """(first name, last name) for the gradebook: the last word is the last name."""
        first, _, last = self.name.rpartition(" ")
        return (first, last) if first else ("", last)


class RosterError(Exception):
    """A roster that cannot be used: every problem, each with its line."""

    def __init__(self, source, problems):
        super().__init__(source, problems)
        self.source, self.problems = source, problems

    def __str__(self):
        count = len(self.problems)
        head = f"{self.source}: {count} problem{'s' if count > 1 else ''}; nothing was changed."
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])


def system_account(name):
    """True if `name` is an account of the system itself (root, daemons, nobody), never a course's."""
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return False
    return uid < FIRST_SYSTEM_UID or uid == NOBODY


def id_problem(member_id):
    """Why `member_id` cannot be an account, or None."""
    if not member_id:
        return "the id is empty"
    if len(member_id) > MAX_ID:
        return f"{member_id!r} is longer than {MAX_ID} characters"
    if any(ch.isspace() for ch in member_id):
        return f"{member_id!r} has a space in it: an id is one word"
    if any(ch.isupper() for ch in member_id):
        hint = f" (try {member_id.lower()!r})" if ID.match(member_id.lower()) else ""
        return f"{member_id!r} has capital letters: ids are lowercase{hint}"
    if not ("a" <= member_id[0] <= "z"):
        return f"{member_id!r} does not start with a letter a-z"
    bad = sorted({ch for ch in member_id if not re.match(r"[a-z0-9_-]", ch)})
    if bad:
        return (f"{member_id!r} contains {', '.join(map(repr, bad))}: an id has only lowercase letters a-z, "
                "digits, '-' and '_'")
    return None


def name_problem(name):
    if not name:
        return "the name is empty"
    if any(ch in name for ch in ":\n\r\t") or any(ord(ch) < 32 for ch in name):
        return f"the name {name!r} contains ':' or a control character"
    if len(name) > 100:
        return "the name is longer than 100 characters"
    return None


def parse(text, source="the roster", is_system_account=system_account):
    """The Members of a roster's text; RosterError lists every problem."""
    members, problems, first_line, rows_seen, instructor_seen = [], [], {}, 0, False
    rows = list(csv.reader(io.StringIO(text)))
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not members and not problems and cells[0].lower() in HEADER_IDS:
            continue  # the header line
        if len(cells) not in (2, 3):
            problems.append(f"line {number}: expected `id,name` or `id,name,role`, found {len(cells)} "
                            f"field{'s' if len(cells) != 1 else ''}")
            continue
        member_id, name = cells[0], cells[1]
        role = (cells[2] if len(cells) == 3 else "").lower() or "student"
        rows_seen += 1
        instructor_seen |= role == "instructor"
        found = [p for p in (id_problem(member_id), name_problem(name)) if p]
        if role not in ROLES:
            found.append(f"the role must be student or instructor, not {cells[2]!r}")
        if not found and (member_id in RESERVED or is_system_account(member_id)):
            found.append(f"{member_id!r} is a system account's name: choose another id")
        if not found and member_id in first_line:
            found.append(f"{member_id!r} is already on line {first_line[member_id]}")
        if found:
            problems += [f"line {number}: {p}" for p in found]
            continue
        first_line[member_id] = number
        members.append(Member(member_id, name, role, number))
    if not rows_seen and not problems:
        problems.append("the roster names nobody: one line per person, `id,name[,role]`")
    elif rows_seen and not instructor_seen:  # even on a line with another problem, the role is meant
        problems.append("the roster names no instructor: give at least one line the role instructor, "
                        "e.g. `jsmith,Jane Smith,instructor`")
    if problems:
        raise RosterError(source, problems)
    return members


def read(path, is_system_account=system_account):
    """The Members of the roster file at `path` (UTF-8, with or without a byte-order mark)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(path, ["there is no such file: write one line per person, `id,name[,role]` "
                                 "(etc/hub/roster.example.csv is an example)"]) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        raise RosterError(path, [f"line {line}: not UTF-8 text (save the roster as CSV UTF-8)"]) from None
    except OSError as error:
        raise RosterError(path, [f"cannot be read: {error.strerror}"]) from None
    return parse(text, str(path), is_system_account)
