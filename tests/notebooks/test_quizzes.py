"""The knowledge checks test understanding: no option gives itself away by its length or its wording.

Each notebook's knowledge check is a markdown cell (from the heading "### Your turn · Knowledge check")
with questions **q1.** ... whose options are "- a) ..." to "- d) ...", a solution cell `quiz_<lesson>`
(`q1 = "b"`, ...) and one graded cell `test_quiz_<lesson>_qN` per question, whose hidden test holds the key
as `check_choice("qN", qN, "abcd", answer="b")`.

The source directory is `source/` of the repository; QUIZ_SOURCE names another copy.
"""
import json
import math
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.support.environment import REPO

SOURCE = Path(os.environ.get("QUIZ_SOURCE", REPO / "source"))
NOTEBOOKS = sorted(SOURCE.glob("*/*.ipynb"))
IDS = [p.parent.name for p in NOTEBOOKS]
LETTERS = "abcd"

HEADING = "### Your turn · Knowledge check"
STRATEGY_SHARE = 0.34   # "always pick the longest (or shortest) option" earns at most this share of the points
LENGTH_RATIO = 1.5      # within a question, the longest option is at most this many times the shortest
SHORT = 12              # options shorter than this (a number, a shape) count as this long for the ratio
COPIED_WORDS = 8        # no option repeats this many consecutive words of the lesson's prose

QUESTION = re.compile(r"^\*\*q(\d+)\.\*\*\s*(.*)$")
OPTION = re.compile(r"^- ([a-d])\) (.+)$")
KEY = re.compile(r'check_choice\("(q\d+)", q\d+, "abcd", answer="([a-d])"\)')
SOLUTION = re.compile(r'^(q\d+) = "([a-d])"$', re.M)
POINTER = re.compile(r"\((?:notebook (\d+), )?sections? ([\d.]+)(?: and ([\d.]+))?\)\s*$")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def split_check(path):
    """(the knowledge check's markdown, from its heading to the end of its cell; the lesson's other markdown texts)."""
    check, prose = None, []
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell)
        at = text.find(HEADING)
        if at >= 0 and (at == 0 or text[at - 1] == "\n"):
            assert check is None, f"{path.name} has two knowledge checks"
            check = text[at:]
            prose.append(text[:at])
        else:
            prose.append(text)
    assert check is not None, f"{path.name} has no knowledge check"
    return check, prose


def questions(path):
    """[(number, question text, {letter: option})] of the lesson's knowledge check."""
    check, _ = split_check(path)
    found, current = [], None
    for line in check.split("\n"):
        if m := QUESTION.match(line):
            current = (int(m.group(1)), m.group(2), {})
            found.append(current)
        elif (m := OPTION.match(line)) and current is not None:
            assert m.group(1) not in current[2], f"{path.name} q{current[0]} repeats option {m.group(1)}"
            current[2][m.group(1)] = m.group(2).strip()
        elif line.startswith("<details>"):
            current = None
    return found


def keys(path):
    """{"q1": "b", ...}: the hidden keys of the test_quiz_ cells."""
    found = {}
    for cell in _cells(path):
        if _meta(cell).get("grade") and _meta(cell).get("grade_id", "").startswith("test_quiz_"):
            hits = KEY.findall(_source(cell))
            assert len(hits) == 1, f"{_meta(cell)['grade_id']} holds {len(hits)} hidden keys"
            found[hits[0][0]] = hits[0][1]
    return found


def solution(path):
    cells = [c for c in _cells(path) if _meta(c).get("solution") and _meta(c).get("grade_id", "").startswith("quiz_")]
    assert len(cells) == 1, f"{path.name} has {len(cells)} quiz answer cells"
    return dict(SOLUTION.findall(_source(cells[0])))


def points(path):
    return {KEY.search(_source(c)).group(1): _meta(c)["points"] for c in _cells(path)
            if _meta(c).get("grade") and _meta(c).get("grade_id", "").startswith("test_quiz_")}


# LaTeX commands that only format what follows them: they show no character of their own.
_FORMATTING = (r"\\(?:mathbf|mathrm|operatorname|text|textstyle|displaystyle|[bB]igg?[lr]?|left|right|[td]?frac)"
               r"(?![a-zA-Z])")


def visible_length(option):
    """About how many characters the rendered option shows: markup, braces and spacing commands do not count."""
    s = re.sub(r"\\(?:begin|end)\{[^}]*\}", "", option)
    s = re.sub(_FORMATTING, "", s)
    s = re.sub(r"\\[a-zA-Z]+", "#", s)          # a symbol: \delta, \approx, \odot
    s = re.sub(r"\\[,;:! ]", "", s)
    s = re.sub(r"\\\\|&", " ", s)
    s = re.sub(r"[${}`*^_]", "", s)
    return len(re.sub(r"\s+", " ", s).strip())


def words(text):
    """The words of a text, lower case, markdown left out; a formula ($...$, $$...$$) or code (`...`) is one word."""
    found = []
    for token in re.findall(r"```.*?```|\$\$.+?\$\$|\$[^$]+\$|`[^`]+`|[A-Za-z0-9]+", text, re.S):
        if token[0] in "$`":
            token = token[0] + re.sub(_FORMATTING, "", re.sub(r"\s+", "", token.strip("$`")))
        found.append(token.lower())
    return found


def strategy_score(paths, pick=max):
    """(points earned, points in all) by answering every question with its longest option (pick=max), or its
    shortest (pick=min); a tie shares the point between the options it holds, as a random choice among them would."""
    earned = total = 0.0
    for path in paths:
        key, worth = keys(path), points(path)
        for number, _, options in questions(path):
            q = f"q{number}"
            lengths = {letter: visible_length(text) for letter, text in options.items()}
            picked = [letter for letter, n in lengths.items() if n == pick(lengths.values())]
            earned += worth[q] * (key[q] in picked) / len(picked)
            total += worth[q]
    return earned, total


def test_there_are_knowledge_checks():
    assert len(NOTEBOOKS) >= 7, f"no notebooks in {SOURCE}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_question_is_parsed_with_four_options_and_graded(path):
    found = questions(path)
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1)), f"{path.name}: questions q1, q2, ... in order"
    for number, _, options in found:
        assert list(options) == list(LETTERS), f"{path.name} q{number}: options {list(options)}, not a) to d)"
    assert sorted(keys(path)) == sorted(f"q{n}" for n, _, _ in found), \
        f"{path.name}: one graded test cell per question"


@pytest.mark.parametrize("pick", [max, min], ids=["longest", "shortest"])
def test_the_length_of_an_option_is_no_strategy(pick):
    assert sum(len(questions(p)) for p in NOTEBOOKS) >= 28, "the parser found too few questions"
    earned, total = strategy_score(NOTEBOOKS, pick)
    which = "longest" if pick is max else "shortest"
    assert earned / total <= STRATEGY_SHARE, \
        f"always picking the {which} option earns {earned:g} of {total:g} quiz points ({earned / total:.0%})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_right_letters_are_spread(path):
    count = Counter(keys(path).values())
    n = sum(count.values())
    assert max(count.values()) <= max(2, math.ceil(n / 4)), f"{path.name}: right letters {dict(count)}"  # 2 for 3-8
    if n >= 4:
        assert set(count) == set(LETTERS), f"{path.name}: right letters {dict(count)} leave a letter out"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_options_have_similar_lengths(path):
    for number, _, options in questions(path):
        lengths = {letter: visible_length(text) for letter, text in options.items()}
        ratio = max(max(lengths.values()), SHORT) / max(min(lengths.values()), SHORT)
        assert ratio <= LENGTH_RATIO, f"{path.name} q{number}: option lengths {lengths} (ratio {ratio:.2f})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_option_repeats_the_prose(path):
    _, prose = split_check(path)
    seen = set()
    for text in prose:
        tokens = words(text)
        seen |= {tuple(tokens[i:i + COPIED_WORDS]) for i in range(len(tokens) - COPIED_WORDS + 1)}
    for number, _, options in questions(path):
        for letter, text in options.items():
            option = words(text)
            copied = [" ".join(option[i:i + COPIED_WORDS]) for i in range(len(option) - COPIED_WORDS + 1)
                      if tuple(option[i:i + COPIED_WORDS]) in seen]
            assert not copied, f"{path.name} q{number} {letter}) repeats the lesson word for word: {copied[0]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_answer_cell_matches_the_hidden_keys(path):
    assert solution(path) == keys(path), f"{path.name}: the answer cell and the hidden tests disagree"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_question_names_an_existing_section(path):
    lessons = {int(p.parent.name.split("_")[0]): p for p in NOTEBOOKS}
    own = int(path.parent.name.split("_")[0])
    for number, text, _ in questions(path):
        pointer = POINTER.search(text)
        assert pointer, f"{path.name} q{number} names no section: {text!r}"
        lesson = lessons[int(pointer.group(1) or own)]
        headings = "\n".join(_source(c) for c in _cells(lesson) if c["cell_type"] == "markdown")
        for section in filter(None, pointer.group(2, 3)):
            assert re.search(rf"^#{{2,3}} {re.escape(section)}\.? ", headings, re.M), \
                f"{path.name} q{number} names section {section} of {lesson.name}, which has no such heading"
