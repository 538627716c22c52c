"""The benchmarks run: training without torch says that it skipped the comparison; the course run prints its times."""
import importlib.util
import re
import subprocess

from tests.support.environment import REPO, python_module


def test_training_bench_times_the_course_network_and_skips_torch_cleanly():
    proc = subprocess.run(python_module("bench.training", "--epochs", "2"),
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "ms" in out and "course" in out.lower(), out
    if importlib.util.find_spec("torch") is None:
        assert "torch not installed: skipping the PyTorch comparison" in out, out
    else:
        assert "ratio" in out.lower(), out


def test_course_run_bench_times_each_lesson_and_the_total():
    proc = subprocess.run(python_module("bench.course_run", "--only", "01_notation"),
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    timed = re.compile(r"\s*01_notation\s+[\d.]+ s\s+\(\s*[\d.]+ s inside its cells, kernel CPU\s+[\d.]+ s\)$")
    assert any(timed.match(line) for line in lines), proc.stdout
    assert any(line.strip().startswith("all lessons") and "inside cells" in line and "aim of about 60 s" in line
               for line in lines), proc.stdout
