"""The capstone's band measurements run, one row per model, the baseline far below an MLP's band."""
import subprocess

from tests.support.environment import REPO, python_module


def test_the_band_bench_prints_one_row_per_model():
    proc = subprocess.run(python_module("bench.capstone_bands", "--models", "centroid,baseline,mlp-sgd", "--runs", "1",
                                        "--heldout", "1", "--size", "1000"),
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: [float(v) for v in line.split()[1:]] for line in proc.stdout.splitlines()[1:]}
    assert list(rows) == ["centroid", "baseline", "mlp-sgd"], proc.stdout
    assert rows["baseline"][0] < 40 < 50 < rows["mlp-sgd"][0], proc.stdout
