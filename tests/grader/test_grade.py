"""`python -m course grade`: isolated, parallel, tamper-aware grading, proved against cheats and faults."""
import csv
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader.assignments import read
from tests.support.adversaries import FULL
from tests.support.environment import REPO, env, run
from tests.support.hidden import hidden_lines


def manifest_of(course, student, assignment="01_notation"):
    import json
    return json.loads((course / "autograded" / student / assignment / ".course-grade.json").read_text())


def test_every_case_gets_exactly_the_score_it_deserves(battery):
    wrong = {}
    for student, case in battery["expected"].items():
        data = manifest_of(battery["course"], student, case.assignment)
        if data["score"] != case.score:
            wrong[student] = (data["score"], case.score, data["reasons"], data["flags"])
    assert not wrong, f"(score, expected, reasons, flags): {wrong}"


def test_every_case_explains_itself(battery):
    missing = {}
    for student, case in battery["expected"].items():
        if case.phrase:
            data = manifest_of(battery["course"], student, case.assignment)
            if not any(case.phrase in text for text in data["reasons"] + data["flags"]):
                missing[student] = (case.phrase, data["reasons"], data["flags"])
    assert not missing, missing


def test_honest_but_unusual_students_are_neither_flagged_nor_explained_away(battery):
    for student in ("deleted-demo", "scratch-x", "scratch-xy"):
        case = battery["expected"][student]
        data = manifest_of(battery["course"], student, case.assignment)
        assert data["flags"] == [] and data["reasons"] == [], (student, data["reasons"], data["flags"])


def test_the_references_of_the_graded_lesson_are_unreadable_in_its_kernel(battery):
    """Lesson 4's NN is covered by a stub in the kernel: copying it gives nothing, the static scan or the stub
    says why, and the copier's other exercises keep their points (the scores above)."""
    for student in ("copies-nn", "reads-nn", "hides-nn"):
        graded = battery["course"] / "autograded" / student / "04_nn_class" / "nn_class.ipynb"
        text = graded.read_text()
        assert "is not available while 04_nn_class is graded" in text, f"{student} reached the real reference"


def test_a_correct_submission_in_the_same_run_keeps_full_marks(battery):
    assert manifest_of(battery["course"], "correct")["score"] == FULL
    assert manifest_of(battery["course"], "correct")["flags"] == []


def test_the_gradebook_holds_the_merged_scores(battery):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{battery['course'] / 'gradebook.db'}", "nn-from-scratch") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions("01_notation")}
    assert scores == {student: case.score for student, case in battery["expected"].items()
                      if case.assignment == "01_notation"}


def test_student_code_could_not_touch_the_host(battery):
    assert not (battery["course"] / "pwned.txt").exists(), "a submission wrote into the course folder"
    assert not (battery["host_tmp"] / "pwned.txt").exists(), "a submission wrote into the machine's /tmp"
    assert battery["leftovers"] == {}, "processes started by submissions outlived the grading run"


def test_the_transformer_cheat_works_on_plain_nbgrader_but_not_here(battery, plain_transformer):
    score, maximum = plain_transformer
    assert score == maximum == FULL, "without the grader's executor the cheat earns full marks (the threat is real)"
    assert manifest_of(battery["course"], "transformer")["score"] == 0


def test_grades_csv_summary_and_progress(battery):
    rows = list(csv.DictReader(open(battery["course"] / "grades.csv")))
    assert sorted((r["student"], r["assignment"]) for r in rows) == sorted(
        (student, case.assignment) for student, case in battery["expected"].items())
    assert all(float(r["max_score"]) == FULL for r in rows if r["assignment"] == "01_notation")
    flagged = {r["student"] for r in rows if r["flags"]}
    assert {"patched", "rebound", "transformer", "gradebook", "writer"} <= flagged
    out = battery["first"].stdout
    in_notebook_1 = sum(case.assignment == "01_notation" for case in battery["expected"].values())
    assert re.search(rf"01_notation\s+{in_notebook_1}\s+", out), out
    assert f"{len(battery['expected'])}/{len(battery['expected'])} graded" in battery["first"].stderr


def test_a_second_run_skips_what_is_already_graded(battery):
    skipped = f"grading 0 submission(s), {len(battery['expected'])} unchanged and already graded"
    assert skipped in battery["again"].stderr


def test_feedback_keeps_messages_and_hides_hidden_tests(battery):
    page = (battery["course"] / "feedback" / "edited" / "01_notation" / "notation.html").read_text()
    text = re.sub(r"<[^>]+>", "", page)
    assert "output_layer([5, 1]) should be 1, but it is 3." in text
    hidden = hidden_lines(read(REPO / "source" / "01_notation" / "notation.ipynb"))
    assert not [line for line in hidden if line in text]


def test_feedback_can_be_returned_through_the_exchange(battery, tmp_path):
    from nbgrader.api import Gradebook
    from nbgrader.utils import notebook_hash
    with Gradebook(f"sqlite:///{battery['course'] / 'gradebook.db'}", "nn-from-scratch") as gb:
        stamp = gb.find_submission("01_notation", "correct").timestamp
    assert stamp.isoformat() == "2026-11-20T10:00:00", "the submission time is recorded, for late penalties"
    run(["nbgrader", "release_feedback", "01_notation", "--student=correct", f"--Exchange.root={tmp_path}"],
        battery["course"])
    name = notebook_hash(secret="a-secret-of-the-student", notebook_id="notation")
    returned = tmp_path / "nn-from-scratch" / "feedback" / f"{name}.html"
    assert returned.read_bytes() == (battery["course"] / "feedback/correct/01_notation/notation.html").read_bytes()


def test_a_killed_run_loses_nothing_it_merged(killed_run):
    assert killed_run["merged"], "the run was killed before anything was merged"
    assert all(score == (FULL, FULL) for score in killed_run["before"].values())
    remaining = 4 - len(killed_run["merged"])
    assert f"grading {remaining} submission(s), {len(killed_run['merged'])} unchanged" in killed_run["rerun"]
    assert all(score == (FULL, FULL) for score in killed_run["after"].values())


def test_grading_on_a_dask_cluster_gives_the_same_scores(dask_run):
    scores = {r["student"]: float(r["score"]) for r in dask_run["rows"]}
    assert scores == {student: case.score for student, case in dask_run["expected"].items()}


def test_check_command_reports_each_exercise_without_hidden_code(tmp_path):
    import nbformat

    from tests.support.adversaries import WRONG_OUTPUT_LAYER, _base
    notebook = tmp_path / "mine.ipynb"
    nbformat.write(_base(**WRONG_OUTPUT_LAYER), str(notebook))
    out = run([sys.executable, "-m", "course", "check", str(notebook)], REPO).stdout
    assert "checking" in out and "01_notation/notation.ipynb" in out
    assert re.search(r"✗ output_layer\s+0 / 1", out) and re.search(r"✓ parameter_shapes\s+4 / 4", out)
    assert "output_layer([5, 1]) should be 1, but it is 3." in out
    assert f"total: {FULL - 1} / {FULL}" in out
    assert "check_equal(" not in out, "no test code is shown"


def test_check_command_explains_bad_input(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json")
    proc = subprocess.run([sys.executable, "-m", "course", "check", str(broken)], cwd=REPO, env=env(),
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "not a notebook that can be read" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "course", "check", str(tmp_path / "nope.ipynb")], cwd=REPO,
                          env=env(), capture_output=True, text=True)
    assert proc.returncode == 2 and "no such file" in proc.stderr


def postgres_binaries():
    """The folder of PostgreSQL's server programs, or None."""
    candidates = [shutil.which("initdb"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)]
    found = next((c for c in candidates if c), None)
    return os.path.dirname(os.path.realpath(found)) if found else None


def test_the_gradebook_can_live_in_postgresql(tmp_path):
    bindir = postgres_binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed here (`apt-get install postgresql`; .ci/run installs it)")
    from nbgrader.api import Gradebook

    from tests.support.adversaries import cases
    from tests.support.courses import grading_course, submit
    from tests.support.environment import on_a_free_port
    user = "postgres" if os.geteuid() == 0 else None
    # The server refuses to run as root, and its user cannot enter pytest's private tmp folders.
    cluster = Path(tempfile.mkdtemp(prefix="course-pg-", dir="/var/tmp")) if user else tmp_path
    data, sockets = cluster / "pgdata", cluster / "pgsock"
    data.mkdir(), sockets.mkdir()
    as_user = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups"] if user else []
    if user:
        for folder in (cluster, data, sockets):
            shutil.chown(folder, user)
    run([*as_user, f"{bindir}/initdb", "-D", str(data), "-U", "course", "--auth=trust", "-E", "UTF8"], cluster)
    log = data / "log"

    def start(port):
        logged = log.read_text() if log.exists() else ""
        started = subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-w", "-l", str(log), "-o",
                                  f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1", "start"],
                                 cwd=cluster, env=env(), capture_output=True, text=True)
        if started.returncode == 0:
            return port
        new = log.read_text()[len(logged):] if log.exists() else ""
        if "already in use" in new:
            return None
        raise AssertionError(f"PostgreSQL did not start:\n{started.stderr}\n{new[-3000:]}")

    port = on_a_free_port(start)
    try:
        run([f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "course", "gradebook"], tmp_path)
        url = f"postgresql://course@127.0.0.1:{port}/gradebook"
        course = grading_course(tmp_path / "course")
        chosen = {k: v for k, v in cases(course, course).items() if k in ("correct", "edited")}
        submit(course, "01_notation", {s: case.files for s, case in chosen.items()})
        run([sys.executable, "-m", "course", "--course", str(course), "grade", "--db-url", url], REPO)
        with Gradebook(url, "nn-from-scratch") as gb:
            scores = {s.student.id: s.score for s in gb.assignment_submissions("01_notation")}
        assert scores == {"correct": FULL, "edited": FULL - 1}
        assert not (course / "gradebook.db").exists(), "nothing went to the SQLite gradebook"
    finally:
        run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"], cluster)
        if user:
            shutil.rmtree(cluster, ignore_errors=True)
