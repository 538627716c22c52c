"""What a submission's code cannot do to the grader, the instructor or the next student (issue: the sandbox)."""
import csv
import html
import json
import re
import subprocess
import sys

from grader.autograde import UNSANDBOXED
from tests.support.adversaries import FULL
from tests.support.environment import REPO, env


def manifest_of(course, student, assignment="01_notation"):
    return json.loads((course / "autograded" / student / assignment / ".course-grade.json").read_text())


def outputs_of(course, student, assignment="01_notation", name="notation.ipynb"):
    """Everything the autograded notebook's code cells printed."""
    import nbformat
    nb = nbformat.read(str(course / "autograded" / student / assignment / name), as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_a_daemon_cannot_outlive_its_kernel_and_attack_the_next_student(shared_worker):
    course = shared_worker["course"]
    assert re.search(r"started as uid \d+", outputs_of(course, "a-daemon")), "the daemon never started"
    assert manifest_of(course, "b-next")["score"] == FULL, manifest_of(course, "b-next")
    assert manifest_of(course, "a-daemon")["score"] == FULL
    assert shared_worker["left_behind"] == {}, "processes of the daemon's uid outlived the grading run"


def test_filling_the_disk_fails_inside_the_sandbox_only(battery):
    text = outputs_of(battery["course"], "disk")
    stops = re.findall(r"(\S+) stopped after (\d+) MiB: (.+)", text)
    assert [folder for folder, _, _ in stops] == [".", "/tmp", "/dev/shm"], text[:2000]
    for folder, megabytes, error in stops:
        assert int(megabytes) <= 256 and error.strip() == "No space left on device", (folder, megabytes, error)


def test_a_flood_of_output_is_cut_and_the_files_stay_small(battery):
    course = battery["course"]
    for student in ("flood", "flood-raw"):
        graded = course / "autograded" / student / "01_notation" / "notation.ipynb"
        feedback = course / "feedback" / student / "01_notation" / "notation.html"
        assert graded.stat().st_size < 3_000_000 and feedback.stat().st_size < 3_000_000, student
    assert "[output cut" in outputs_of(course, "flood")
    assert "[output lost" in outputs_of(course, "flood-raw")


def test_student_html_and_javascript_never_reach_the_instructor_as_code(battery):
    import nbformat
    folder = battery["course"] / "autograded" / "script" / "01_notation"
    nb = nbformat.read(str(folder / "notation.ipynb"), as_version=4)
    shown = [json.dumps(o.get("data", {})) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    shown += [c.source for c in nb.cells if c.cell_type != "code"]
    page = (battery["course"] / "feedback" / "script" / "01_notation" / "notation.html").read_text()
    for text in [*shown, page]:
        assert "<script>document.title" not in text and "<script>alert('pwned-md')" not in text
        assert "<img src=x" not in text and '<img src=\\"x\\"' not in text and '<img src="x"' not in text
    assert not [o for o in shown if "javascript" in o], "a JavaScript output was kept"
    assert any("pwned-html" in o for o in shown), "the HTML is kept, as text"


def test_code_that_looks_for_the_hidden_tests_finds_none_of_them(battery):
    """Test cells run in the judge: the kernel's history, line cache and call stack never hold one."""
    from grader.assignments import read
    from tests.support.hidden import hidden_lines
    course = battery["course"]
    hidden = hidden_lines(read(REPO / "source" / "01_notation" / "notation.ipynb"))
    printed = outputs_of(course, "leaker")
    assert "def output_layer(layers_dims):" in printed and "course.probe" in printed, "the leak printed nothing"
    assert [line for line in hidden if line in printed] == []
    page = (course / "feedback" / "leaker" / "01_notation" / "notation.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "def output_layer(layers_dims):" in text, "the feedback shows the student's own output"
    assert [line for line in hidden if line in text] == []


def test_grades_csv_lists_only_submissions_that_exist_now(battery, tmp_path):
    import shutil
    course = tmp_path / "course"
    shutil.copytree(battery["course"], course, ignore=shutil.ignore_patterns("*.ipynb", "*.html"))
    shutil.rmtree(course / "submitted" / "edited")
    from grader.classroom import write_csv
    rows = write_csv(course, course / "grades.csv")
    assert "edited" not in {r["student"] for r in rows} and "correct" in {r["student"] for r in rows}


def test_the_grader_memory_stays_bounded_whatever_a_submission_prints(tmp_path):
    """One submission sends 100 MB past the kernel's cap: the grading process grows by well under that."""
    import nbformat

    from tests.support.adversaries import FLOOD_RAW, _base, _with_cell
    plain, flood = tmp_path / "plain.ipynb", tmp_path / "flood.ipynb"
    nbformat.write(_base(), str(plain))
    nbformat.write(_with_cell(_with_cell(_base(), FLOOD_RAW), FLOOD_RAW, after="weight"), str(flood))
    script = """import resource, sys
from pathlib import Path
from grader.autograde import grade_submission
from grader.records import Task
from grader.template import make_template
template = make_template(Path("."), "01_notation")
files = {"notation.ipynb": Path(sys.argv[1]).read_bytes()}
result = grade_submission(Task(template=template, student="s", files=files))
print(result.totals()[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"""
    peaks = {}
    for path in (plain, flood):
        out = subprocess.run([sys.executable, "-c", script, str(path)], cwd=REPO, env=env(), capture_output=True,
                             text=True, check=True).stdout.splitlines()[-1].split()
        assert float(out[0]) == FULL, out
        peaks[path.stem] = int(out[1])
    assert peaks["flood"] - peaks["plain"] < 50, peaks


def test_without_root_the_sandbox_runs_rootless(rootless):
    course = rootless["course"]
    for student, case in rootless["expected"].items():
        data = manifest_of(course, student)
        assert data["score"] == case.score, (student, data)
        assert not any(UNSANDBOXED in flag for flag in data["flags"]), data["flags"]
    assert not (course / "pwned.txt").exists() and not (rootless["host_tmp"] / "pwned.txt").exists()
    assert "WARNING" not in rootless["out"]


def test_where_no_sandbox_can_run_grading_refuses_unless_told(unsandboxed):
    refused = unsandboxed["refused"]
    assert refused.returncode != 0 and "cannot grade in the sandbox here" in refused.stderr, refused.stderr[-2000:]
    rows = list(csv.DictReader(open(unsandboxed["course"] / "grades.csv")))
    assert rows and all(UNSANDBOXED in r["flags"] for r in rows), rows
    assert f"WARNING: 1 submission(s) were {UNSANDBOXED}" in unsandboxed["allowed"].stdout
