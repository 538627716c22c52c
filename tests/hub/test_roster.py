"""The class server's pieces that need no root: the roster's checks, the hub's requirements, its settings."""
import re
from pathlib import Path

import pytest

from grader.hub.roster import Member, RosterError, parse, read
from grader.hub.settings import Settings
from grader.hub.venv import requirements
from tests.support.environment import REPO


def no_system_accounts(name):
    return False


def problems(text):
    with pytest.raises(RosterError) as raised:
        parse(text, "roster.csv", no_system_accounts)
    return raised.value.problems


def test_a_roster_with_or_without_header_and_role():
    text = ("id,name,role\njsmith,Jane Smith,instructor\nada,Ada Lovelace\n\n# a comment\n"
            "alan,\"Turing, Alan\",student\n")
    assert parse(text, is_system_account=no_system_accounts) == [
        Member("jsmith", "Jane Smith", "instructor", 2), Member("ada", "Ada Lovelace", "student", 3),
        Member("alan", "Turing, Alan", "student", 6)]
    assert parse("t1,Tess,Instructor\ns1,Sam", is_system_account=no_system_accounts)[0].role == "instructor"


def test_every_problem_is_reported_with_its_line():
    found = problems("id,name,role\nteach,T,instructor\nAda,Ada\nbob smith,Bob\n1x,X\nada+1,A\nteach,Again\n"
                     "ok,\nfine,Fine,teacher\nonly-one-field\n" + "x" * 33 + ",Long\n")
    assert found == [
        "line 3: 'Ada' has capital letters: ids are lowercase (try 'ada')",
        "line 4: 'bob smith' has a space in it: an id is one word",
        "line 5: '1x' does not start with a letter a-z",
        "line 6: 'ada+1' contains '+': an id has only lowercase letters a-z, digits, '-' and '_'",
        "line 7: 'teach' is already on line 2",
        "line 8: the name is empty",
        "line 9: the role must be student or instructor, not 'teacher'",
        "line 10: expected `id,name` or `id,name,role`, found 1 field",
        f"line 11: '{'x' * 33}' is longer than 32 characters",
    ]


def test_a_roster_needs_an_instructor_and_no_system_account():
    assert problems("ada,Ada\n") == ["the roster names no instructor: give at least one line the role instructor, "
                                     "e.g. `jsmith,Jane Smith,instructor`"]
    assert problems("") == ["the roster names nobody: one line per person, `id,name[,role]`"]
    assert problems("Bob Smith,Bob\n") == ["line 1: 'Bob Smith' has a space in it: an id is one word",
                                           "the roster names no instructor: give at least one line the role "
                                           "instructor, e.g. `jsmith,Jane Smith,instructor`"]
    with pytest.raises(RosterError) as raised:
        parse("root,Root,instructor\n", "roster.csv")
    assert raised.value.problems == ["line 1: 'root' is a system account's name: choose another id"]


def test_the_message_says_that_nothing_changed(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"t,T,instructor\n\xff\xfe,bad\n")
    with pytest.raises(RosterError) as raised:
        read(path)
    assert str(raised.value) == (f"{path}: 1 problem; nothing was changed.\n"
                                 "  line 2: not UTF-8 text (save the roster as CSV UTF-8)")
    with pytest.raises(RosterError, match="there is no such file"):
        read(tmp_path / "missing.csv")
    example = read(REPO / "etc" / "hub" / "roster.example.csv", no_system_accounts)
    assert {m.role for m in example} == {"student", "instructor"}


def test_the_hub_venv_takes_requirements_txt_with_the_hubs_pins_first():
    lines = requirements(REPO).splitlines()
    names = [re.match(r"[A-Za-z0-9._-]+", line).group(0).lower().replace("_", "-") for line in lines]
    assert len(names) == len(set(names)), "a package pinned twice"
    pins = dict(line.split("==") for line in lines)
    assert pins["soupsieve"] == "2.8.3", "soupsieve 3 needs Python 3.11.5, Debian 12 has 3.11.2"
    assert pins["nbgrader"] == "0.9.6" and pins["jupyterhub"].startswith("6.")
    course = [line for line in (REPO / "requirements.txt").read_text().splitlines() if "==" in line]
    assert len([n for n in names if n != "jupyterhub"]) >= len(course)


def test_settings_round_trip_and_keep_the_course_closed(tmp_path):
    settings = Settings(course=tmp_path / "course", course_id="c", root=tmp_path / "hub", groups="g")
    assert (settings.venv, settings.exchange) == (tmp_path / "hub" / "venv", tmp_path / "hub" / "exchange")
    assert (settings.students_group, settings.instructors_group) == ("g-students", "g-instructors")
    settings.state.mkdir(parents=True)
    settings.hub_port = 1234
    assert Settings.load(settings.save()) == settings
    learner, instructor = settings.environment("learner"), settings.environment("instructor")
    assert "COURSE_HUB_COURSE_DIR" not in learner, "a student's server is never told where the course is"
    assert instructor["COURSE_HUB_COURSE_DIR"] == str(tmp_path / "course")
    assert learner["JUPYTER_CONFIG_PATH"] == str(tmp_path / "hub" / "jupyter" / "learner")


def test_each_kind_of_user_gets_the_courses_own_switches():
    for kind in ("learner", "instructor"):
        for name in ("labconfig/page_config.json", "jupyter_server_config.d/nbgrader.json"):
            assert Path(REPO, "etc", "jupyter", kind, name).is_file()
        assert Path(REPO, "etc", "hub", kind, "nbgrader_config.py").is_file()
